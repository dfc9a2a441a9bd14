// A dual-stack node's IPv6 main table as `ip -6 route` prints it: the kernel's prefix routes (the node network on
// eth0, the PodCIDR on cni0, flannel-v6.1's /128, fe80::/64 on every link with a link-local address; ::1 lives in
// the local table on current kernels) and the CNI's routes to
// the other nodes' IPv6 PodCIDRs as flannel installs them (pkg/backend/hostgw/hostgw.go GetV6Route: via the node's
// IPv6 address on eth0; pkg/backend/vxlan/vxlan_network.go v6VxlanRoute: via the PodCIDR's first address on
// flannel-v6.1, onlink).
import { clusterPodCidr, nodeGateway, nodeIp, nodePodCidr, podIp } from '../api/familyFields';
import { containsIp6, formatCidr6, formatIp6, parseCidr6, parseIp6, type Cidr6 } from '../ip/cidr6';
import { hasBridge } from './routes';
import { vethName } from './devices';
import type { RealizedCluster, RealizedNode, RealizedPod } from '../api/types';

export interface Route6 {
  /** null = default. */
  dst: Cidr6 | null;
  via?: bigint;
  dev: string;
  proto?: 'kernel';
  /** The kernel's prefix routes get 256; a route added without a metric gets IPv6's default 1024. */
  metric: number;
  onlink?: boolean;
  origin: 'kernel' | 'cni' | 'host-gw' | 'flannel' | 'dhcp';
}

/** One line as iproute2 prints an IPv6 route (a /128 without its prefix; "pref medium" on every route, no trailing space). */
export function renderRoute6(r: Route6): string {
  const dst = r.dst === null ? 'default' : r.dst.prefix === 128 ? formatIp6(r.dst.base) : formatCidr6(r.dst);
  let s = dst;
  if (r.via !== undefined) s += ` via ${formatIp6(r.via)}`;
  s += ` dev ${r.dev}`;
  if (r.proto) s += ` proto ${r.proto}`;
  s += ` metric ${r.metric}`;
  if (r.onlink) s += ' onlink';
  return `${s} pref medium`;
}

const cidr6 = (t: string): Cidr6 => (parseCidr6(t) as { value: Cidr6 }).value;
const ip6 = (t: string): bigint => (parseIp6(t) as { value: bigint }).value;
const LINK_LOCAL = cidr6('fe80::/64');

/**
 * The order the kernel dumps its IPv6 FIB in: the radix tree walked children first (fib6_walk: left, right, then
 * the node), so a prefix inside another comes before it (a pod's /64 before the cluster's /56, as `ip -6 route` in
 * a network namespace prints them), others ascend by address, and the default route is last; routes to the same
 * prefix (fe80::/64 on several links) in the order they were added.
 */
export function fibOrder(routes: Route6[]): Route6[] {
  const dst = (r: Route6) => r.dst ?? { base: 0n, prefix: 0 };
  const inside = (a: Cidr6, b: Cidr6) => a.prefix > b.prefix && containsIp6(b, a.base);
  return routes
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      const a = dst(x.r);
      const b = dst(y.r);
      if (inside(a, b)) return -1;
      if (inside(b, a)) return 1;
      const d = a.base - b.base;
      return d !== 0n ? (d < 0n ? -1 : 1) : b.prefix - a.prefix || x.i - y.i;
    })
    .map((x) => x.r);
}

/** Every node's IPv6 PodCIDR and address, parsed once per cluster: each node's table has a route to each. */
const peers = new WeakMap<RealizedCluster, { node: RealizedNode; podCIDR: Cidr6; ip: bigint }[]>();
export function peers6(c: RealizedCluster) {
  let list = peers.get(c);
  if (!list) {
    list = c.nodes.flatMap((node) => {
      const dst = nodePodCidr(node, 'IPv6');
      const via = nodeIp(node, 'IPv6');
      return dst === undefined || via === undefined ? [] : [{ node, podCIDR: cidr6(dst), ip: ip6(via) }];
    });
    peers.set(c, list);
  }
  return list;
}

/** The node's IPv6 main table; undefined in a single-stack cluster. */
export function nodeRoutes6(c: RealizedCluster, node: RealizedNode): Route6[] | undefined {
  const routes = ownRoutes6(c, node);
  if (!routes) return undefined;
  const vxlan = viaVxlan6(c, node);
  for (const other of peers6(c)) if (other.node !== node) routes.push(peerRoute6(vxlan, other));
  return fibOrder(routes);
}

/** Whether a node reaches the others' IPv6 PodCIDRs over flannel-v6.1 (vxlan, and it has an IPv6 PodCIDR itself). */
export const viaVxlan6 = (c: RealizedCluster, node: RealizedNode) =>
  c.cluster.cni === 'vxlan' && nodePodCidr(node, 'IPv6') !== undefined;

/** The route to another node's IPv6 PodCIDR, as flannel installs it. */
export function peerRoute6(vxlan: boolean, other: { podCIDR: Cidr6; ip: bigint }): Route6 {
  const d = other.podCIDR;
  if (vxlan) return { dst: d, via: d.base, dev: 'flannel-v6.1', metric: 1024, onlink: true, origin: 'flannel' };
  return { dst: d, via: other.ip, dev: 'eth0', metric: 1024, origin: 'host-gw' };
}

/** A node's IPv6 routes that are not to another node's PodCIDR, in the order they are added; undefined in single-stack. */
export function ownRoutes6(c: RealizedCluster, node: RealizedNode): Route6[] | undefined {
  const selfIp = nodeIp(node, 'IPv6');
  if (!c.cluster.podCIDRs || !selfIp) return undefined;
  const own = nodePodCidr(node, 'IPv6');
  const vxlan = viaVxlan6(c, node);
  const nodeNet = { base: ip6(selfIp) & ~((1n << 64n) - 1n), prefix: 64 };
  const kernel = (dst: Cidr6, dev: string): Route6 => ({ dst, dev, proto: 'kernel', metric: 256, origin: 'kernel' });
  const routes: Route6[] = [
    kernel(nodeNet, 'eth0'),
    // Docker's IPv6 network gateway: the subnet's first address.
    { dst: null, via: nodeNet.base + 1n, dev: 'eth0', metric: 1024, origin: 'dhcp' },
    kernel(LINK_LOCAL, 'eth0'),
  ];
  // Link-local routes in the order the links come up: eth0, flanneld's flannel-v6.1 (its /128 address adds a prefix
  // route too), cni0, each pod's veth. The kernel adds them as each link gets carrier (linkwatch, deferred), so a
  // real node may list cni0 after its first veth: the kernel test compares these fe80::/64 lines as a set.
  if (vxlan)
    routes.push(kernel(LINK_LOCAL, 'flannel-v6.1'), kernel({ base: cidr6(own!).base, prefix: 128 }, 'flannel-v6.1'));
  if (own !== undefined && hasBridge(node)) {
    routes.push(kernel(cidr6(own), 'cni0'));
    const veths = node.pods.filter((p) => !p.hostNetwork && p.ip !== null).map((p) => vethName(p.namespace, p.name));
    routes.push(kernel(LINK_LOCAL, 'cni0'), ...veths.map((v) => kernel(LINK_LOCAL, v)));
  }
  return routes;
}

export const renderRouteTable6 = (routes: Route6[]): string => routes.map((r) => `${renderRoute6(r)}\n`).join('');

/**
 * A pod's IPv6 table as flannel's CNI gives it: the bridge plugin's default route via the IPv6 range's gateway
 * (bridge.go calcGateways, isDefaultGateway: "::/0" per family), host-local's route to the IPv6 cluster CIDR (the
 * flannel plugin's delegate IPAM routes; ipam.ConfigureIface gives a route without gw its family's gateway), and the
 * kernel's prefix routes for eth0's address and its link-local one. A hostNetwork pod sees its node's table.
 */
export function podRoutes6(c: RealizedCluster, node: RealizedNode, pod: RealizedPod): Route6[] {
  if (pod.hostNetwork) return nodeRoutes6(c, node) ?? [];
  const own = nodePodCidr(node, 'IPv6');
  const gw = nodeGateway(node, 'IPv6');
  const cluster = clusterPodCidr(c.cluster, 'IPv6');
  if (podIp(pod, 'IPv6') === undefined || own === undefined || gw === undefined || cluster === undefined) return [];
  const via = ip6(gw);
  return fibOrder([
    { dst: cidr6(own), dev: 'eth0', proto: 'kernel', metric: 256, origin: 'kernel' },
    { dst: LINK_LOCAL, dev: 'eth0', proto: 'kernel', metric: 256, origin: 'kernel' },
    { dst: cidr6(cluster), via, dev: 'eth0', metric: 1024, origin: 'cni' },
    { dst: null, via, dev: 'eth0', metric: 1024, origin: 'cni' },
  ]);
}
