// A capacity plan's shape, and one limit of it: what is counted, how much is used, what it can hold and why.
import { formatCount } from '../ip/explain';

export interface Limit {
  /** Stable id: nodes, podsPerNode, pods, services, nodePorts; dual-stack adds nodesIPv6, podsPerNodeIPv6, servicesIPv6. */
  id: string;
  what: string;
  used: number;
  capacity: number;
  /** Why the capacity is what it is, in one sentence. */
  because: string;
}

export interface Plan {
  podCIDR: { cidr: string; addresses: number };
  nodeRanges: { mask: number; capacity: number; used: number; addressesPerNode: number; podIPsPerNode: number };
  podsPerNode: { maxPods: number; podIPs: number; effective: number; limitedBy: 'maxPods' | 'podCIDR' };
  services: { cidr: string; capacity: number; used: number };
  nodePorts: { range: string; capacity: number; used: number };
  limits: Limit[];
  /** The limit closest to (or past) exhaustion, with the reason. */
  breaksFirst: { id: string; message: string };
  notes: string[];
  /**
   * A dual-stack cluster's IPv6 half (its limits are in `limits` too); absent in IPv4 single-stack. In IPv6
   * single-stack the fields above are IPv6 (addresses past 2^53 rounded; `ipv6` has them exact).
   */
  ipv6?: Plan6;
}

/** The limit closest to (or past) exhaustion, with the reason. */
export function breaksFirstOf(limits: readonly Limit[]): { id: string; message: string } {
  const ratio = (l: Limit) => (l.capacity === 0 ? Infinity : l.used / l.capacity);
  const worst = [...limits].sort((a, b) => ratio(b) - ratio(a))[0]!;
  const over = worst.used > worst.capacity;
  return {
    id: worst.id,
    message: over
      ? `${worst.what} are exhausted: ${formatCount(worst.used)} wanted, ${formatCount(worst.capacity)} possible — ${worst.because}`
      : `${worst.what} run out first: ${formatCount(worst.used)} of ${formatCount(worst.capacity)} used (${Math.round(ratio(worst) * 100)}%) — ${worst.because}`,
  };
}

export interface Plan6 {
  podCIDR: string;
  nodeMask: number;
  /** Node blocks in the IPv6 podSubnet (at most 2^16: kubeadm and cidrset refuse more). */
  nodeCapacity: number;
  /** Pod addresses in one node's IPv6 range, exact, as text with separators. */
  podIPsPerNode: string;
  /** Addresses in the IPv6 podSubnet, exact, as text with separators. */
  podCIDRAddresses: string;
  serviceCIDR: string;
  limits: Limit[];
  notes: string[];
}
