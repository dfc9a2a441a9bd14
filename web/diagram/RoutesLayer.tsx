import type { Layout } from './layout';
import { ROUTE_FONT, type RouteArc } from './routeLanes';
import { TABLE_TITLE } from './routeTables';

/** A route's accessible name, as `ip route` prints it, and whose table it is in. */
export const routeName = (line: string, node: string) => `route ${line} on ${node}`;

const key = (a: { route: { node: string; line: string } }) => `${a.route.node} ${a.route.line}`;

function Arc({ a, on, labelled }: { a: RouteArc; on: boolean; labelled: boolean }) {
  return (
    <g className={on ? 'in-use' : undefined}>
      {!labelled && <path className="route-halo" d={a.d} aria-hidden="true" />}
      <path
        className="route"
        d={a.d}
        markerEnd={on ? 'url(#arrow-on)' : 'url(#arrow)'}
        {...(labelled
          ? {
              role: 'img',
              'aria-label': routeName(a.route.line, a.route.node),
              ...(on ? { 'aria-current': 'step' } : {}),
            }
          : { 'aria-hidden': true })}
      />
      {labelled && (
        <text
          className="route-label mono"
          x={a.labelX}
          y={a.labelY}
          textAnchor={a.anchor}
          style={{ fontSize: ROUTE_FONT }}
          aria-hidden="true"
        >
          {a.route.line}
        </text>
      )}
    </g>
  );
}

/** The CNI's routes in the node network band; the one the current hop used is lit, arrow towards the receiver. */
export function RoutesLayer({
  layout,
  inUse,
  whose,
}: {
  layout: Layout;
  /** "NODE LINE" of the route the current hop matched. */
  inUse: string | null;
  whose: string;
}) {
  const tables = layout.tables;
  const used = tables ? layout.routes.find((a) => key(a) === inUse) : undefined;
  return (
    <g className="routes" role="group" aria-label={`Routes the CNI added, ${whose}`}>
      {tables?.map((t) => (
        <g key={t.node} className="route-table">
          <rect x={t.x} y={t.y} width={t.w} height={t.h} rx={6} />
          <text className="route-table-title" x={t.x + 10} y={t.y + TABLE_TITLE - 6}>
            {t.node}: ip route (CNI)
          </text>
          {t.rows.map((r) => {
            const on = key(r) === inUse;
            return (
              <text
                key={r.route.line}
                className={`route-label mono${on ? ' in-use' : ''}`}
                x={t.x + 10}
                y={r.y}
                style={{ fontSize: ROUTE_FONT }}
                role="img"
                aria-label={routeName(r.route.line, r.route.node)}
                {...(on ? { 'aria-current': 'step' as const } : {})}
              >
                {r.route.line}
              </text>
            );
          })}
        </g>
      ))}
      {tables
        ? used && <Arc a={used} on labelled={false} />
        : layout.routes.map((a) => <Arc key={key(a)} a={a} on={inUse === key(a)} labelled />)}
    </g>
  );
}
