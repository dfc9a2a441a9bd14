// The IPv6 half of a dual-stack lab, and the whole of an IPv6 single-stack one: the same namespaces given their IPv6 addresses (eth0, cni0, each pod's eth0),
// the node's `ip -6 route` as routes6.ts computes it, flannel-v6.1 under VXLAN, and the node's ip6tables loaded
// with ip6tables-restore. Every address is added without duplicate address detection: a lab's addresses are unique
// by construction, and DAD would leave them "tentative" (unusable) for a second or more.
import type { RealizedCluster, RealizedNode, RealizedPod } from '../api/types';
import { clusterPodCidr, nodeGateway, nodeIp, nodePodCidr, podIp } from '../api/familyFields';
import { vtepMac } from '../dataplane/devices';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from '../dataplane/ip6tables';
import { nodeRoutes6, renderRoute6 } from '../dataplane/routes6';
import { formatIp6, parseCidr6, parseIp6 } from '../ip/cidr6';
import type { ServiceRuleIndex } from '../dataplane/serviceRules';

const ip6 = (t: string) => (parseIp6(t) as { value: bigint }).value;
const base6 = (cidr: string) => cidr.split('/')[0]!;
/** flannel-v6.1's MAC in the lab: its own, beside flannel.1's. */
const vtepMac6 = (node: string) => vtepMac(`${node}/v6`);

/** The IPv6 side of a dual-stack or IPv6 single-stack cluster, or undefined in an IPv4 one (the lab is then IPv4 only). */
export interface Lab6 {
  c: RealizedCluster;
  services6: ServiceRuleIndex;
}

export function lab6(c: RealizedCluster): Lab6 | undefined {
  const services6 = buildServiceRules6(c);
  return services6 ? { c, services6 } : undefined;
}

/** Right after `ip netns add`: no DAD on links made later, and (for a node) IPv6 forwarding on. */
export function netns6Lines(ns: string, forwarding: boolean): string[] {
  return [
    `ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0`,
    ...(forwarding ? [`ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.forwarding=1`] : []),
  ];
}

/** The underlay bridge's IPv6 address: Docker's IPv6 gateway, the node network's first address (routes6.ts's default route). */
export function underlay6Lines(l: Lab6, ul: string): string[] {
  const gw = underlayGateway6(l.c);
  return gw ? [`ip -n ${ul} -6 addr add ${gw}/64 dev br0 nodad`] : [];
}

/** The IPv6 node network's gateway: the /64 of the first node with an IPv6 address, its first address. */
export function underlayGateway6(c: RealizedCluster): string | undefined {
  const n = c.nodes.find((x) => nodeIp(x, 'IPv6'));
  if (!n) return undefined;
  const net = ip6(nodeIp(n, 'IPv6')!) & ~((1n << 64n) - 1n);
  return formatIp6(net + 1n);
}

/** eth0's IPv6 InternalIP, cni0's IPv6 gateway and, under VXLAN, flannel-v6.1 with the PodCIDR's first address as a /128. */
export function nodeLinks6(l: Lab6, n: RealizedNode, ns: string, hasCni0: boolean): string[] {
  const addr = nodeIp(n, 'IPv6');
  if (!addr) return [];
  const L = [`ip -n ${ns} -6 addr add ${addr}/64 dev eth0 nodad`];
  const podCidr = nodePodCidr(n, 'IPv6');
  if (hasCni0 && podCidr) {
    const gw = nodeGateway(n, 'IPv6')!;
    L.push(
      `ip -n ${ns} -6 addr add ${gw}/${podCidr.split('/')[1]} dev cni0 nodad`,
      `ip netns exec ${ns} sysctl -qw net.bridge.bridge-nf-call-ip6tables=1 2>/dev/null || true`,
    );
  }
  if (l.c.cluster.cni === 'vxlan' && podCidr)
    L.push(
      // flannel's createVXLANDevice for IPv6: VNI 1 on port 8472, over the node's IPv6 address.
      `ip -n ${ns} link add flannel-v6.1 type vxlan id 1 local ${addr} dev eth0 dstport 8472 nolearning`,
      `ip -n ${ns} link set flannel-v6.1 address ${vtepMac6(n.name)}`,
      `ip -n ${ns} -6 addr add ${base6(podCidr)}/128 dev flannel-v6.1 nodad`,
      `ip -n ${ns} link set flannel-v6.1 up`,
    );
  return L;
}

/**
 * A pod's IPv6 address (status.podIPs' IPv6 entry) on its eth0, and the routes the bridge plugin and flannel's
 * CNI config give it in IPv6, as in IPv4: the default and the cluster's IPv6 pod CIDR via cni0's IPv6 gateway.
 */
export function pod6Lines(l: Lab6, n: RealizedNode, p: RealizedPod, pns: string): string[] {
  const ip = podIp(p, 'IPv6');
  const podCidr = nodePodCidr(n, 'IPv6');
  if (!ip || !podCidr) return [];
  const gw = nodeGateway(n, 'IPv6')!;
  const cluster6 = clusterPodCidr(l.c.cluster, 'IPv6')!;
  return [
    `ip -n ${pns} -6 addr add ${ip}/${podCidr.split('/')[1]} dev eth0 nodad`,
    `ip -n ${pns} -6 route add default via ${gw} dev eth0`,
    `ip -n ${pns} -6 route add ${cluster6} via ${gw} dev eth0`,
  ];
}

/** The node's IPv6 routes core computes (the kernel adds the prefix routes), VXLAN's neighbours, and its ip6tables. */
export function nodeTables6(l: Lab6, n: RealizedNode, ns: string): string[] {
  const routes = nodeRoutes6(l.c, n);
  const t = nodeIp6tables(l.c, l.services6, n);
  if (!routes || !t) return [];
  const L = [`# ${n.name}'s IPv6 routes, as core computes them`];
  for (const r of routes) if (r.proto !== 'kernel') L.push(`ip -n ${ns} -6 route add ${renderRoute6(r)}`);
  if (l.c.cluster.cni === 'vxlan') {
    L.push(`# flannel's IPv6 VXLAN entries: each remote flannel-v6.1 MAC (neighbour) and the node behind it (fdb)`);
    for (const o of l.c.nodes) {
      const dst = nodePodCidr(o, 'IPv6');
      const via = nodeIp(o, 'IPv6');
      if (o === n || !dst || !via) continue;
      const vtep = formatIp6((parseCidr6(dst) as { value: { base: bigint } }).value.base);
      L.push(
        `ip -n ${ns} -6 neigh replace ${vtep} lladdr ${vtepMac6(o.name)} dev flannel-v6.1 nud permanent`,
        `ip netns exec ${ns} bridge fdb append ${vtepMac6(o.name)} dev flannel-v6.1 dst ${via} self permanent`,
      );
    }
  }
  L.push(
    `# ${l.c.cluster.kubeProxyMode === 'nftables' ? "flannel's" : "kube-proxy's and flannel's"} ip6tables rules for ${n.name}`,
    `ip netns exec ${ns} ip6tables-restore <<'RULES'`,
    renderIp6tablesSave([t.nat, t.filter]).trimEnd(),
    'RULES',
  );
  return L;
}
