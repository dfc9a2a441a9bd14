// cidrset's bookkeeping (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go), shared by both families:
// the cluster CIDR's consecutive node blocks in a bitmap, allocation resuming after the last block
// handed out (nextCandidate). Subclasses say how an index maps to a block of their family.
export abstract class BlockSet<C> {
  private readonly used: Uint8Array;
  private allocated = 0;
  /** As cidrset.nextCandidate: allocation resumes after the last block handed out. */
  private nextCandidate = 0;

  constructor(readonly capacity: number) {
    this.used = new Uint8Array(capacity);
  }

  /**
   * getBeginningAndEndIndices: the first and last block `c` overlaps (a /25 or a /24 its /24 under a /24
   * mask, a /24 its /23 under a /23 mask, a /22 four /24s); null when `c` lies outside the cluster CIDR.
   */
  abstract blocksOf(c: C): [number, number] | null;
  /** indexToCIDRBlock: the block at index i. */
  abstract blockAt(i: number): C;
  /** cidrset's error for a CIDR outside the cluster CIDR. */
  protected abstract outOfRange(c: C): string;

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

  /**
   * Occupy: marks every block `c` overlaps taken (a node that already has spec.podCIDR, whatever its size:
   * after a node-mask change a node keeps its old block). Returns the error when `c` is out of range.
   */
  occupy(c: C): string | undefined {
    const r = this.blocksOf(c);
    if (!r) return this.outOfRange(c);
    for (let i = r[0]; i <= r[1]; i++)
      if (!this.used[i]) {
        this.used[i] = 1;
        this.allocated++;
      }
    return undefined;
  }

  /** The next free block after the last one handed out, wrapping once; undefined when all are taken. */
  allocateNext(): C | undefined {
    if (this.allocated >= this.capacity) return undefined;
    for (let n = 0; n < this.capacity; n++) {
      const i = (this.nextCandidate + n) % this.capacity;
      if (this.used[i]) continue;
      this.used[i] = 1;
      this.allocated++;
      this.nextCandidate = (i + 1) % this.capacity;
      return this.blockAt(i);
    }
    return undefined;
  }

  /** Release: frees every block `c` overlaps, as cidrset does (other nodes keep theirs). */
  release(c: C): void {
    const r = this.blocksOf(c);
    if (!r) return;
    for (let i = r[0]; i <= r[1]; i++)
      if (this.used[i]) {
        this.used[i] = 0;
        this.allocated--;
      }
  }
}
