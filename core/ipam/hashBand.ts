// Deterministic stand-in for the apiserver allocators' random pick: a key's
// FNV-1a hash chooses a starting offset in the band, linear probing resolves
// collisions. Realize stays a pure function, and adding or removing one
// Service moves no other one, except after a collision in the band (rare in
// real ranges; the probe order is by hash, so only the colliding key moves).
import { fnv32a } from '../api/names';

/** A bitmap over offsets [0, size) with a dynamic band [dynamicFrom, size) preferred. */
export class BandAllocator {
  private readonly used: Uint8Array;
  private count = 0;

  constructor(
    readonly size: number,
    readonly dynamicFrom: number,
  ) {
    this.used = new Uint8Array(Math.max(0, size));
  }

  get allocatedCount(): number {
    return this.count;
  }

  isUsed(offset: number): boolean {
    return this.used[offset] === 1;
  }

  take(offset: number): void {
    if (!this.used[offset]) {
      this.used[offset] = 1;
      this.count++;
    }
  }

  /** As upstream: try the dynamic (upper) band first, then the static (lower) band. */
  allocateFor(key: string): number | undefined {
    if (this.count >= this.size) return undefined;
    const h = fnv32a(key);
    return this.probe(h, this.dynamicFrom, this.size) ?? this.probe(h, 0, this.dynamicFrom);
  }

  private probe(h: number, from: number, to: number): number | undefined {
    const n = to - from;
    if (n <= 0) return undefined;
    const start = h % n;
    for (let i = 0; i < n; i++) {
      const off = from + ((start + i) % n);
      if (!this.used[off]) {
        this.take(off);
        return off;
      }
    }
    return undefined;
  }
}
