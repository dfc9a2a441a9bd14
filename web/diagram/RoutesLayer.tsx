import type { Layout } from './layout';
import { ROUTE_FONT } from './routeLanes';

/** A route's accessible name, as `ip route` prints it, and whose table it is in. */
export const routeName = (line: string, node: string) => `route ${line} on ${node}`;

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
  return (
    <g className="routes" role="group" aria-label={`Routes the CNI added, ${whose}`}>
      {layout.routes.map((a) => {
        const on = inUse === `${a.route.node} ${a.route.line}`;
        return (
          <g key={`${a.route.node} ${a.route.line}`} className={on ? 'in-use' : undefined}>
            <path
              className="route"
              d={a.d}
              markerEnd={on ? 'url(#arrow-on)' : 'url(#arrow)'}
              role="img"
              aria-label={routeName(a.route.line, a.route.node)}
              {...(on ? { 'aria-current': 'step' as const } : {})}
            />
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
          </g>
        );
      })}
    </g>
  );
}
