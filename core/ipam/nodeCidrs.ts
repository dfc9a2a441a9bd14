// Node PodCIDRs, as kube-controller-manager's range allocator and its cidrset
// (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go): the cluster CIDR is cut
// into consecutive /nodeCIDRMaskSize blocks tracked in a bitmap.
import { formatCidr, lastAddress, overlaps, subnetAt, subnetCount } from '../ip/cidr';
import type { Cidr } from '../ip/types';
import { BlockSet } from './blockSet';

/** cidrset's clusterSubnetMaxDiff: at most 2^16 node blocks in one cluster CIDR. */
export const CLUSTER_SUBNET_MAX_DIFF = 16;

/** The error cidrset.NewCIDRSet would return for this mask, or undefined. */
export function validateNodeMask(cluster: Cidr, nodeMask: number): string | undefined {
  if (!Number.isInteger(nodeMask) || nodeMask < 0 || nodeMask > 32)
    return `node CIDR mask size must be an integer 0-32, got ${nodeMask}`;
  if (nodeMask < cluster.prefix) {
    return `node CIDR mask size /${nodeMask} is larger than the cluster CIDR ${formatCidr(cluster)}: the node mask must be /${cluster.prefix} or longer`;
  }
  if (nodeMask - cluster.prefix > CLUSTER_SUBNET_MAX_DIFF) {
    // cidrset.ErrCIDRSetSubNetTooBig
    return `New CIDR set failed; the node CIDR size is too big: /${nodeMask} in ${formatCidr(cluster)} would make ${(2 ** (nodeMask - cluster.prefix)).toLocaleString('en-US')} node blocks; kube-controller-manager allows at most 2^${CLUSTER_SUBNET_MAX_DIFF} (use a node mask of /${cluster.prefix + CLUSTER_SUBNET_MAX_DIFF} or shorter)`;
  }
  return undefined;
}

export class CidrSet extends BlockSet<Cidr> {
  constructor(
    readonly cluster: Cidr,
    readonly nodeMask: number,
  ) {
    const err = validateNodeMask(cluster, nodeMask);
    if (err) throw new Error(err);
    super(subnetCount(cluster, nodeMask));
  }

  blocksOf(c: Cidr): [number, number] | null {
    if (!overlaps(c, this.cluster)) return null;
    if (c.prefix <= this.cluster.prefix) return [0, this.capacity - 1];
    // Called once per running node on every edit of a live cluster: no closure per call.
    const step = 2 ** (32 - this.nodeMask);
    const base = this.cluster.base;
    return [Math.floor((c.base - base) / step), Math.floor((lastAddress(c) - base) / step)];
  }

  blockAt(i: number): Cidr {
    return subnetAt(this.cluster, this.nodeMask, i)!;
  }

  protected outOfRange(c: Cidr): string {
    return `cidr ${formatCidr(c)} is out the range of cluster cidr ${formatCidr(this.cluster)}`;
  }
}
