import { useMemo } from 'react';
import type { TraceStep } from '../../state/traceSteps';
import { ladderColumns, rungPlaces } from './ladderColumns';
import { alignLadders, differences, type AlignedRow, type Difference, type Mark } from './ladderCompare';
import { ladderGeometry, rowHeight, stackRows } from './ladderRows';
import { LadderBody, LadderHeader } from './LadderSvg';

const GAP = 20;

function marksOf(rows: readonly AlignedRow[], side: 'a' | 'b'): Map<number, Mark> {
  const m = new Map<number, Mark>();
  for (const r of rows) {
    const it = r[side];
    if (it?.kind === 'step') m.set(it.index, r.mark);
  }
  return m;
}

/** The two traces aligned rung against rung, and what differs between them. */
export function useComparison(pinned: readonly TraceStep[], current: readonly TraceStep[]) {
  return useMemo(() => {
    const aligned = alignLadders(pinned, current);
    return { aligned, diffs: differences(aligned, pinned, current) };
  }, [pinned, current]);
}

/** What differs, the key rungs first (NAT, delivery, drops); kept short so the ladders stay in sight. */
export function DiffList({ diffs }: { diffs: readonly Difference[] }) {
  const keyDiffs = diffs.filter((d) => d.key);
  const pathDiffs = diffs.filter((d) => !d.key);
  return (
    <section className="ladder-diffs" aria-label="Differences" tabIndex={0}>
      <h3>
        {diffs.length === 0
          ? 'The two traces take the same path.'
          : `${diffs.length} ${diffs.length === 1 ? 'rung differs' : 'rungs differ'}`}
      </h3>
      {diffs.length > 0 && <p className="ladder-legend">≠ differs from its counterpart · + only in this trace</p>}
      {keyDiffs.length > 0 && (
        <ul aria-label="Key differences">
          {keyDiffs.map((d, i) => (
            <li key={i}>{d.text}</li>
          ))}
        </ul>
      )}
      {pathDiffs.length > 0 && (
        <details>
          <summary>
            {pathDiffs.length} more along the path ({pathDiffs.length === 1 ? 'a route or bridge' : 'routes, bridges'})
          </summary>
          <ul>
            {pathDiffs.map((d, i) => (
              <li key={i}>{d.text}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** The pinned trace and the current one side by side, rung against rung, the differing rungs marked. */
export function ComparedLadders({
  aligned,
  pinned,
  current,
  width,
  step,
  onPick,
  pinnedLabel,
  currentLabel,
}: {
  aligned: readonly AlignedRow[];
  pinned: readonly TraceStep[];
  current: readonly TraceStep[];
  width: number;
  step: number | null;
  onPick: (i: number) => void;
  pinnedLabel: string;
  currentLabel: string;
}) {
  const colsA = useMemo(() => ladderColumns(pinned), [pinned]);
  const colsB = useMemo(() => ladderColumns(current), [current]);
  const placesA = useMemo(() => rungPlaces(pinned, colsA), [pinned, colsA]);
  const placesB = useMemo(() => rungPlaces(current, colsB), [current, colsB]);
  // On a phone each side takes the whole box: the rows stay level, and a swipe shows the other side.
  const half = width < 640 ? Math.max(280, width) : (width - GAP) / 2;
  const ga = ladderGeometry(half, colsA.length);
  const gb = ladderGeometry(half, colsB.length);
  // Both sides share each row's height, so a rung stands level with its counterpart.
  const heights = aligned.map((r) => Math.max(rowHeight(r.a, pinned, ga, colsA), rowHeight(r.b, current, gb, colsB)));
  const rowsA = stackRows(
    aligned.map((r) => r.a),
    heights,
    0,
  );
  const rowsB = stackRows(
    aligned.map((r) => r.b),
    heights,
    0,
  );
  return (
    <>
      {width < 640 && <p className="ladder-swipe">Pinned first; swipe sideways for the current trace →</p>}
      <div className="ladder-pair">
        <section className="ladder-side" aria-label="Pinned trace">
          <div className="ladder-sticky">
            <h3 className="side-title" title={`Pinned: ${pinnedLabel}`}>
              Pinned: {pinnedLabel}
            </h3>
            <LadderHeader columns={colsA} g={ga} />
          </div>
          <LadderBody
            label="Pinned ladder"
            columns={colsA}
            places={placesA}
            steps={pinned}
            rows={rowsA}
            g={ga}
            current={null}
            marks={marksOf(aligned, 'a')}
          />
        </section>
        <section className="ladder-side" aria-label="Current trace">
          <div className="ladder-sticky">
            <h3 className="side-title" title={`Current: ${currentLabel}`}>
              Current: {currentLabel}
            </h3>
            <LadderHeader columns={colsB} g={gb} />
          </div>
          <LadderBody
            label="Current ladder"
            columns={colsB}
            places={placesB}
            steps={current}
            rows={rowsB}
            g={gb}
            current={step}
            marks={marksOf(aligned, 'b')}
            onPick={onPick}
          />
        </section>
      </div>
    </>
  );
}
