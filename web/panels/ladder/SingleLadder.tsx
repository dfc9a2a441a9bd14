import { useMemo } from 'react';
import type { TraceStep } from '../../state/traceSteps';
import { ladderColumns, rungPlaces } from './ladderColumns';
import { ladderGeometry, ladderItems, rowHeight, stackRows } from './ladderRows';
import { LadderBody, LadderHeader } from './LadderSvg';

/** One trace's ladder in the width it has: column titles on top, then the rungs. */
export function SingleLadder({
  steps,
  width,
  current,
  onPick,
  label,
}: {
  steps: readonly TraceStep[];
  width: number;
  current: number | null;
  onPick?: (i: number) => void;
  label: string;
}) {
  const columns = useMemo(() => ladderColumns(steps), [steps]);
  const places = useMemo(() => rungPlaces(steps, columns), [steps, columns]);
  const g = ladderGeometry(width, columns.length);
  const items = ladderItems(steps);
  const rows = stackRows(
    items,
    items.map((it) => rowHeight(it, steps, g, columns)),
    0,
  );
  return (
    <div className="ladder-one">
      <div className="ladder-sticky">
        <LadderHeader columns={columns} g={g} />
      </div>
      <LadderBody
        label={label}
        columns={columns}
        places={places}
        steps={steps}
        rows={rows}
        g={g}
        current={current}
        onPick={onPick}
      />
    </div>
  );
}
