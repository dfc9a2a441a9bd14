// A dual-stack cluster's IPv6 half of the nodes: each node's IPv6 address on kind's Docker network and its IPv6
// PodCIDR, allocated alongside the IPv4 one as kube-controller-manager's range allocator does.
import { formatCidr6, type Cidr6 } from '../ip/cidr6';
import type { Cidr } from '../ip/types';
import { CidrSet6 } from '../ipam/family6';
import type { ClusterSpec, Warning } from '../api/types';

/** The IPv6 cidrset a live cluster's allocator position counts in (as cidrSetKey). */
export const cidrSetKey6 = (podSubnet: Cidr6, nodeMask: number): string => `${formatCidr6(podSubnet)} /${nodeMask}`;

/** What a live cluster's nodes keep of their IPv6 half (as CarriedNodes for IPv4). */
export interface CarriedNodes6 {
  ips: ReadonlyMap<string, bigint>;
  podCIDRs: ReadonlyMap<string, Cidr6>;
  cidrNext: number;
  cidrSet: string;
}

export interface NodeFamily6 {
  /** The node's IPv6 InternalIP (Docker hands out ::2, ::3, ... after the gateway ::1, in node order). */
  ip: bigint;
  podCIDR: Cidr6 | null;
}

/**
 * range_allocator.go AllocateOrOccupyCIDR: per node, AllocateNext on each cluster CIDR in order; when one fails the
 * node gets no PodCIDR at all (CIDRNotAvailable) and the blocks already taken for it are not released. A node that
 * already has spec.podCIDRs only occupies them (occupyCIDRs): a pinned single podCIDR gets no IPv6 one.
 * `v4` is each node's IPv4 PodCIDR and is cleared for a node whose IPv6 allocation fails. In an IPv6 single-stack
 * cluster (no spec.podSubnet) the IPv6 block is the node's only one and `v4` is all null.
 */
export function assignFamily6(
  spec: ClusterSpec,
  v4: (Cidr | null)[],
  warnings: Warning[],
  /** A live cluster: `v4` gives node `name`'s (at `at` now) IPv4 PodCIDR before the edit. */
  carried?: { v4: (name: string, at: number) => Cidr | undefined; v6: CarriedNodes6 },
  out?: { cidrNext6?: number },
): NodeFamily6[] | undefined {
  const sec = spec.secondary;
  if (!sec) return undefined;
  const v6only = !spec.podSubnet;
  let set: CidrSet6 | undefined;
  try {
    set = new CidrSet6(sec.podSubnet, sec.nodeCIDRMaskSize);
  } catch (e) {
    warnings.push({ code: 'InvalidNodeCIDRMask', message: (e as Error).message, subject: 'cluster' });
  }
  // A live cluster: a node keeps its IPv6 address and, with its IPv4 block, its IPv6 block (spec.podCIDRs never change).
  const ips = carryIps6(spec, carried?.v6.ips);
  const kept = spec.nodes.map((n, i) => {
    const was = carried?.v4(n.name, i);
    const c = carried?.v6.podCIDRs.get(n.name);
    const same = v6only || (was && v4[i] && was.base === v4[i]!.base && was.prefix === v4[i]!.prefix);
    return same && c && set && set.occupy(c) === undefined ? c : null;
  });
  noteKeptPodCidrs(
    spec.nodes.filter((_, i) => kept[i] && kept[i]!.prefix !== sec.nodeCIDRMaskSize),
    `/${sec.nodeCIDRMaskSize} (IPv6)`,
    warnings,
  );
  if (set && carried?.v6.cidrSet === cidrSetKey6(sec.podSubnet, sec.nodeCIDRMaskSize)) set.next = carried.v6.cidrNext;
  const nodes = spec.nodes.map((n, i): NodeFamily6 => {
    const ip = ips[i]!;
    if (kept[i]) return { ip, podCIDR: kept[i] };
    if (n.podCIDR !== undefined || (!v4[i] && !v6only) || !set) return { ip, podCIDR: null };
    const c = set.allocateNext();
    if (!c) {
      warnings.push({
        code: 'CIDRNotAvailable',
        message: v6only
          ? `node ${n.name}: no remaining CIDRs in ${formatCidr6(sec.podSubnet)} for a /${sec.nodeCIDRMaskSize} (it holds ${set.capacity.toLocaleString('en-US')} node ranges, all taken); the node stays NotReady and runs no pods`
          : `node ${n.name}: failed to allocate cidr from cluster cidr at idx:1: no remaining CIDRs in ${formatCidr6(sec.podSubnet)} for a /${sec.nodeCIDRMaskSize} (it holds ${set.capacity.toLocaleString('en-US')} node ranges, all taken); the node gets no PodCIDR in either family (its IPv4 block stays taken) and stays NotReady`,
        subject: `node/${n.name}`,
      });
      v4[i] = null;
      return { ip, podCIDR: null };
    }
    return { ip, podCIDR: c };
  });
  if (out && set) out.cidrNext6 = set.next;
  return nodes;
}

/** Docker's IPv6 addresses: a running node keeps its own, a new one takes the lowest free after the gateway (::1). */
function carryIps6(spec: ClusterSpec, carried: ReadonlyMap<string, bigint> | undefined): bigint[] {
  const sec = spec.secondary!;
  const mask = (1n << BigInt(128 - sec.nodeSubnet.prefix)) - 1n;
  const inNet = (ip: bigint) => ip > sec.nodeSubnet.base + 1n && ip <= sec.nodeSubnet.base + mask;
  const taken = new Set<bigint>();
  const ips = spec.nodes.map((n) => {
    const ip = carried?.get(n.name);
    if (ip === undefined || !inNet(ip) || taken.has(ip)) return undefined;
    taken.add(ip);
    return ip;
  });
  let next = sec.nodeSubnet.base + 2n;
  return ips.map((ip) => {
    if (ip !== undefined) return ip;
    while (taken.has(next)) next++;
    taken.add(next);
    return next++;
  });
}

/** After a node-mask change: running nodes keep their PodCIDR of the old size (said once per family). */
export function noteKeptPodCidrs(nodes: { name: string }[], mask: string, warnings: Warning[]): void {
  const n = nodes.length;
  if (n === 0) return;
  const who =
    n === 1 ? `1 running node (${nodes[0]!.name}) keeps its` : `${n} running nodes (${nodes[0]!.name}, …) keep their`;
  warnings.push({
    code: 'NodeKeepsPodCIDR',
    message: `node mask ${mask}: ${who} PodCIDR of the old size: kube-controller-manager never changes a node's spec.podCIDRs, so only new nodes get ${mask} blocks (re-create a node to give it one)`,
    subject: `node/${nodes[0]!.name}`,
  });
}
