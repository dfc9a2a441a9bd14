import type { Layout } from './layout';
import type { PlaceIndex } from './placePoints';

/** The external client and the default gateway: places on the node network, drawn when a trace uses them. */
export function OutsidePlaces({
  layout,
  index,
  client,
  gateway,
  inUse,
  atClient,
  routeName,
}: {
  layout: Layout;
  index: PlaceIndex;
  client: string | null;
  gateway: { ip: string; node: string; line: string } | null;
  inUse: string | null;
  atClient: boolean;
  routeName: (line: string, node: string) => string;
}) {
  const c = layout.client;
  const g = layout.gateway;
  const from = gateway ? index.nodes.get(gateway.node) : undefined;
  const y = g.y + g.h / 2;
  const on = gateway !== null && inUse === `${gateway.node} ${gateway.line}`;
  return (
    <g className="outside">
      {client && (
        <g className={`place${atClient ? ' active' : ''}`} role="img" aria-label={`external client ${client}`}>
          <rect x={c.x} y={c.y} width={c.w} height={c.h} rx={6} />
          <text className="mono" x={c.x + 8} y={c.y + 22}>
            client {client}
          </text>
        </g>
      )}
      {gateway && (
        <g className="place" role="img" aria-label={`default gateway ${gateway.ip}`}>
          <rect x={g.x} y={g.y} width={g.w} height={g.h} rx={6} />
          <text className="mono" x={g.x + 8} y={g.y + 22}>
            gateway {gateway.ip}
          </text>
        </g>
      )}
      {gateway && from && (
        <g className={on ? 'routes in-use' : 'routes'}>
          <path
            className="route"
            d={`M ${from.eth0.x - 7} ${from.eth0.y} V ${y} H ${g.x}`}
            markerEnd={on ? 'url(#arrow-on)' : 'url(#arrow)'}
            role="img"
            aria-label={routeName(gateway.line, gateway.node)}
            {...(on ? { 'aria-current': 'step' as const } : {})}
          />
        </g>
      )}
    </g>
  );
}
