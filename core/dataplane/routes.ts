// Route tables as the kernel holds them and `ip route` prints them.
import { containsIp, firstUsable, formatCidr, formatIp, lastUsable, parseCidr, parseIp } from '../ip/cidr';
import type { Cidr, Ipv4 } from '../ip/types';
import type { RealizedCluster, RealizedNode, RealizedPod } from '../api/types';
import { clusterNodeSubnet, clusterPodCidr, nodeGateway, nodeIp, nodePodCidr, podIp } from '../api/familyFields';
import type { IpFamilyName } from '../ip/anyIp';

export interface Route {
  /** null = default. */
  dst: Cidr | null;
  via?: Ipv4;
  dev: string;
  proto?: 'kernel';
  scope?: 'link';
  src?: Ipv4;
  onlink?: boolean;
  /** Who installed it, for explanations. */
  origin: 'kernel' | 'cni' | 'host-gw' | 'flannel' | 'dhcp';
}

/** One route line, exactly as iproute2 prints it (a /32 prints without its prefix). */
export function renderRoute(r: Route): string {
  const dst = r.dst === null ? 'default' : r.dst.prefix === 32 ? formatIp(r.dst.base) : formatCidr(r.dst);
  let s = dst;
  if (r.via !== undefined) s += ` via ${formatIp(r.via)}`;
  s += ` dev ${r.dev}`;
  if (r.proto) s += ` proto ${r.proto}`;
  if (r.scope) s += ` scope ${r.scope}`;
  if (r.src !== undefined) s += ` src ${formatIp(r.src)}`;
  if (r.onlink) s += ' onlink';
  return s;
}

/** The kernel lists the main table in key order: default first, then by address, longer prefixes first. */
export function sortRoutes(routes: Route[]): Route[] {
  const key = (r: Route) => (r.dst === null ? -1 : r.dst.base);
  return [...routes].sort((a, b) => key(a) - key(b) || (b.dst?.prefix ?? 0) - (a.dst?.prefix ?? 0));
}

/** Longest-prefix match over a table indexed by prefix length: at most 33 Map lookups. */
export class RouteLookup {
  private readonly byPrefix: Map<number, Route>[] = [];
  private readonly prefixes: number[];

  constructor(routes: Route[]) {
    for (const r of routes) {
      const p = r.dst?.prefix ?? 0;
      (this.byPrefix[p] ??= new Map()).set(r.dst?.base ?? 0, r);
    }
    this.prefixes = this.byPrefix
      .map((_, p) => p)
      .filter((p) => this.byPrefix[p])
      .sort((a, b) => b - a);
  }

  lookup(ip: Ipv4): Route | undefined {
    for (const p of this.prefixes) {
      const base = p === 0 ? 0 : (ip & ((0xffffffff << (32 - p)) >>> 0)) >>> 0;
      const r = this.byPrefix[p]!.get(base);
      if (r) return r;
    }
    return undefined;
  }
}

/** Whether the cluster has an IPv4 family at all: an IPv4 pod range (an IPv6 single-stack one, kind's ipFamily ipv6, has none). */
export const hasIpv4 = (c: RealizedCluster): boolean => clusterPodCidr(c.cluster, 'IPv4') !== undefined;

/**
 * The family of the addresses nodeDevices gives a node's devices: IPv4 wherever the cluster has it, whichever family
 * is primary (a dual-stack node's IPv6 addresses are nodeAddresses6's), else IPv6.
 */
export const deviceFamily = (c: RealizedCluster): IpFamilyName => (hasIpv4(c) ? 'IPv4' : 'IPv6');

// The IPv4 fields these tables read exist wherever hasIpv4 holds (every node, pod and range has an IPv4 entry).
const cidrOf = (t: string | undefined): Cidr => {
  const p = t === undefined ? undefined : parseCidr(t);
  if (!p?.ok) throw new Error(`internal: ${t} is not an IPv4 CIDR`);
  return p.value;
};
const ipOf = (t: string | undefined): Ipv4 => {
  const p = t === undefined ? undefined : parseIp(t);
  if (!p?.ok) throw new Error(`internal: ${t} is not an IPv4 address`);
  return p.value;
};

/**
 * The underlay's default gateway: the node network's first address, as
 * Docker's network gives kind, unless a node holds it; then the last usable one.
 */
export function nodeNetworkGateway(c: RealizedCluster): Ipv4 {
  const net = cidrOf(clusterNodeSubnet(c.cluster, 'IPv4'));
  const first = firstUsable(net);
  return c.nodes.some((n) => ipOf(nodeIp(n, 'IPv4')) === first) ? lastUsable(net) : first;
}

/**
 * Route decisions for any node without building its whole table: node
 * PodCIDRs are indexed once per cluster, so a lookup is a few Map gets. It
 * answers exactly as a longest-prefix match over nodeRoutes() would (a test
 * checks this), because PodCIDRs, the node network and default never overlap.
 */
export class ClusterRoutes {
  private readonly ownerByBase = new Map<number, RealizedNode>();
  private readonly mask: number;
  private readonly podCidr: Cidr;
  private readonly nodeNet: Cidr;
  private readonly gateway: Ipv4;

  constructor(private readonly c: RealizedCluster) {
    this.mask = c.cluster.nodeCIDRMaskSize;
    this.podCidr = cidrOf(clusterPodCidr(c.cluster, 'IPv4'));
    this.nodeNet = cidrOf(clusterNodeSubnet(c.cluster, 'IPv4'));
    this.gateway = nodeNetworkGateway(c);
    for (const n of c.nodes) {
      const own = nodePodCidr(n, 'IPv4');
      if (own) this.ownerByBase.set(cidrOf(own).base, n);
    }
  }

  lookup(node: RealizedNode, ip: Ipv4): Route {
    if (containsIp(this.podCidr, ip)) {
      const base = (ip & ((0xffffffff << (32 - this.mask)) >>> 0)) >>> 0;
      const owner = this.ownerByBase.get(base);
      if (owner === node && hasBridge(node)) {
        return {
          dst: { base, prefix: this.mask },
          dev: 'cni0',
          proto: 'kernel',
          scope: 'link',
          src: ipOf(nodeGateway(node, 'IPv4')),
          origin: 'kernel',
        };
      }
      if (owner && owner !== node) {
        const dst = { base, prefix: this.mask };
        if (this.c.cluster.cni === 'vxlan')
          return { dst, via: base, dev: 'flannel.1', onlink: true, origin: 'flannel' };
        const via = ipOf(nodeIp(owner, 'IPv4'));
        if (containsIp(this.nodeNet, via)) return { dst, via, dev: 'eth0', origin: 'host-gw' };
      }
    }
    if (containsIp(this.nodeNet, ip)) {
      const src = ipOf(nodeIp(node, 'IPv4'));
      return { dst: this.nodeNet, dev: 'eth0', proto: 'kernel', scope: 'link', src, origin: 'kernel' };
    }
    return { dst: null, via: this.gateway, dev: 'eth0', origin: 'dhcp' };
  }
}

/** cni0 exists once the bridge plugin has set up the node's first pod. */
export const hasBridge = (n: RealizedNode) => n.gateway !== null && n.pods.some((p) => !p.hostNetwork && p.ip !== null);

/**
 * A node's main table: its networks, the default route, and one route per other node's PodCIDR (empty in an IPv6
 * single-stack cluster: see routes6.ts).
 */
export function nodeRoutes(c: RealizedCluster, node: RealizedNode): Route[] {
  if (!hasIpv4(c)) return [];
  const net = cidrOf(clusterNodeSubnet(c.cluster, 'IPv4'));
  const routes = ownRoutes(c, node);
  for (const other of c.nodes) {
    if (other === node) continue;
    const r = peerRoute(c, net, other);
    if (r) routes.push(r);
  }
  return sortRoutes(routes);
}

/** The routes of a node's main table that are not to another node's PodCIDR, in the order they are added. */
export function ownRoutes(c: RealizedCluster, node: RealizedNode): Route[] {
  const routes: Route[] = [
    { dst: null, via: nodeNetworkGateway(c), dev: 'eth0', origin: 'dhcp' },
    {
      dst: cidrOf(clusterNodeSubnet(c.cluster, 'IPv4')),
      dev: 'eth0',
      proto: 'kernel',
      scope: 'link',
      src: ipOf(nodeIp(node, 'IPv4')),
      origin: 'kernel',
    },
  ];
  if (hasBridge(node)) {
    routes.push({
      dst: cidrOf(nodePodCidr(node, 'IPv4')),
      dev: 'cni0',
      proto: 'kernel',
      scope: 'link',
      src: ipOf(nodeGateway(node, 'IPv4')),
      origin: 'kernel',
    });
  }
  return routes;
}

/** The route every other node's main table has to `other`'s PodCIDR (`net`: the node network); none without one. */
export function peerRoute(c: RealizedCluster, net: Cidr, other: RealizedNode): Route | undefined {
  const own = nodePodCidr(other, 'IPv4');
  if (own === undefined) return undefined;
  const dst = cidrOf(own);
  // flannel's vxlan backend: via the remote flannel.1 address (its PodCIDR's network address), onlink.
  if (c.cluster.cni === 'vxlan') return { dst, via: dst.base, dev: 'flannel.1', onlink: true, origin: 'flannel' };
  const via = ipOf(nodeIp(other, 'IPv4'));
  if (containsIp(net, via)) return { dst, via, dev: 'eth0', origin: 'host-gw' };
  return undefined;
}

/**
 * A pod's table, as flannel's CNI config gives it (bridge plugin with
 * isDefaultGateway, host-local with a route to the cluster CIDR).
 */
export function podRoutes(c: RealizedCluster, node: RealizedNode, pod: RealizedPod): Route[] {
  if (!hasIpv4(c)) return [];
  if (pod.hostNetwork) return nodeRoutes(c, node);
  const gateway = nodeGateway(node, 'IPv4');
  if (pod.ip === null || gateway === undefined) return [];
  const gw = ipOf(gateway);
  const src = ipOf(podIp(pod, 'IPv4'));
  return sortRoutes([
    { dst: null, via: gw, dev: 'eth0', origin: 'cni' },
    { dst: cidrOf(clusterPodCidr(c.cluster, 'IPv4')), via: gw, dev: 'eth0', origin: 'cni' },
    { dst: cidrOf(nodePodCidr(node, 'IPv4')), dev: 'eth0', proto: 'kernel', scope: 'link', src, origin: 'kernel' },
  ]);
}
