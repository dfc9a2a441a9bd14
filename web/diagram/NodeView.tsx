import type { KeyboardEvent } from 'react';
import type { RealizedCluster } from '../../core/api/types';
import { podIsolation } from '../../core/policy/clusterPolicies';
import { PORT_H, PORT_W, type NodeBox } from './nodeGeometry';
import { PodPill } from './PodPill';

/** A monospace character's advance at the header's 17px, to set the IPv6 line under its address. */
const MONO_W = 17 * 0.602;
const SMALL_W = 14 * 0.602;
import type { Layout } from './layout';

export const activate = (fn: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    fn();
  }
};

/** What the current hop involves, as refs and device names, for aria-current and the highlight. */
export interface Involved {
  node: string | null;
  /** "eth0" | "flannel" | "stack" | "cni0" | "veth" on `node`. */
  device: string | null;
  pods: Set<string>;
  services: Set<string>;
}

const step = (on: boolean) => (on ? ({ 'aria-current': 'step' } as const) : {});

export interface NodeViewProps {
  nb: NodeBox;
  layout: Layout;
  cluster: RealizedCluster;
  colors: Map<string, string>;
  involved: Involved;
  cls: (ref: string, base: string) => string;
  selection: string | null;
  select: (ref: string) => void;
}

function isolationText(cluster: RealizedCluster, p: NodeBox['pods'][number]['pod']): string {
  const iso = podIsolation(cluster, p);
  if (iso.ingress.length && iso.egress.length) return 'in+out';
  return iso.ingress.length ? 'in' : iso.egress.length ? 'out' : '';
}

/** cni0's IPv6 address after its IPv4 one, condensed to the bridge's width if it is long. */
function BridgeSecondary({ nb, primary, text }: { nb: NodeBox; primary: string; text: string }) {
  const x = nb.bridge.x + 30 + primary.length * MONO_W + 10;
  const room = nb.bridge.x + nb.bridge.w - 8 - x;
  const fit = text.length * SMALL_W > room ? { textLength: room, lengthAdjust: 'spacingAndGlyphs' } : {};
  return (
    <text className="mono secondary-ip" x={x} y={nb.bridge.y + 21} {...fit}>
      {text}
    </text>
  );
}

export function NodeView({ nb, layout, cluster, colors, involved, cls, selection, select }: NodeViewProps) {
  const n = nb.node;
  const ref = `node/${n.name}`;
  const here = involved.node === n.name;
  const dev = here ? involved.device : null;
  const vxlan = cluster.cluster.cni === 'vxlan' && n.podCIDR !== null;
  const notReady = n.podCIDR === null;
  // The name holds the header's visible text in order, so "click node-a" by voice and a screen reader agree.
  // Dual-stack: each address is followed by its IPv6 one, as the header shows them.
  const ip6 = n.ips?.[1];
  const cidr6 = n.podCIDRs?.[1];
  const label = `node ${n.name} ${n.role}${vxlan ? ' flannel.1 (VXLAN)' : ''} eth0 ${n.ip}${ip6 ? ` ${ip6}` : ''} PodCIDR ${n.podCIDR ?? 'none'}${cidr6 ? ` ${cidr6}` : ''}`;
  const dual = (n.ips?.length ?? 0) > 1;
  const gw6 = n.gateways?.[1];
  const bandEdge = nb.facing === 1 ? layout.band.y + layout.band.h : layout.band.y;
  const port = (x: number, y: number, text: string, on: boolean, name: string, w = PORT_W) => (
    <g className={`port${on ? ' active' : ''}`} role="img" aria-label={`${name} on ${n.name}`} {...step(on)}>
      <rect x={x - w / 2} y={y - PORT_H / 2} width={w} height={PORT_H} rx={5} />
      <text className="mono" x={x} y={y + 5} textAnchor="middle">
        {text}
      </text>
    </g>
  );
  // Header baselines: name, role, eth0, PodCIDR; dual-stack adds a smaller IPv6 line under each address.
  const line = (i: number) => nb.headerY + (dual ? [26, 48, 74, 94, 118, 138] : [26, 48, 74, 98])[i]!;
  const under = (prefix: string) => nb.x + 16 + prefix.length * MONO_W;
  return (
    <g role="group" aria-label={`node ${n.name}`} {...step(here)}>
      <line className="uplink" x1={nb.eth0.x} y1={bandEdge} x2={nb.eth0.x} y2={nb.eth0.y} />
      <rect
        className={`${cls(ref, 'node-box')}${here ? ' active' : ''}${notReady ? ' broken' : ''}`}
        x={nb.x}
        y={nb.y}
        width={nb.w}
        height={nb.h}
        rx={12}
      />
      {/* The node's header is its button: pods inside the box stay separately clickable. */}
      <g
        className="node"
        tabIndex={0}
        role="button"
        aria-label={label}
        aria-pressed={selection === ref}
        onClick={() => select(ref)}
        onKeyDown={activate(() => select(ref))}
      >
        <rect className="node-hit" x={nb.x + 6} y={nb.headerY} width={nb.w - 12} height={nb.headerH} rx={8} />
        <text className="node-name" x={nb.x + 16} y={line(0)}>
          {n.name}
        </text>{' '}
        <text className="node-role" x={nb.x + 16} y={line(1)}>
          {n.role}
          {vxlan ? ' · flannel.1 (VXLAN)' : ''}
        </text>{' '}
        <text className="mono" x={nb.x + 16} y={line(2)}>
          eth0 {n.ip}
        </text>{' '}
        {ip6 && (
          <text className="mono secondary-ip" x={under('eth0 ')} y={line(3)}>
            {ip6}
          </text>
        )}{' '}
        <text className={`mono${notReady ? ' error-text' : ''}`} x={nb.x + 16} y={line(dual ? 4 : 3)}>
          PodCIDR {n.podCIDR ?? '— none (NotReady)'}
        </text>{' '}
        {cidr6 && (
          <text className="mono secondary-ip" x={under('PodCIDR ')} y={line(5)}>
            {cidr6}
          </text>
        )}
      </g>
      <g
        className={`stack${dev === 'stack' ? ' active' : ''}`}
        role="img"
        aria-label={`routing and kube-proxy on ${n.name}`}
        {...step(dev === 'stack')}
      >
        <rect x={nb.stack.x} y={nb.stack.y} width={nb.stack.w} height={nb.stack.h} rx={5} />
        <text x={nb.stack.x + 10} y={nb.stack.y + 19}>
          routing · kube-proxy ({cluster.cluster.kubeProxyMode})
        </text>
      </g>
      {port(nb.eth0.x, nb.eth0.y, 'eth0', dev === 'eth0', 'eth0')}
      {vxlan && port(nb.flannel.x, nb.flannel.y, 'flannel.1', dev === 'flannel', 'flannel.1', 92)}
      {n.gateway && (
        <g
          className={`bridge${dev === 'cni0' ? ' active' : ''}`}
          role="img"
          aria-label={`cni0 on ${n.name}`}
          {...step(dev === 'cni0')}
        >
          <rect x={nb.bridge.x} y={nb.bridge.y} width={nb.bridge.w} height={nb.bridge.h} rx={6} />
          <text className="mono" x={nb.bridge.x + 30} y={nb.bridge.y + 22}>
            cni0 {n.gateway}
          </text>{' '}
          {gw6 && <BridgeSecondary nb={nb} primary={`cni0 ${n.gateway}`} text={gw6} />}
          <line className="bus" x1={nb.busX} y1={nb.bridge.y + nb.bridge.h / 2} x2={nb.busX} y2={nb.busEnd} />
        </g>
      )}
      {nb.pods.map((pb) => {
        const p = pb.pod;
        const pref = `pod/${p.namespace}/${p.name}`;
        const color = colors.get(p.owner ?? `Pod/${p.namespace}/${p.name}`)!;
        const isoText = isolationText(cluster, p);
        const active = involved.pods.has(pref);
        const onVeth = here && dev === 'veth' && active;
        const shownName =
          p.namespace === 'default' || p.namespace === 'kube-system' ? p.name : `${p.namespace}/${p.name}`;
        const pendingText = `Pending: ${p.reason?.split(':')[0] ?? ''}`;
        const isoWords = isoText === 'in' ? 'ingress' : isoText === 'out' ? 'egress' : 'ingress and egress';
        return (
          <g key={pref}>
            <line className={`veth${onVeth ? ' active' : ''}`} x1={nb.busX} y1={pb.bus.y} x2={pb.x} y2={pb.bus.y} />
            <g
              className={`${cls(pref, 'pod')}${p.phase === 'Pending' ? ' pending' : ''}${active ? ' active' : ''}`}
              tabIndex={0}
              role="button"
              aria-label={`pod ${shownName} ${p.ip ?? `no IP, ${pendingText}`}${p.ips?.[1] ? ` ${p.ips[1]}` : ''}${isoText ? ` policy ${isoText} on ${n.name}, isolated by NetworkPolicy (${isoWords})` : ` on ${n.name}`}`}
              aria-pressed={selection === pref}
              {...step(active)}
              onClick={() => select(pref)}
              onKeyDown={activate(() => select(pref))}
            >
              <PodPill pb={pb} color={color} shownName={shownName} pendingText={pendingText} isoText={isoText} />
            </g>
          </g>
        );
      })}
      {nb.hidden > 0 && (
        <text className="more" x={nb.x + 52} y={nb.moreY}>
          + {nb.hidden} more pods (select the node)
        </text>
      )}
    </g>
  );
}
