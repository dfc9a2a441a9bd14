// Pod IPs on one node, as CNI's host-local IPAM behind the bridge plugin
// (containernetworking/plugins plugins/ipam/host-local/backend/allocator):
// the range runs from network+1 to broadcast-1, the gateway (cni0) is the
// first address and is never handed out, and allocation continues after the
// last reserved address, so a freed address is reused only after a wrap.
import { firstUsable, formatIp, lastUsable, parseCidr } from '../ip/cidr';
import type { Cidr, Ipv4 } from '../ip/types';

/** Pod addresses host-local can hand out in a node's range: usable addresses less the gateway. */
export function hostLocalCapacity(subnet: Cidr): number {
  return Math.max(0, lastUsable(subnet) - firstUsable(subnet) + 1 - 1);
}

/** The same for a PodCIDR as text ("10.32.1.0/24"); 0 for none or a bad one. */
export function podCidrCapacity(podCIDR: string | null): number {
  const p = podCIDR ? parseCidr(podCIDR) : undefined;
  return p?.ok ? hostLocalCapacity(p.value) : 0;
}

/**
 * One node's host-local range for the pod columns' primary family: an IPv4 range (addresses as numbers), or an IPv6
 * single-stack node's IPv6 range (HostLocalPrimary6: addresses as offsets in the PodCIDR).
 */
export interface PodAddressRange {
  readonly capacity: number;
  readonly exhaustedMessage: string;
  readonly lastReservedIp: number | undefined;
  allocate(): number | undefined;
  restore(ip: number | undefined, last?: number): boolean;
  release(ip: number): void;
}

export class HostLocalRange implements PodAddressRange {
  readonly gateway: Ipv4;
  readonly rangeStart: Ipv4;
  readonly rangeEnd: Ipv4;
  /** Pod addresses the range can hold: usable addresses less the gateway. */
  readonly capacity: number;
  /**
   * Taken addresses by offset: one byte per address for node-sized ranges (no hashing
   * at 150,000 pods), a Set for huge ones (a /8 per node would be 16 MB each).
   */
  private readonly bits: Uint8Array | undefined;
  private readonly set: Set<number> | undefined;
  private count = 0;
  private lastReserved: Ipv4 | undefined;

  constructor(readonly subnet: Cidr) {
    // range.go Canonicalize: RangeStart defaults to network+1, RangeEnd to broadcast-1,
    // and the gateway defaults to network+1.
    this.rangeStart = firstUsable(subnet);
    this.rangeEnd = lastUsable(subnet);
    this.gateway = this.rangeStart;
    this.capacity = hostLocalCapacity(subnet);
    const size = this.rangeEnd - subnet.base + 1;
    if (size <= 1 << 16) this.bits = new Uint8Array(size);
    else this.set = new Set<number>();
  }

  private has(off: number): boolean {
    return this.bits ? this.bits[off] === 1 : this.set!.has(off);
  }

  private mark(off: number, taken: boolean): void {
    if (this.bits) this.bits[off] = taken ? 1 : 0;
    else if (taken) this.set!.add(off);
    else this.set!.delete(off);
  }

  /** The error host-local returns when the range is full (allocator.go). */
  get exhaustedMessage(): string {
    return `no IP addresses available in range set: ${formatIp(this.rangeStart)}-${formatIp(this.rangeEnd)}`;
  }

  get allocatedCount(): number {
    return this.count;
  }

  /** The next free address after the last reserved one (wrapping); undefined when full. */
  allocate(): Ipv4 | undefined {
    if (this.count >= this.capacity) return undefined;
    let ip = this.lastReserved === undefined ? this.rangeStart : this.lastReserved + 1;
    for (let n = 0; n <= this.rangeEnd - this.rangeStart + 1; n++, ip++) {
      if (ip > this.rangeEnd) ip = this.rangeStart;
      if (ip === this.gateway || this.has(ip - this.subnet.base)) continue;
      this.mark(ip - this.subnet.base, true);
      this.count++;
      this.lastReserved = ip;
      return ip;
    }
    return undefined;
  }

  /** The last address handed out (host-local keeps it on disk as last_reserved_ip.0); undefined before the first. */
  get lastReservedIp(): Ipv4 | undefined {
    return this.lastReserved;
  }

  /**
   * A running pod's address from an earlier state, taken again, and where allocation resumes: the disk
   * store outlives every pod, so the next pod gets the address after `last`, not the lowest free one.
   */
  restore(ip: Ipv4 | undefined, last?: Ipv4): boolean {
    if (last !== undefined && last >= this.rangeStart && last <= this.rangeEnd) this.lastReserved = last;
    if (ip === undefined) return true;
    const off = ip - this.subnet.base;
    if (ip < this.rangeStart || ip > this.rangeEnd || ip === this.gateway || this.has(off)) return false;
    this.mark(off, true);
    this.count++;
    return true;
  }

  release(ip: Ipv4): void {
    const off = ip - this.subnet.base;
    if (off >= 0 && this.has(off)) {
      this.mark(off, false);
      this.count--;
    }
  }
}
