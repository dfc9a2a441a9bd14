// Service ClusterIPs, as the apiserver's ipallocator
// (pkg/registry/core/service/ipallocator/bitmap.go): the range omits the
// network and broadcast addresses; the lower band (calculateRangeOffset:
// min(max(16, size/16), 256) addresses) is kept for requested IPs, dynamic
// picks go to the upper band first.
import { cidrSize, formatCidr, formatIp } from '../ip/cidr';
import type { Cidr, Ipv4 } from '../ip/types';
import { BandAllocator } from './hashBand';

/** bitmap.go calculateRangeOffset for IPs: min(max(16, cidrSize/16), 256), 0 for tiny ranges. */
export function serviceRangeOffset(c: Cidr): number {
  const size = cidrSize(c);
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

/** The `kubernetes` Service's address: the range's first usable address (10.96.0.1 for 10.96.0.0/12). */
export function kubernetesServiceIp(c: Cidr): Ipv4 {
  return c.base + 1;
}

/** Cluster DNS: the tenth address, as kubeadm's GetDNSIP (10.96.0.10 for 10.96.0.0/12). */
export function dnsServiceIp(c: Cidr): Ipv4 {
  return c.base + 10;
}

export function serviceIpBands(c: Cidr) {
  const base = c.base + 1;
  const max = Math.max(0, cidrSize(c) - 2);
  const offset = Math.min(serviceRangeOffset(c), max);
  return {
    first: formatIp(base),
    last: formatIp(base + max - 1),
    staticBand: offset > 0 ? { first: formatIp(base), last: formatIp(base + offset - 1), size: offset } : null,
    dynamicBand: { first: formatIp(base + offset), last: formatIp(base + max - 1), size: max - offset },
  };
}

export class ClusterIpAllocator {
  private readonly base: Ipv4;
  private readonly bits: BandAllocator;

  constructor(readonly cidr: Cidr) {
    this.base = cidr.base + 1;
    const max = Math.max(0, cidrSize(cidr) - 2);
    this.bits = new BandAllocator(max, Math.min(serviceRangeOffset(cidr), max));
  }

  get capacity(): number {
    return this.bits.size;
  }

  get allocatedCount(): number {
    return this.bits.allocatedCount;
  }

  /** Reserve a requested address; the apiserver's error text when it cannot. */
  reserve(ip: Ipv4): string | undefined {
    const off = ip - this.base;
    if (off < 0 || off >= this.bits.size) {
      return `spec.clusterIP: Invalid value: "${formatIp(ip)}": provided IP is not in the valid range. The range of valid IPs is ${formatCidr(this.cidr)}`;
    }
    if (this.bits.isUsed(off))
      return `spec.clusterIP: Invalid value: "${formatIp(ip)}": provided IP is already allocated`;
    this.bits.take(off);
    return undefined;
  }

  /** A deterministic address for the Service key ("namespace/name"); undefined when the range is full. */
  allocateFor(key: string): Ipv4 | undefined {
    const off = this.bits.allocateFor(key);
    return off === undefined ? undefined : this.base + off;
  }
}
