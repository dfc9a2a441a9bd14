import type { RealizedCluster } from '../../core/api/types';
import { serviceEdge, type Layout } from './layout';
import type { PlaceIndex } from './placePoints';
import { activate, type Involved } from './NodeView';

const portList = (s: RealizedCluster['services'][number]) =>
  s.ports.map((p) => (p.nodePort ? `${p.port}→:${p.nodePort}` : `${p.port}`)).join(',');

/** The type word ("ClusterIP ") at its 14px monospace: the IPv6 line starts under the IPv4 address. */
const typeWidth = (type: string) => (type.length + 1) * 14 * 0.602;

function portsText(s: RealizedCluster['services'][number]): string {
  if (s.headless) return `ports ${portList(s)}`;
  // An IPv6 single-stack cluster's ClusterIP is IPv6: bracketed before its ports, as addresses with ports are written.
  return s.clusterIP?.includes(':') ? `[${s.clusterIP}]:${portList(s)}` : `${s.clusterIP}:${portList(s)}`;
}

/**
 * An address line longer than the pill (an IPv6 ClusterIP with a NodePort) is narrowed to fit it rather than
 * spilling over the next pill: at 15px monospace a character is 0.602em wide.
 */
function fitted(s: RealizedCluster['services'][number], room: number) {
  const chars = (s.headless ? 'headless' : s.type).length + 1 + portsText(s).length;
  return chars * 15 * 0.602 > room ? { textLength: room, lengthAdjust: 'spacingAndGlyphs' as const } : {};
}

/** A dual-stack Service's second ClusterIP with its ports, bracketed as an IPv6 address with a port is written. */
function secondaryText(s: RealizedCluster['services'][number]): string | null {
  const ip6 = s.clusterIPs?.[1];
  return ip6 && !s.headless ? `[${ip6}]:${portList(s)}` : null;
}

/** Service pills beside (or below) the nodes, with their endpoint edges kept in the gutters. */
export function ServicesLayer({
  layout,
  index,
  involved,
  lightPod,
  cls,
  selection,
  select,
  unscheduled,
}: {
  layout: Layout;
  index: PlaceIndex;
  involved: Involved;
  /** The endpoint a NAT hop chose: its Service edge is lit. */
  lightPod: string | null;
  cls: (ref: string, base: string) => string;
  selection: string | null;
  select: (ref: string) => void;
  unscheduled: { count: number; reason: string };
}) {
  const sv = layout.services;
  const lx = sv.x;
  return (
    <g className="services" role="group" aria-label="Services: virtual IPs">
      <text className="layer-label" x={lx} y={sv.y + 22}>
        Services: virtual IPs
      </text>
      <text className="layer-sub" x={lx} y={sv.y + 42}>
        kube-proxy translates them on every node
      </text>
      {sv.boxes.map((sb) => {
        const s = sb.service;
        const ref = `svc/${s.namespace}/${s.name}`;
        const lit = involved.services.has(ref);
        const emphasis = selection === ref || lit;
        const dns = s.namespace === 'kube-system' && s.name === 'kube-dns';
        const second = secondaryText(s);
        const pods = [...new Set(s.endpoints.map((e) => `${e.namespace}/${e.pod}`))]
          .map((k) => [k, index.pods.get(k)] as const)
          .filter((x): x is [string, NonNullable<(typeof x)[1]>] => x[1] !== undefined);
        return (
          <g key={ref}>
            {pods.map(([k, at]) => (
              <path
                key={k}
                className={`svc-edge${emphasis ? ' emphasis' : ''}${lit && lightPod === `pod/${k}` ? ' chosen' : ''}`}
                d={serviceEdge(layout, sb, at.node, at.pod.y, at.pod.x + at.pod.w)}
              />
            ))}
            <g
              className={`${cls(ref, 'svc')}${lit ? ' active' : ''}`}
              tabIndex={0}
              role="button"
              aria-pressed={selection === ref}
              aria-label={`Service ${s.namespace}/${s.name}${dns ? ' · cluster DNS' : ''} ${s.headless ? 'headless' : s.type} ${portsText(s)}${second ? ` ${second}` : ''}`}
              {...(lit ? { 'aria-current': 'step' as const } : {})}
              onClick={() => select(ref)}
              onKeyDown={activate(() => select(ref))}
            >
              <rect x={sb.x} y={sb.y} width={sb.w} height={sb.h} rx={sb.h / 2} />
              <text className="svc-name" x={sb.x + 18} y={sb.y + 23}>
                {s.name}
                {dns ? ' · cluster DNS' : ''}
              </text>{' '}
              <text className="mono svc-ip" x={sb.x + 18} y={sb.y + 44} {...fitted(s, sb.w - 36)}>
                <tspan className="svc-type">{s.headless ? 'headless' : s.type} </tspan>
                {portsText(s)}
              </text>{' '}
              {second && (
                <text className="mono secondary-ip" x={sb.x + 18 + typeWidth(s.type)} y={sb.y + 63}>
                  {second}
                </text>
              )}
            </g>
          </g>
        );
      })}
      {sv.hidden > 0 && (
        <text className="more" x={lx} y={layout.pending.y - 4}>
          + {sv.hidden} more Services (see the Services table)
        </text>
      )}
      {unscheduled.count > 0 && (
        <g className="pending-place" role="img" aria-label={`Pending: ${unscheduled.count} pods not scheduled`}>
          <rect x={layout.pending.x} y={layout.pending.y} width={layout.pending.w} height={layout.pending.h} rx={8} />
          <text className="pending-count" x={layout.pending.x + 14} y={layout.pending.y + 23}>
            Pending: {unscheduled.count} {unscheduled.count === 1 ? 'pod' : 'pods'} not scheduled
          </text>
          <text className="pending-reason" x={layout.pending.x + 14} y={layout.pending.y + 44}>
            {unscheduled.reason.length > 40 ? `${unscheduled.reason.slice(0, 39)}…` : unscheduled.reason}
          </text>
        </g>
      )}
    </g>
  );
}
