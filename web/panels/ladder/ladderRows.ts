// The ladder's rows top to bottom: a header where a phase begins (DNS lookup, Request, Reply),
// then one rung per step; each row as tall as its wrapped text.
import type { TracePhase, TraceStep } from '../../state/traceSteps';
import { columnKeyOf, type LadderColumn } from './ladderColumns';
import { rungDetail, rungTitle, toneOf, wrapText } from './rungText';

export type LadderItem = { kind: 'phase'; phase: TracePhase } | { kind: 'step'; index: number };

export function ladderItems(steps: readonly TraceStep[]): LadderItem[] {
  const items: LadderItem[] = [];
  steps.forEach((s, index) => {
    if (index === 0 || steps[index - 1]!.phase !== s.phase) items.push({ kind: 'phase', phase: s.phase });
    items.push({ kind: 'step', index });
  });
  return items;
}

export const LINE = 20;
const PHASE_ROW = 34;
export const RUNG_PAD = 14;

/** The title of the column a step happens in. */
export const columnTitleOf = (step: TraceStep, columns: readonly LadderColumn[]) =>
  columns.find((c) => c.key === columnKeyOf(step.hop))?.title ?? step.hop.node;

/** A step's title ("3. DNAT · PREROUTING (nat)", wrapped to the gutter) and its detail lines below it. */
export function rungLines(
  step: TraceStep,
  n: number,
  g: Pick<LadderGeometry, 'chars'>,
  where?: string,
): { title: string[]; detail: string[] } {
  const drop = toneOf(step.hop) === 'drop';
  // The 16 px bold title is about a tenth wider per character than the 14.5 px monospace detail.
  const title = wrapText(`${n}. ${rungTitle(step.hop)}${where ? ` · ${where}` : ''}`, g.chars * 0.9, 2);
  return { title, detail: rungDetail(step.hop).flatMap((d) => wrapText(d, g.chars, drop ? 5 : 2)) };
}

/** Roughly one character of the 14.5 px monospace detail text. */
const CHAR = 8.8;
const ARROW_BAND = 28;

/**
 * Where things go for a given width: wide, the lanes on the left and each rung's text in a gutter on
 * the right; narrow (a phone), the text spans the width above each rung's arrow.
 */
export interface LadderGeometry {
  mode: 'side' | 'stacked';
  colW: number;
  textX: number;
  /** Characters per detail line. */
  chars: number;
  width: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function ladderGeometry(available: number, columns: number): LadderGeometry {
  const n = Math.max(1, columns);
  const w = Math.max(280, available);
  if (w >= 560) {
    const textW = clamp(w * 0.42, 250, 480);
    const colW = clamp((w - textW - 16) / n, 64, 150);
    const textX = colW * n + 16;
    const width = Math.max(w, textX + 250);
    return { mode: 'side', colW, textX, chars: Math.floor((width - textX - 8) / CHAR), width };
  }
  const colW = Math.max(56, (w - 8) / n);
  const width = Math.max(w, colW * n + 8);
  // The text starts right of the tab that marks a differing rung.
  return { mode: 'stacked', colW, textX: 26, chars: Math.floor((width - 34) / CHAR), width };
}

/** How tall each row is; a gap (null, the other trace's step in a comparison) takes no room of its own. */
export function rowHeight(
  item: LadderItem | null,
  steps: readonly TraceStep[],
  g: LadderGeometry,
  columns: readonly LadderColumn[],
): number {
  if (!item) return 0;
  if (item.kind === 'phase') return PHASE_ROW;
  const step = steps[item.index]!;
  const lines = rungLines(step, item.index + 1, g, g.mode === 'stacked' ? columnTitleOf(step, columns) : undefined);
  const text = RUNG_PAD + LINE * (lines.title.length + lines.detail.length);
  return g.mode === 'stacked' ? text + ARROW_BAND : text;
}

/** The height of the arrow's line within a rung's row. */
export const arrowY = (box: { y: number; h: number }, g: LadderGeometry) =>
  g.mode === 'stacked' ? box.y + box.h - ARROW_BAND / 2 - 2 : box.y + RUNG_PAD / 2 + LINE * 0.7;

export interface RowBox {
  item: LadderItem | null;
  y: number;
  h: number;
}

/** Rows stacked from `top`; `heights` (a comparison's taller side) overrides each row's own height. */
export function stackRows(items: readonly (LadderItem | null)[], heights: readonly number[], top: number): RowBox[] {
  let y = top;
  return items.map((item, i) => {
    const h = heights[i]!;
    const box = { item, y, h };
    y += h;
    return box;
  });
}
