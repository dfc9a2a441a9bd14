// One trace drawn as a ladder: a lifeline per namespace, time running down, each step a rung
// (an arrow when the packet moved to another namespace, a mark where it stayed), its text beside it.
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import type { TraceStep } from '../../state/traceSteps';
import type { LadderColumn, RungPlace } from './ladderColumns';
import type { Mark } from './ladderCompare';
import { arrowY, LINE, RUNG_PAD, rungLines, type LadderGeometry, type RowBox } from './ladderRows';
import { keepInView } from './keepInView';
import { clipMiddle, rungName, splitName, toneOf } from './rungText';

export const HEADER_H = 64;

/** `from` moved `by` pixels towards `to`: an arrow ends at a dot's edge, not its centre. */
const towards = (from: number, to: number, by: number) => from + Math.sign(to - from) * by;

/** Each column's centre: equal bands, one per namespace. */
function useX(columns: readonly LadderColumn[], g: LadderGeometry) {
  return (i: number) => g.colW * (Math.min(i, columns.length - 1) + 0.5);
}

/** The column titles: kept in view above the rungs while the box scrolls. */
export function LadderHeader({ columns, g }: { columns: readonly LadderColumn[]; g: LadderGeometry }) {
  const x = useX(columns, g);
  // About 9 px per character of the 15 px bold titles; the first and last columns have half a column to spare.
  const chars = Math.floor((g.colW - 6) / 8.6);
  const subChars = Math.floor((g.colW - 4) / 7.4);
  return (
    <svg className="ladder-head" width={g.width} height={HEADER_H} role="list" aria-label="Columns">
      {columns.map((c, i) => (
        <g key={c.key} role="listitem" aria-label={`${c.title}, ${c.subtitle || c.kind}`} className={`col-${c.kind}`}>
          <title>{`${c.title} (${c.subtitle || c.kind})`}</title>
          {splitName(c.title, chars).map((line, k, all) => (
            <text key={k} x={x(i)} y={all.length === 1 ? 26 : 17 + 17 * k} textAnchor="middle" className="col-title">
              {line}
            </text>
          ))}
          <text x={x(i)} y={55} textAnchor="middle" className="col-sub">
            {clipMiddle(c.kind === 'pod' ? 'pod' : c.kind === 'host' ? 'node' : c.subtitle, subChars)}
          </text>
        </g>
      ))}
    </svg>
  );
}

export interface LadderBodyProps {
  label: string;
  columns: readonly LadderColumn[];
  places: readonly RungPlace[];
  steps: readonly TraceStep[];
  rows: readonly RowBox[];
  g: LadderGeometry;
  /** The highlighted step (the open trace's), or null. */
  current: number | null;
  marks?: ReadonlyMap<number, Mark>;
  /** Clicking a rung moves the trace there; without it the rungs are read-only. */
  onPick?: (step: number) => void;
}

export function LadderBody({ label, columns, places, steps, rows, g, current, marks, onPick }: LadderBodyProps) {
  const x = useX(columns, g);
  const arrow = `${useId().replace(/:/g, '')}-arrow`;
  const refs = useRef<(SVGGElement | null)[]>([]);
  const height = rows.length ? rows[rows.length - 1]!.y + rows[rows.length - 1]!.h + 8 : 40;
  const lanesRight = g.colW * columns.length;
  const focusable = current ?? 0;
  const interactive = onPick !== undefined;
  useEffect(() => {
    const el = current === null ? undefined : refs.current[current];
    if (interactive && el) keepInView(el);
    // Again when the width is measured: the rows' heights change with it.
  }, [current, interactive, g.width]);
  const onKey = (e: KeyboardEvent, i: number) => {
    if (!onPick) return;
    const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : -2;
    if (e.key === 'Enter' || e.key === ' ') onPick(i);
    else if (next >= 0 && next < steps.length) {
      onPick(next);
      refs.current[next]?.focus();
    } else if (e.key === 'End') {
      onPick(steps.length - 1);
      refs.current[steps.length - 1]?.focus();
    } else return;
    e.preventDefault();
  };
  return (
    <svg className="ladder-body" width={g.width} height={height} role="list" aria-label={label}>
      <defs>
        <marker id={arrow} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" className="arrow-head" />
        </marker>
      </defs>
      {columns.map((c, i) => (
        <line key={c.key} x1={x(i)} x2={x(i)} y1={0} y2={height} className={`lifeline col-${c.kind}`} />
      ))}
      {rows.map((box, row) => {
        const item = box.item;
        if (!item) return null;
        if (item.kind === 'phase')
          return (
            <g key={`p${row}`} className="phase" aria-hidden="true">
              <rect x={0} y={box.y + 4} width={g.width} height={box.h - 8} rx={4} />
              <text x={8} y={box.y + box.h / 2 + 5}>
                {item.phase}
              </text>
            </g>
          );
        const i = item.index;
        const s = steps[i]!;
        const p = places[i]!;
        const tone = toneOf(s.hop);
        const mark = marks?.get(i) ?? 'same';
        const ay = arrowY(box, g);
        const textTop = box.y + RUNG_PAD / 2 + LINE * 0.75;
        const where = columns[p.at]!;
        const name = `${rungName(i + 1, s.phase, s.hop, `${where.subtitle.startsWith('pod') ? 'pod ' : ''}${where.title}`)}${mark === 'differs' ? ' (differs)' : mark === 'only' ? ' (only in this trace)' : ''}`;
        const isCurrent = current === i;
        const r = tone === 'plain' ? 6 : 8;
        const textX = g.mode === 'side' ? Math.max(g.textX, lanesRight + 16) : g.textX;
        const lines = rungLines(s, i + 1, g, g.mode === 'stacked' ? where.title : undefined);
        return (
          <g key={`s${i}`} role="listitem" className={`tone-${tone} mark-${mark}${isCurrent ? ' current' : ''}`}>
            <g
              ref={(el) => {
                refs.current[i] = el;
              }}
              className={`rung${onPick ? ' pickable' : ''}`}
              {...(onPick
                ? {
                    role: 'button',
                    tabIndex: i === focusable ? 0 : -1,
                    onClick: () => onPick(i),
                    onKeyDown: (e: KeyboardEvent) => onKey(e, i),
                  }
                : { role: 'img' })}
              aria-label={name}
              aria-current={isCurrent ? 'step' : undefined}
            >
              <rect className="hit" x={1} y={box.y + 1} width={g.width - 2} height={box.h - 2} rx={5} />
              {p.from !== p.at && (
                <line
                  x1={x(p.from)}
                  x2={towards(x(p.at), x(p.from), r + 2)}
                  y1={ay}
                  y2={ay}
                  className="wire"
                  markerEnd={`url(#${arrow})`}
                />
              )}
              <circle cx={x(p.at)} cy={ay} r={r} className="dot" />
              {tone === 'drop' && (
                <path
                  d={`M${x(p.at) - 5},${ay - 5} L${x(p.at) + 5},${ay + 5} M${x(p.at) + 5},${ay - 5} L${x(p.at) - 5},${ay + 5}`}
                  className="cross"
                />
              )}
              {p.exit !== undefined && (
                <line
                  x1={towards(x(p.at), x(p.exit), r)}
                  x2={x(p.exit)}
                  y1={ay}
                  y2={ay}
                  className="wire out"
                  markerEnd={`url(#${arrow})`}
                />
              )}
            </g>
            {/* Outside the button: its name says all of this, and the clicks fall through to its row. */}
            <g className="rung-text" aria-hidden="true">
              {mark !== 'same' && (
                <g className="diff-tab">
                  <rect className="diff-bar" x={1} y={box.y + 1} width={18} height={box.h - 2} rx={4} />
                  <text x={10} y={box.y + box.h / 2 + 6} textAnchor="middle">
                    {mark === 'differs' ? '≠' : '+'}
                  </text>
                </g>
              )}
              <text x={textX} y={textTop}>
                {lines.title.map((line, k) => (
                  <tspan key={`t${k}`} x={textX} dy={k === 0 ? 0 : LINE} className="rung-title">
                    {line}
                  </tspan>
                ))}
                {lines.detail.map((line, k) => (
                  <tspan key={k} x={textX} dy={LINE} className="rung-detail">
                    {line}
                  </tspan>
                ))}
              </text>
            </g>
          </g>
        );
      })}
    </svg>
  );
}
