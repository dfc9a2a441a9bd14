// Node PodCIDRs, as kube-controller-manager's range allocator and its cidrset
// (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go): the cluster CIDR is cut
// into consecutive /nodeCIDRMaskSize blocks tracked in a bitmap.
import { formatCidr, subnetAt, subnetCount } from '../ip/cidr';
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

  /** Index of a node block in this set, or -1 when it is not exactly one of its blocks. */
  indexOf(c: Cidr): number {
    if (c.prefix !== this.nodeMask) return -1;
    const offset = c.base - this.cluster.base;
    const step = 2 ** (32 - this.nodeMask);
    if (offset < 0 || offset % step !== 0) return -1;
    const i = offset / step;
    return i < this.capacity ? i : -1;
  }

  blockAt(i: number): Cidr {
    return subnetAt(this.cluster, this.nodeMask, i)!;
  }

  protected notABlock(c: Cidr): string {
    return `${formatCidr(c)} is not a /${this.nodeMask} block of ${formatCidr(this.cluster)}`;
  }

  protected format(c: Cidr): string {
    return formatCidr(c);
  }
}
