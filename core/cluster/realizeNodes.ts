// Nodes: their IPs on the node network, their PodCIDRs, their taints.
import { containsIp, firstUsable, formatCidr, formatIp, lastUsable, parseCidr, parseIp } from '../ip/cidr';
import type { Cidr } from '../ip/types';
import { CidrSet } from '../ipam/nodeCidrs';
import { assignFamily6, noteKeptPodCidrs, type CarriedNodes6, type NodeFamily6 } from './realizeNodes6';
import { CONTROL_PLANE_TAINT, NOT_READY_TAINT } from './systemObjects';
import type { ClusterSpec, Taint, Warning } from '../api/types';

/** What a live cluster's nodes keep from the state before an edit (liveState.ts), by their place before it. */
export interface CarriedNodes {
  /** The nodes before the edit. */
  before: NodesBefore;
  /** Per node before: its IP on the node network. */
  ips: readonly number[];
  /** Per node before: its PodCIDR (a node's spec.podCIDR never changes), undefined when it had none. */
  podCIDRs: readonly (Cidr | undefined)[];
  /** cidrset's nextCandidate: a released block comes back only after the allocator wraps. */
  cidrNext: number;
  /** The cluster CIDR and node mask it counts in ("10.32.0.0/14 /24"): a new geometry is a new cidrset. */
  cidrSet: string;
  /** A dual-stack cluster's IPv6 half. */
  family6?: CarriedNodes6;
}

/** The nodes before an edit by name: tried at the same place first (most edits keep the nodes' order). */
export class NodesBefore {
  private byName: Map<string, number> | undefined;

  constructor(readonly names: readonly string[]) {}

  /** Where node `name`, at `at` after the edit, was before it; -1: a new node. */
  indexOf(name: string, at: number): number {
    if (this.names[at] === name) return at;
    this.byName ??= new Map(this.names.map((n, i) => [n, i]));
    return this.byName.get(name) ?? -1;
  }
}

/** Node `name`'s (at `at` now) PodCIDR before the edit. */
export const carriedPodCidr = (c: CarriedNodes, name: string, at: number): Cidr | undefined => {
  const k = c.before.indexOf(name, at);
  return k < 0 ? undefined : c.podCIDRs[k];
};

export const cidrSetKey = (podSubnet: Cidr, nodeMask: number): string => `${formatCidr(podSubnet)} /${nodeMask}`;

export interface NodeState {
  name: string;
  role: 'control-plane' | 'worker';
  ip: number;
  podCIDR: Cidr | null;
  labels: Record<string, string>;
  taints: Taint[];
  maxPods: number;
  /** Dual-stack: the node's IPv6 address and PodCIDR. */
  family6?: NodeFamily6;
}

/**
 * Node IPs as kind's Docker network hands them out: explicit addresses are
 * kept, the others take the next free address after the network's gateway
 * (its first address), in node order.
 */
function assignNodeIps(spec: ClusterSpec, warnings: Warning[], carried?: CarriedNodes): number[] {
  const taken = new Set<number>();
  const explicit = spec.nodes.map((n) => {
    if (n.ip === undefined) return undefined;
    const p = parseIp(n.ip);
    if (!p.ok) return undefined; // parse already reported it
    taken.add(p.value);
    return p.value;
  });
  // A running node keeps its address; only new nodes take free ones.
  spec.nodes.forEach((n, i) => {
    const was = explicit[i] === undefined && carried ? carried.before.indexOf(n.name, i) : -1;
    const kept = was < 0 ? undefined : carried!.ips[was];
    if (kept === undefined || kept === 0 || taken.has(kept) || !containsIp(spec.nodeSubnet, kept)) return;
    taken.add(kept);
    explicit[i] = kept;
  });
  let next = firstUsable(spec.nodeSubnet) + 1;
  const last = lastUsable(spec.nodeSubnet);
  return explicit.map((ip, i) => {
    if (ip !== undefined) return ip;
    while (taken.has(next) && next <= last) next++;
    if (next > last) {
      warnings.push({
        code: 'NodeNetworkExhausted',
        message: `node ${spec.nodes[i]!.name}: no free address left in the node network ${formatCidr(spec.nodeSubnet)}`,
        subject: `node/${spec.nodes[i]!.name}`,
      });
      return 0;
    }
    taken.add(next);
    return next++;
  });
}

/**
 * PodCIDRs as kube-controller-manager's range allocator: nodes that already
 * have one (a pinned podCIDR) are occupied first, as the allocator does at
 * start-up; the others get the next free subnets in node order.
 */
function assignPodCidrs(
  spec: ClusterSpec,
  warnings: Warning[],
  carried?: CarriedNodes,
  out?: { cidrNext: number },
): (Cidr | null)[] {
  const podSubnet = spec.podSubnet;
  // An IPv6 single-stack cluster: no IPv4 block for any node (assignFamily6 hands out the IPv6 ones).
  if (!podSubnet) return spec.nodes.map(() => null);
  let set: CidrSet;
  try {
    set = new CidrSet(podSubnet, spec.nodeCIDRMaskSize);
  } catch (e) {
    warnings.push({ code: 'InvalidNodeCIDRMask', message: (e as Error).message, subject: 'cluster' });
    return spec.nodes.map(() => null);
  }
  const pinned = spec.nodes.map((n) => {
    if (!n.podCIDR) return null;
    const p = parseCidr(n.podCIDR);
    if (!p.ok) return null;
    set.occupy(p.value);
    return p.value;
  });
  // A live cluster: the nodes that were there keep their blocks (when they still fit the cluster CIDR).
  spec.nodes.forEach((n, i) => {
    const kept = pinned[i] || !carried ? undefined : carriedPodCidr(carried, n.name, i);
    if (kept && set.occupy(kept) === undefined) pinned[i] = kept;
  });
  if (carried)
    noteKeptPodCidrs(
      spec.nodes.filter((n, i) => pinned[i] && pinned[i]!.prefix !== spec.nodeCIDRMaskSize && !n.podCIDR),
      `/${spec.nodeCIDRMaskSize}`,
      warnings,
    );
  if (carried?.cidrSet === cidrSetKey(podSubnet, spec.nodeCIDRMaskSize)) set.next = carried.cidrNext;
  const cidrs = spec.nodes.map((n, i) => {
    if (pinned[i]) return pinned[i]!;
    const c = set.allocateNext();
    if (!c) {
      // The range allocator records a CIDRNotAvailable event and the node never gets spec.podCIDR.
      warnings.push({
        code: 'CIDRNotAvailable',
        message: `node ${n.name}: no remaining CIDRs in ${formatCidr(podSubnet)} for a /${spec.nodeCIDRMaskSize} (it holds ${set.capacity} node ranges, all taken); the node stays NotReady and runs no pods`,
        subject: `node/${n.name}`,
      });
      return null;
    }
    return c;
  });
  if (out) out.cidrNext = set.next;
  return cidrs;
}

/** `carried`: a live cluster's nodes before the edit; `out.cidrNext`: where cidrset resumes after this state. */
export function realizeNodes(
  spec: ClusterSpec,
  warnings: Warning[],
  carried?: CarriedNodes,
  out?: { cidrNext: number; cidrNext6?: number },
): NodeState[] {
  // An IPv6 single-stack node has no IPv4 InternalIP (0); its IPv6 one is in family6.
  const ips = spec.podSubnet ? assignNodeIps(spec, warnings, carried) : spec.nodes.map(() => 0);
  const cidrs = assignPodCidrs(spec, warnings, carried, out);
  const family6 = assignFamily6(
    spec,
    cidrs,
    warnings,
    carried?.family6 ? { v4: (name, at) => carriedPodCidr(carried, name, at), v6: carried.family6 } : undefined,
    out,
  );
  const hasWorkers = spec.nodes.some((n) => n.role === 'worker');
  return spec.nodes.map((n, i) => {
    // kind removes the control-plane taint only when the cluster has no workers.
    const taints: Taint[] = n.taints
      ? [...n.taints]
      : n.role === 'control-plane' && hasWorkers
        ? [{ ...CONTROL_PLANE_TAINT }]
        : [];
    const podCIDR = cidrs[i] ?? null;
    if (!(spec.podSubnet ? podCIDR : family6?.[i]?.podCIDR)) taints.push({ ...NOT_READY_TAINT });
    const ip = ips[i]!;
    if (ip !== 0 && !containsIp(spec.nodeSubnet, ip)) {
      warnings.push({
        code: 'NodeIPOutsideNetwork',
        message: `node ${n.name}: ${formatIp(ip)} is outside the node network ${formatCidr(spec.nodeSubnet)}`,
        subject: `node/${n.name}`,
      });
    }
    return {
      name: n.name,
      role: n.role,
      ip,
      podCIDR,
      labels: {
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        ...(n.role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        ...n.labels,
      },
      taints,
      maxPods: n.maxPods,
      ...(family6 ? { family6: family6[i]! } : {}),
    };
  });
}
