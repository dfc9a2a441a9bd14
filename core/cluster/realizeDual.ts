// The IPv6 half of realize in a dual-stack cluster: host-local's second range on each node, the node's
// spec.podCIDRs / cni0 addresses / InternalIPs, and what the IPv4-only layers above do not show yet.
import { formatCidr, formatIp, firstUsable } from '../ip/cidr';
import { formatCidr6, formatIp6 } from '../ip/cidr6';
import { HostLocalRange6 } from '../ipam/family6';
import type { NodeState } from './realizeNodes';
import type { Warning } from '../api/types';

export const hostLocal6 = (n: NodeState): HostLocalRange6 | null =>
  n.family6?.podCIDR ? new HostLocalRange6(n.family6.podCIDR) : null;

/**
 * A node's dual-stack fields, primary first (IPv4 unless `v6first`): spec.podCIDRs, cni0's gateway in each family
 * (the bridge plugin takes each range's gateway, network+1), and the node's two InternalIPs (kind orders kubelet's
 * --node-ip by the primary service family); plus what the pod columns need. An IPv6 single-stack node (`v6only`)
 * has one of each, all IPv6.
 */
export function dualStackNodeFields(n: NodeState, v6only = false, v6first = false) {
  const f = n.family6;
  const ip6 = f ? formatIp6(f.ip) : '';
  const cidr6 = f?.podCIDR ? formatCidr6(f.podCIDR) : '';
  const gw6 = f?.podCIDR ? formatIp6(f.podCIDR.base + 1n) : '';
  if (v6only)
    return {
      node: { podCIDRs: cidr6 ? [cidr6] : [], gateways: gw6 ? [gw6] : [], ips: [ip6] },
      pods6: { podCIDR: cidr6, ip: ip6 },
    };
  const podCIDRs = n.podCIDR ? [formatCidr(n.podCIDR), ...(cidr6 ? [cidr6] : [])] : [];
  const gateways = n.podCIDR ? [formatIp(firstUsable(n.podCIDR)), ...(gw6 ? [gw6] : [])] : [];
  const ips = n.ip === 0 ? [ip6] : [formatIp(n.ip), ip6];
  if (v6first) for (const list of [podCIDRs, gateways, ips]) list.reverse();
  return {
    node: { podCIDRs, gateways, ips },
    pods6: { podCIDR: n.podCIDR ? cidr6 : '', ip: ip6 },
  };
}

export function reportDualStack(nodes: NodeState[], ranges6: (HostLocalRange6 | null)[], warnings: Warning[]): void {
  const seen = new Set<string>();
  nodes.forEach((n, i) => {
    const r = ranges6[i];
    if (!r || r.capacity >= BigInt(n.maxPods)) return;
    const key = `${r.subnet.prefix}:${n.maxPods}`;
    if (seen.has(key)) return;
    seen.add(key);
    warnings.push({
      code: 'PodCIDRSmallerThanMaxPods',
      message: `/${r.subnet.prefix} per node (IPv6) gives ${r.capacity} pod addresses but kubelet allows ${n.maxPods} pods (node ${n.name} and any node with the same range size); a pod needs an address in both families`,
      subject: `node/${n.name}`,
    });
  });
  const pinned = nodes.filter((n) => n.podCIDR && !n.family6?.podCIDR).map((n) => n.name);
  if (pinned.length > 0)
    warnings.push({
      code: 'SingleStackNode',
      message: `node ${pinned.join(', ')}: a pinned single podCIDR gets no IPv6 PodCIDR (kube-controller-manager only occupies the spec.podCIDRs a node has), so its pods get IPv4 addresses only`,
      subject: `node/${pinned[0]}`,
    });
}
