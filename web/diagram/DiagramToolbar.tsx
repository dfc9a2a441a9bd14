import type { KeyboardEvent } from 'react';

/** +, - and 0 zoom and fit while the focus is in the diagram (not while typing in a field). */
export function zoomKeys(e: KeyboardEvent, zoomBy: (k: number) => void, fit: () => void): void {
  const t = e.target as HTMLElement;
  if (t.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === '+' || e.key === '=') zoomBy(1.25);
  else if (e.key === '-' || e.key === '_') zoomBy(0.8);
  else if (e.key === '0') fit();
  else return;
  e.preventDefault();
}

/** Above the stage: whose routes are drawn, and the zoom buttons (also in presenter mode). */
export function DiagramToolbar({
  nodes,
  routesOf,
  setRoutesOf,
  autoNode,
  zoomBy,
  fit,
}: {
  nodes: string[];
  routesOf: string;
  setRoutesOf: (v: string) => void;
  autoNode: string | null;
  zoomBy: (k: number) => void;
  fit: () => void;
}) {
  return (
    <div className="diagram-toolbar">
      <label className="routes-of">
        Routes of{' '}
        <select value={routesOf} onChange={(e) => setRoutesOf(e.target.value)}>
          <option value="auto">{autoNode ? `${autoNode} (the packet's or selected node)` : 'the selected node'}</option>
          <option value="all">all nodes</option>
          {nodes.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <div className="zoom-controls" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in" title="Zoom in (+)">
          +
        </button>
        <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out" title="Zoom out (-)">
          −
        </button>
        <button type="button" onClick={fit} aria-label="Fit to view" title="Fit the whole cluster (0)">
          Fit
        </button>
      </div>
    </div>
  );
}
