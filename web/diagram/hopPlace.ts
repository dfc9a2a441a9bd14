// The one place the diagram reads a trace hop: where on the picture it happens,
// which addresses it carries and what it did. Every fact is the hop's own; nothing
// here re-derives a route or a NAT decision. If core's Hop changes shape, only this file follows.
import type { RealizedCluster } from '../../core/api/types';
import { formatAny } from '../../core/ip/anyIp';
import { byIp } from '../../core/trace/refs';
import type { Hop, Pkt } from '../../core/trace/types';

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
  /** The packet before and after the hop, as core parsed it. */
  packet?: { before: Pkt; after: Pkt };
}

const ROUTING = new Set(['send', 'route', 'encapsulate']);

/** A host route hop that took the default route: the packet leaves the cluster's nodes through its gateway. */
function defaultGateway(hop: Hop): { viaGateway?: string } {
  const r = hop.routeUsed;
  if (hop.namespace !== 'host' || hop.action !== 'route' || !r || r.dst !== null || r.via === undefined) return {};
  return { viaGateway: formatAny(r.via) };
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
    ...(hop.packet ? { packet: hop.packet } : {}),
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

/** The client's address on an external hop, as core parsed it. */
export const clientIp = (p: HopPlace): string | null => (p.packet ? formatAny(p.packet.before.src) : null);

/** What a NAT hop lights: the Service it translated and the endpoint pod it chose (or came back from). */
export function natLit(p: HopPlace, cluster: RealizedCluster): { service?: string; pod?: string; nodePortOn?: string } {
  if (!p.nat || p.nat === 'snat' || !p.packet) return {};
  const { before, after } = p.packet;
  // DNAT rewrites the destination; the reply's un-NAT gives the virtual address back as its source.
  const virtual = p.nat === 'dnat' ? { ip: before.dst, port: before.dport } : { ip: after.src, port: after.sport };
  const real = p.nat === 'dnat' ? after.dst : before.src;
  const at = byIp(cluster, formatAny(virtual.ip));
  const svc =
    at.kind === 'service'
      ? at.service
      : at.kind === 'node'
        ? cluster.services.find((s) => s.ports.some((x) => x.nodePort === virtual.port))
        : undefined;
  const to = byIp(cluster, formatAny(real));
  return {
    ...(svc ? { service: `svc/${svc.namespace}/${svc.name}` } : {}),
    ...(to.kind === 'pod' && !to.pod.hostNetwork ? { pod: `pod/${to.pod.namespace}/${to.pod.name}` } : {}),
    ...(at.kind === 'node' ? { nodePortOn: at.node.name } : {}),
  };
}
