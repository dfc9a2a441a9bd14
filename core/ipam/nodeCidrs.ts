// Node PodCIDRs, as kube-controller-manager's range allocator and its cidrset
// (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go): the cluster CIDR is cut
// into consecutive /nodeCIDRMaskSize blocks tracked in a bitmap.
import { formatCidr, subnetAt, subnetCount } from '../ip/cidr';
import type { Cidr } from '../ip/types';

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

export class CidrSet {
  readonly capacity: number;
  private readonly used: Uint8Array;
  private allocated = 0;
  /** As cidrset.nextCandidate: allocation resumes after the last block handed out. */
  private nextCandidate = 0;

  constructor(
    readonly cluster: Cidr,
    readonly nodeMask: number,
  ) {
    const err = validateNodeMask(cluster, nodeMask);
    if (err) throw new Error(err);
    this.capacity = subnetCount(cluster, nodeMask);
    this.used = new Uint8Array(this.capacity);
  }

  get allocatedCount(): number {
    return this.allocated;
  }

  /** Where the next allocation starts looking (a live cluster carries it from one state to the next). */
  get next(): number {
    return this.nextCandidate;
  }

  set next(i: number) {
    if (Number.isInteger(i) && i >= 0 && i < this.capacity) this.nextCandidate = i;
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

  /** Marks a block taken (a node that already has spec.podCIDR). Returns an error text when it cannot. */
  occupy(c: Cidr): string | undefined {
    const i = this.indexOf(c);
    if (i < 0) return `${formatCidr(c)} is not a /${this.nodeMask} block of ${formatCidr(this.cluster)}`;
    if (this.used[i]) return `${formatCidr(c)} is already allocated to another node`;
    this.used[i] = 1;
    this.allocated++;
    return undefined;
  }

  /** The next free block after the last one handed out, wrapping once; undefined when all are taken. */
  allocateNext(): Cidr | undefined {
    if (this.allocated >= this.capacity) return undefined;
    for (let n = 0; n < this.capacity; n++) {
      const i = (this.nextCandidate + n) % this.capacity;
      if (this.used[i]) continue;
      this.used[i] = 1;
      this.allocated++;
      this.nextCandidate = (i + 1) % this.capacity;
      return subnetAt(this.cluster, this.nodeMask, i)!;
    }
    return undefined;
  }

  /** Frees a block; other nodes keep theirs. */
  release(c: Cidr): void {
    const i = this.indexOf(c);
    if (i >= 0 && this.used[i]) {
      this.used[i] = 0;
      this.allocated--;
    }
  }
}
