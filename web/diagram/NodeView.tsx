import type { KeyboardEvent } from 'react';
import type { RealizedCluster } from '../../core/api/types';
import { podIsolation } from '../../core/policy/clusterPolicies';
import { PORT_H, PORT_W, POD_H, type NodeBox } from './nodeGeometry';
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

export function NodeView({ nb, layout, cluster, colors, involved, cls, selection, select }: NodeViewProps) {
  const n = nb.node;
  const ref = `node/${n.name}`;
  const here = involved.node === n.name;
  const dev = here ? involved.device : null;
  const vxlan = cluster.cluster.cni === 'vxlan' && n.podCIDR !== null;
  const notReady = n.podCIDR === null;
  // The name holds the header's visible text in order, so "click node-a" by voice and a screen reader agree.
  const label = `node ${n.name} ${n.role}${vxlan ? ' flannel.1 (VXLAN)' : ''} eth0 ${n.ip} PodCIDR ${n.podCIDR ?? 'none'}`;
  const bandEdge = nb.facing === 1 ? layout.band.y + layout.band.h : layout.band.y;
  const port = (x: number, y: number, text: string, on: boolean, name: string, w = PORT_W) => (
    <g className={`port${on ? ' active' : ''}`} role="img" aria-label={`${name} on ${n.name}`} {...step(on)}>
      <rect x={x - w / 2} y={y - PORT_H / 2} width={w} height={PORT_H} rx={5} />
      <text className="mono" x={x} y={y + 5} textAnchor="middle">
        {text}
      </text>
    </g>
  );
  const line = (i: number) => nb.headerY + [26, 48, 74, 98][i]!;
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
        <rect className="node-hit" x={nb.x + 6} y={nb.headerY} width={nb.w - 12} height={104} rx={8} />
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
        <text className={`mono${notReady ? ' error-text' : ''}`} x={nb.x + 16} y={line(3)}>
          PodCIDR {n.podCIDR ?? '— none (NotReady)'}
        </text>
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
          </text>
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
              aria-label={`pod ${shownName} ${p.ip ?? `no IP, ${pendingText}`}${isoText ? ` policy ${isoText} on ${n.name}, isolated by NetworkPolicy (${isoWords})` : ` on ${n.name}`}`}
              aria-pressed={selection === pref}
              {...step(active)}
              onClick={() => select(pref)}
              onKeyDown={activate(() => select(pref))}
            >
              <rect x={pb.x} y={pb.y} width={pb.w} height={POD_H} rx={8} style={{ stroke: color }} />
              <rect x={pb.x} y={pb.y} width={8} height={POD_H} rx={3} style={{ fill: color }} />
              <text className="pod-name" x={pb.x + 18} y={pb.y + 19}>
                {shownName}
              </text>{' '}
              <text className={`mono pod-ip${p.ip ? '' : ' error-text'}`} x={pb.x + 18} y={pb.y + 37}>
                {p.ip ?? pendingText}
              </text>{' '}
              {isoText && (
                <g className="isolated">
                  <rect x={pb.x + pb.w - 92} y={pb.y + 24} width={84} height={17} rx={4} />
                  <text x={pb.x + pb.w - 86} y={pb.y + 37}>
                    policy {isoText}
                  </text>
                </g>
              )}
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
