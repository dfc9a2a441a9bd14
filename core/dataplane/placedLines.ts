// The lines `k8snet diff` compares, each with where it stands in its node's printed table, so that an edit's
// changes can be found from the few lines that may differ instead of two whole tables. What lineChanges() says of
// two whole tables is a function of (a) the lines of the owners that may differ (the table's fixed part, the
// Services an edit touched) and (b) where the lines of the same text stand among the unchanged rest: for a text
// that occurs a times after and b times before, the last a-b occurrences after are added, or the first b-a
// before are removed. placedLineChanges() computes exactly that.
import type { LineChanges } from './kernelLines';

/** A position in a printed table, compared part by part (numbers, bigints or strings; same types at a part). */
export type LineKey = readonly (number | bigint | string)[];

export interface PlacedLine {
  key: LineKey;
  text: string;
}

/** One side of a comparison: the lines of the owners that may differ, and where a text stands in the rest. */
export interface PlacedSide {
  lines: readonly PlacedLine[];
  /**
   * Positions of `text` among the lines of the owners left out of `lines` (the same lines on both sides): at least
   * its first `n` (or, `last`, its last `n`) there, or all of them where it has fewer.
   */
  elsewhere(text: string, n: number, last: boolean): readonly LineKey[];
}

export function compareKeys(a: LineKey, b: LineKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const counts = (lines: readonly PlacedLine[]) => {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l.text, (m.get(l.text) ?? 0) + 1);
  return m;
};

/**
 * lineChanges(before's table, after's table), where every line left out of the sides' `lines` is one of the same
 * lines on both sides (an unchanged owner's), and an owner's lines are either all in `lines` or all left out.
 */
export function placedLineChanges(before: PlacedSide, after: PlacedSide): LineChanges {
  const a = counts(after.lines);
  const b = counts(before.lines);
  const added: PlacedLine[] = [];
  const removed: PlacedLine[] = [];
  const texts = new Set([...a.keys(), ...b.keys()]);
  // Texts whose counts differ are few; the per-text scans below run only for them.
  const byText = (side: PlacedSide) => {
    const m = new Map<string, PlacedLine[]>();
    for (const l of side.lines) {
      const list = m.get(l.text);
      if (list) list.push(l);
      else m.set(l.text, [l]);
    }
    return m;
  };
  let afterByText: Map<string, PlacedLine[]> | undefined;
  let beforeByText: Map<string, PlacedLine[]> | undefined;
  for (const t of texts) {
    const d = (a.get(t) ?? 0) - (b.get(t) ?? 0);
    if (d > 0) pickFrom((afterByText ??= byText(after)), after, t, d, true, added);
    else if (d < 0) pickFrom((beforeByText ??= byText(before)), before, t, -d, false, removed);
  }
  added.sort((x, y) => compareKeys(x.key, y.key));
  removed.sort((x, y) => compareKeys(x.key, y.key));
  return { added: added.map((l) => l.text), removed: removed.map((l) => l.text) };
}

function pickFrom(
  byText: Map<string, PlacedLine[]>,
  side: PlacedSide,
  text: string,
  n: number,
  last: boolean,
  into: PlacedLine[],
): void {
  const keys = [...(byText.get(text) ?? []).map((l) => l.key), ...side.elsewhere(text, n, last)];
  keys.sort(compareKeys);
  for (const key of last ? keys.slice(keys.length - n) : keys.slice(0, n)) into.push({ key, text });
}
