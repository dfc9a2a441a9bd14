// NodePorts, as the apiserver's portallocator
// (pkg/registry/core/service/portallocator/allocator.go): the default
// --service-node-port-range 30000-32767, a lower static band of
// min(max(16, size/32), 128) ports kept for requested ports, dynamic picks
// in the upper band first.
import { BandAllocator } from './hashBand';

export const NODEPORT_RANGE = { first: 30000, last: 32767 } as const;

/** allocator.go calculateRangeOffset for ports: 86 for the default range. */
export function nodePortRangeOffset(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

export class NodePortAllocator {
  private readonly bits: BandAllocator;

  constructor(
    readonly first: number = NODEPORT_RANGE.first,
    readonly last: number = NODEPORT_RANGE.last,
  ) {
    const size = last - first + 1;
    this.bits = new BandAllocator(size, nodePortRangeOffset(size));
  }

  get capacity(): number {
    return this.bits.size;
  }

  get allocatedCount(): number {
    return this.bits.allocatedCount;
  }

  /** The static band's last port: requested ports below it never collide with dynamic picks. */
  get staticBandLast(): number {
    return this.first + this.bits.dynamicFrom - 1;
  }

  reserve(port: number): string | undefined {
    if (port < this.first || port > this.last) {
      return `Invalid value: ${port}: provided port is not in the valid range. The range of valid ports is ${this.first}-${this.last}`;
    }
    const off = port - this.first;
    if (this.bits.isUsed(off)) return `Invalid value: ${port}: provided port is already allocated`;
    this.bits.take(off);
    return undefined;
  }

  allocateFor(key: string): number | undefined {
    const off = this.bits.allocateFor(key);
    return off === undefined ? undefined : this.first + off;
  }
}
