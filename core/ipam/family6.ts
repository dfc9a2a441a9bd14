// The IPv6 half of a dual-stack cluster's allocators. Addresses are bigints (core/ip/cidr6.ts);
// offsets inside one range stay numbers, since no allocator here tracks more than 2^16 blocks or addresses.
import { cidrSize6, formatCidr6, formatIp6, lastAddress6, overlaps6, type Cidr6 } from '../ip/cidr6';
import { CLUSTER_SUBNET_MAX_DIFF } from './nodeCidrs';
import { BandAllocator } from './hashBand';
import { BlockSet } from './blockSet';
import type { PodAddressRange } from './hostLocal';

/**
 * The error for an IPv6 --node-cidr-mask-size-ipv6, or undefined. kubeadm's ValidatePodSubnetNodeMask
 * (cmd/kubeadm/app/apis/kubeadm/validation/validation.go) and cidrset.NewCIDRSet
 * (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go, clusterSubnetMaxDiff = 16, IPv6 only) both refuse a node
 * mask more than 16 bits longer than the cluster's.
 */
export function validateNodeMask6(cluster: Cidr6, nodeMask: number): string | undefined {
  if (!Number.isInteger(nodeMask) || nodeMask < 0 || nodeMask > 128)
    return `node CIDR mask size must be an integer 0-128, got ${nodeMask}`;
  if (nodeMask < cluster.prefix)
    return `node CIDR mask size /${nodeMask} is larger than the cluster CIDR ${formatCidr6(cluster)}: the node mask must be /${cluster.prefix} or longer`;
  if (nodeMask > 126)
    return `must be at most 126: host-local refuses a smaller range ("Network ${formatCidr6({ base: cluster.base, prefix: nodeMask })} too small to allocate from")`;
  if (nodeMask - cluster.prefix > CLUSTER_SUBNET_MAX_DIFF)
    return `New CIDR set failed; the node CIDR size is too big: pod subnet mask (${cluster.prefix}) and node-mask (${nodeMask}) difference is greater than ${CLUSTER_SUBNET_MAX_DIFF} (kubeadm and kube-controller-manager allow at most 2^${CLUSTER_SUBNET_MAX_DIFF} node blocks; use --node-cidr-mask-size-ipv6 ${cluster.prefix + CLUSTER_SUBNET_MAX_DIFF} or shorter)`;
  return undefined;
}

/** cidrset for IPv6: consecutive /nodeMask blocks, allocation resuming after the last one handed out. */
export class CidrSet6 extends BlockSet<Cidr6> {
  constructor(
    readonly cluster: Cidr6,
    readonly nodeMask: number,
  ) {
    const err = validateNodeMask6(cluster, nodeMask);
    if (err) throw new Error(err);
    super(2 ** (nodeMask - cluster.prefix));
  }

  /** indexToCIDRBlock: the cluster base with the index in the bits between the two masks. */
  blockAt(i: number): Cidr6 {
    return { base: this.cluster.base + (BigInt(i) << BigInt(128 - this.nodeMask)), prefix: this.nodeMask };
  }

  blocksOf(c: Cidr6): [number, number] | null {
    if (!overlaps6(c, this.cluster)) return null;
    if (c.prefix <= this.cluster.prefix) return [0, this.capacity - 1];
    const at = (ip: bigint) => Number((ip - this.cluster.base) >> BigInt(128 - this.nodeMask));
    return [at(c.base), at(lastAddress6(c))];
  }

  protected outOfRange(c: Cidr6): string {
    return `cidr ${formatCidr6(c)} is out the range of cluster cidr ${formatCidr6(this.cluster)}`;
  }
}

/** Pod addresses host-local can hand out in an IPv6 range: network+1 .. the last address (no broadcast), less the gateway. */
export const hostLocalCapacity6 = (subnet: Cidr6): bigint => (subnet.prefix >= 127 ? 0n : cidrSize6(subnet) - 2n);

/**
 * host-local on a node's IPv6 range (plugins/ipam/host-local/backend/allocator, range.go Canonicalize: RangeStart
 * network+1, RangeEnd the last address since IPv6 has no broadcast, gateway network+1). Pods are handed out in
 * order after the last reserved one, as for IPv4; offsets are from the network address. Until a live cluster
 * restores its running pods' addresses the range only adds, so the next address is a counter.
 */
export class HostLocalRange6 {
  readonly gatewayOffset = 1;
  readonly capacity: bigint;
  private next = 2;
  private lastReserved: number | undefined;
  /** Offsets taken, once a running pod's address was restored (a fresh range needs none: it only counts up). */
  private taken: Set<number> | undefined;
  /** The last offset as a number (a /64 has more than any node will use: the per-pod check stays off bigints). */
  private readonly lastOffset: number;

  constructor(readonly subnet: Cidr6) {
    this.capacity = hostLocalCapacity6(subnet);
    this.lastOffset =
      this.capacity + 1n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(this.capacity + 1n);
  }

  /** The next free address's offset after the last reserved one (wrapping); undefined when the range is full. */
  allocate(): number | undefined {
    if (!this.taken) {
      if (this.next > this.lastOffset) return undefined;
      this.lastReserved = this.next;
      return this.next++;
    }
    if (BigInt(this.taken.size) >= this.capacity) return undefined;
    for (let n = 0; n < this.lastOffset; n++, this.next++) {
      if (this.next > this.lastOffset) this.next = 2;
      if (this.taken.has(this.next)) continue;
      this.taken.add(this.next);
      this.lastReserved = this.next;
      return this.next++;
    }
    return undefined;
  }

  /** The last offset handed out (host-local's last_reserved_ip.1); undefined before the first. */
  get lastReservedOffset(): number | undefined {
    return this.lastReserved;
  }

  /** As HostLocalRange.restore: a running pod's address taken again (`offset`), and where allocation resumes (after `last`). */
  restore(offset: number | undefined, last?: number): boolean {
    this.taken ??= new Set();
    if (last !== undefined && last >= 2 && last <= this.lastOffset) {
      this.lastReserved = last;
      this.next = last + 1;
    }
    if (offset === undefined) return true;
    if (offset < 2 || offset > this.lastOffset || this.taken.has(offset)) return false;
    this.taken.add(offset);
    return true;
  }

  /** A pod's address given back; it comes again only once allocation wraps (a range only counting up never does). */
  release(offset: number): void {
    this.taken?.delete(offset);
  }

  address(offset: number): bigint {
    return this.subnet.base + BigInt(offset);
  }

  /** host-local's "range set full" error: RangeStart (network+1) to RangeEnd (the last address). */
  get exhaustedMessage(): string {
    return `no IP addresses available in range set: ${formatIp6(this.subnet.base + 1n)}-${formatIp6(lastAddress6(this.subnet))}`;
  }
}

/**
 * An IPv6 single-stack node's range as the pod columns' primary one: its addresses are offsets in the PodCIDR, so
 * realize and the live cluster handle it as they handle an IPv4 range.
 */
export class HostLocalPrimary6 implements PodAddressRange {
  constructor(readonly range: HostLocalRange6) {}

  get capacity(): number {
    const c = this.range.capacity;
    return c > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(c);
  }
  get exhaustedMessage(): string {
    return this.range.exhaustedMessage;
  }
  get lastReservedIp(): number | undefined {
    return this.range.lastReservedOffset;
  }
  allocate(): number | undefined {
    return this.range.allocate();
  }
  restore(offset: number | undefined, last?: number): boolean {
    return this.range.restore(offset, last);
  }
  release(offset: number): void {
    this.range.release(offset);
  }
}

/**
 * The API server's IPv6 ClusterIP allocator (pkg/registry/core/service/ipallocator/bitmap.go NewBitmapAllocatorRange):
 * network+1 onwards, the bitmap capped at 65,536 addresses less the network address, and the same lower band for
 * requested addresses (calculateRangeOffset: min(max(16, size/16), 256)).
 */
export class ClusterIpAllocator6 {
  private readonly base: bigint;
  private readonly bits: BandAllocator;

  constructor(readonly cidr: Cidr6) {
    this.base = cidr.base + 1n;
    const size = cidrSize6(cidr) > 65536n ? 65536 : Number(cidrSize6(cidr));
    const max = Math.max(0, size - 1);
    const offset = size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(size / 16)), 256);
    this.bits = new BandAllocator(max, Math.min(offset, max));
  }

  get capacity(): number {
    return this.bits.size;
  }

  /** `at`: the address's index in spec.clusterIPs, for the API server's wording. */
  reserve(ip: bigint, at = 1): string | undefined {
    const off = ip - this.base;
    if (off < 0n || off >= BigInt(this.bits.size))
      return `spec.clusterIPs[${at}]: Invalid value: "${formatIp6(ip)}": provided IP is not in the valid range. The range of valid IPs is ${formatCidr6(this.cidr)}`;
    if (this.bits.isUsed(Number(off)))
      return `spec.clusterIPs[${at}]: Invalid value: "${formatIp6(ip)}": provided IP is already allocated`;
    this.bits.take(Number(off));
    return undefined;
  }

  allocateFor(key: string): bigint | undefined {
    const off = this.bits.allocateFor(key);
    return off === undefined ? undefined : this.base + BigInt(off);
  }
}
