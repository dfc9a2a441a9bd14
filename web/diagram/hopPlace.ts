// The one place the diagram reads a trace hop: where on the picture it happens,
// which addresses it carries and what it did. Every fact is the hop's own; nothing
// here re-derives a route or a NAT decision. If core's Hop changes shape, only this file follows.
import type { RealizedCluster } from '../../core/api/types';
import type { Hop } from '../../core/trace/types';

export type PlaceKind = 'pod' | 'veth' | 'cni0' | 'stack' | 'eth0' | 'flannel' | 'external';

export interface HopPlace {
  kind: PlaceKind;
  /** The node the hop names; null outside the cluster. */
  node: string | null;
  /** "NS/NAME" of the pod whose eth0 or veth this is. */
  pod?: string;
  device: string;
  action: string;
  src: string;
  dst: string;
  srcAfter: string;
  dstAfter: string;
  /** The route line that decided, when the hop routed. */
  routeLine?: string;
  /** The gateway of the default route the hop took out of the node, when it took one. */
  viaGateway?: string;
  nat: 'dnat' | 'snat' | 'un-nat' | null;
  dropped: boolean;
  explain: string;
  /** The outer header while the packet is encapsulated. */
  outer?: { src: string; dst: string; proto: string };
}

const ROUTING = new Set(['send', 'route', 'encapsulate']);

/** "default via GW dev DEV" in a host route hop: the packet leaves the cluster's nodes through GW. */
function defaultGateway(hop: Hop): { viaGateway?: string } {
  if (hop.namespace !== 'host' || String(hop.action) !== 'route') return {};
  const m = /^default via (\S+)/.exec(hop.rule ?? '');
  return m ? { viaGateway: m[1]! } : {};
}

function natOf(action: string): HopPlace['nat'] {
  if (action === 'dnat' || action === 'snat') return action;
  if (action === 'un-nat' || action === 'unnat' || action === 'un-dnat' || action === 'un-snat') return 'un-nat';
  return null;
}

/**
 * Where a hop happens. `podOfVeth` maps a node's host-side veth name to its pod ("NS/NAME"),
 * from the realized cluster, so "vethXXXX → cni0" is drawn on the right pod's veth.
 */
export function hopPlace(hop: Hop, podOfVeth: (node: string, veth: string) => string | undefined): HopPlace {
  const device = hop.device;
  const base = {
    node: hop.node === 'external' ? null : hop.node,
    device,
    action: String(hop.action),
    src: hop.src,
    dst: hop.dst,
    srcAfter: hop.srcAfter,
    dstAfter: hop.dstAfter,
    routeLine: ROUTING.has(String(hop.action)) && hop.namespace === 'host' ? hop.rule : undefined,
    ...defaultGateway(hop),
    nat: natOf(String(hop.action)),
    dropped: hop.action === 'drop' || hop.action === 'reject',
    explain: hop.explain,
    ...(hop.outer ? { outer: hop.outer } : {}),
  };
  if (hop.node === 'external' || hop.namespace === 'external') return { ...base, kind: 'external' };
  if (hop.namespace.startsWith('pod ')) return { ...base, kind: 'pod', pod: hop.namespace.slice(4) };
  const first = device.split(/\s*→\s*/)[0] ?? device;
  if (first.startsWith('veth')) return { ...base, kind: 'veth', pod: podOfVeth(hop.node, first) };
  if (device.includes('flannel.')) return { ...base, kind: 'flannel' };
  if (device === 'cni0') return { ...base, kind: 'cni0' };
  if (device === 'eth0') return { ...base, kind: 'eth0' };
  // netfilter chains, conntrack, NetworkPolicy: the host's own stack.
  return { ...base, kind: 'stack' };
}

/** The packet's accessible name: the addresses as the hop leaves them, and where it is. */
export function packetName(p: HopPlace): string {
  return `Packet ${p.srcAfter} → ${p.dstAfter} at ${p.device} on ${p.node ?? 'the outside network'}`;
}

/** The IP of "IP:PORT" (IPv4 or [IPv6]:port). */
export function ipOf(addr: string): string {
  const m = /^\[(.*)\]:\d+$/.exec(addr);
  if (m) return m[1]!;
  const i = addr.lastIndexOf(':');
  return i > 0 && addr.indexOf(':') === i ? addr.slice(0, i) : addr;
}

export function portOf(addr: string): number | null {
  const i = addr.lastIndexOf(':');
  const n = Number(addr.slice(i + 1));
  return i > 0 && Number.isInteger(n) ? n : null;
}

/** What a NAT hop lights: the Service it translated and the endpoint pod it chose (or came back from). */
export function natLit(p: HopPlace, cluster: RealizedCluster): { service?: string; pod?: string; nodePortOn?: string } {
  if (!p.nat || p.nat === 'snat') return {};
  const virtual = p.nat === 'dnat' ? p.dst : p.srcAfter;
  const real = p.nat === 'dnat' ? p.dstAfter : p.src;
  const vip = ipOf(virtual);
  const vport = portOf(virtual);
  const node = cluster.nodes.find((n) => n.ip === vip);
  const svc = cluster.services.find((s) =>
    node ? s.ports.some((x) => x.nodePort === vport) : s.clusterIP === vip && s.ports.some((x) => x.port === vport),
  );
  const pod = cluster.pods.find((x) => x.ip === ipOf(real) && !x.hostNetwork);
  return {
    ...(svc ? { service: `svc/${svc.namespace}/${svc.name}` } : {}),
    ...(pod ? { pod: `pod/${pod.namespace}/${pod.name}` } : {}),
    ...(node ? { nodePortOn: node.name } : {}),
  };
}
