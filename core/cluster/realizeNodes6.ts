// A dual-stack cluster's IPv6 half of the nodes: each node's IPv6 address on kind's Docker network and its IPv6
// PodCIDR, allocated alongside the IPv4 one as kube-controller-manager's range allocator does.
import { formatCidr6, type Cidr6 } from '../ip/cidr6';
import type { Cidr } from '../ip/types';
import { CidrSet6 } from '../ipam/family6';
import type { ClusterSpec, Warning } from '../api/types';

export interface NodeFamily6 {
  /** The node's IPv6 InternalIP (Docker hands out ::2, ::3, ... after the gateway ::1, in node order). */
  ip: bigint;
  podCIDR: Cidr6 | null;
}

/**
 * range_allocator.go AllocateOrOccupyCIDR: per node, AllocateNext on each cluster CIDR in order; when one fails the
 * node gets no PodCIDR at all (CIDRNotAvailable) and the blocks already taken for it are not released. A node that
 * already has spec.podCIDRs only occupies them (occupyCIDRs): a pinned single podCIDR gets no IPv6 one.
 * `v4` is each node's IPv4 PodCIDR and is cleared for a node whose IPv6 allocation fails.
 */
export function assignFamily6(spec: ClusterSpec, v4: (Cidr | null)[], warnings: Warning[]): NodeFamily6[] | undefined {
  const sec = spec.secondary;
  if (!sec) return undefined;
  let set: CidrSet6 | undefined;
  try {
    set = new CidrSet6(sec.podSubnet, sec.nodeCIDRMaskSize);
  } catch (e) {
    warnings.push({ code: 'InvalidNodeCIDRMask', message: (e as Error).message, subject: 'cluster' });
  }
  return spec.nodes.map((n, i): NodeFamily6 => {
    const ip = sec.nodeSubnet.base + BigInt(i + 2);
    if (n.podCIDR !== undefined || !v4[i] || !set) return { ip, podCIDR: null };
    const c = set.allocateNext();
    if (!c) {
      warnings.push({
        code: 'CIDRNotAvailable',
        message: `node ${n.name}: failed to allocate cidr from cluster cidr at idx:1: no remaining CIDRs in ${formatCidr6(sec.podSubnet)} for a /${sec.nodeCIDRMaskSize} (it holds ${set.capacity.toLocaleString('en-US')} node ranges, all taken); the node gets no PodCIDR in either family (its IPv4 block stays taken) and stays NotReady`,
        subject: `node/${n.name}`,
      });
      v4[i] = null;
      return { ip, podCIDR: null };
    }
    return { ip, podCIDR: c };
  });
}
