// Two traces side by side: their rungs aligned (longest common subsequence on what each hop did
// and in which kind of namespace), and the rungs that differ named.
import type { TraceStep } from '../../state/traceSteps';
import { columnKeyOf } from './ladderColumns';
import { ladderItems, type LadderItem } from './ladderRows';
import { rewrites, toneOf } from './rungText';

export type Mark = 'same' | 'differs' | 'only';

export interface AlignedRow {
  a: LadderItem | null;
  b: LadderItem | null;
  mark: Mark;
}

const placeKind = (s: TraceStep) => columnKeyOf(s.hop).split(/[ :]/)[0];
const matchKey = (item: LadderItem, steps: readonly TraceStep[]) => {
  if (item.kind === 'phase') return `phase ${item.phase}`;
  const s = steps[item.index]!;
  return `${s.phase}|${s.hop.action}|${placeKind(s)}`;
};

/** What must agree for two matched rungs to be the same: the place, the device, the rewrite, what a delivered packet shows. */
function detailKey(s: TraceStep): string {
  const h = s.hop;
  const shown = h.action === 'deliver' ? `${h.srcAfter} → ${h.dstAfter}` : '';
  return [columnKeyOf(h), h.device, rewrites(h).join(', '), shown, h.leavesTo?.kind ?? '', h.cameFrom?.kind ?? ''].join(
    '|',
  );
}

export function alignLadders(a: readonly TraceStep[], b: readonly TraceStep[]): AlignedRow[] {
  const A = ladderItems(a);
  const B = ladderItems(b);
  const ka = A.map((x) => matchKey(x, a));
  const kb = B.map((x) => matchKey(x, b));
  // lcs[i][j]: the longest common run of A[i..] and B[j..].
  const lcs = Array.from({ length: A.length + 1 }, () => new Array<number>(B.length + 1).fill(0));
  for (let i = A.length - 1; i >= 0; i--)
    for (let j = B.length - 1; j >= 0; j--)
      lcs[i]![j] = ka[i] === kb[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const rows: AlignedRow[] = [];
  let i = 0;
  let j = 0;
  while (i < A.length || j < B.length) {
    if (i < A.length && j < B.length && ka[i] === kb[j]) {
      const x = A[i++]!;
      const y = B[j++]!;
      const same = x.kind === 'phase' || y.kind === 'phase' || detailKey(a[x.index]!) === detailKey(b[y.index]!);
      rows.push({ a: x, b: y, mark: same ? 'same' : 'differs' });
    } else if (j >= B.length || (i < A.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      rows.push({ a: A[i++]!, b: null, mark: 'only' });
    } else {
      rows.push({ a: null, b: B[j++]!, mark: 'only' });
    }
  }
  return rows;
}

const where = (s: TraceStep) => {
  const k = columnKeyOf(s.hop);
  return k.startsWith('pod ') ? `pod ${k.slice(k.indexOf('/') + 1)}` : k.startsWith('host:') ? s.hop.node : k.slice(8);
};
/** What a rung did, briefly: its rewrite, the source a delivered packet shows, or the device. */
const brief = (s: TraceStep) => {
  const r = rewrites(s.hop);
  if (r.length) return r.join(', ');
  return s.hop.action === 'deliver' ? `from ${s.hop.srcAfter}` : s.hop.device;
};
const action = (s: TraceStep) => s.hop.action.toUpperCase();

function pairText(x: TraceStep, y: TraceStep): string {
  if (columnKeyOf(x.hop) === columnKeyOf(y.hop))
    return `${x.phase}: ${action(x)} on ${where(x)}: pinned ${brief(x)}; current ${brief(y)}`;
  return `${x.phase}: ${action(x)}: pinned in ${where(x)}, ${brief(x)}; current in ${where(y)}, ${brief(y)}`;
}

export interface Difference {
  text: string;
  /** A NAT, a delivery or a drop: what a teacher points at first; the rest is the path around it. */
  key: boolean;
}

const isKey = (s: TraceStep | undefined) => s !== undefined && toneOf(s.hop) !== 'plain';

/** One sentence per differing rung, for the list beside the two ladders. */
export function differences(
  rows: readonly AlignedRow[],
  a: readonly TraceStep[],
  b: readonly TraceStep[],
): Difference[] {
  const out: Difference[] = [];
  for (const r of rows) {
    if (r.mark === 'same') continue;
    const x = r.a?.kind === 'step' ? a[r.a.index] : undefined;
    const y = r.b?.kind === 'step' ? b[r.b.index] : undefined;
    const key = isKey(x) || isKey(y);
    if (x && y) out.push({ key, text: pairText(x, y) });
    else if (x) out.push({ key, text: `${x.phase}: only in pinned: ${action(x)} on ${where(x)} (${brief(x)})` });
    else if (y) out.push({ key, text: `${y.phase}: only in current: ${action(y)} on ${where(y)} (${brief(y)})` });
    else if (r.a?.kind === 'phase') out.push({ key: true, text: `Only in pinned: the ${r.a.phase} phase` });
    else if (r.b?.kind === 'phase') out.push({ key: true, text: `Only in current: the ${r.b.phase} phase` });
  }
  return out;
}
