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

  /** Index of a node block in this set, or -1 when it is not exactly one of its blocks. */
  abstract indexOf(c: C): number;
  /** indexToCIDRBlock: the block at index i. */
  abstract blockAt(i: number): C;
  /** Why `c` is not one of this set's blocks, for the error text. */
  protected abstract notABlock(c: C): string;
  protected abstract format(c: C): string;

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

  /** Marks a block taken (a node that already has spec.podCIDR). Returns an error text when it cannot. */
  occupy(c: C): string | undefined {
    const i = this.indexOf(c);
    if (i < 0) return this.notABlock(c);
    if (this.used[i]) return `${this.format(c)} is already allocated to another node`;
    this.used[i] = 1;
    this.allocated++;
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

  /** Frees a block; other nodes keep theirs. */
  release(c: C): void {
    const i = this.indexOf(c);
    if (i >= 0 && this.used[i]) {
      this.used[i] = 0;
      this.allocated--;
    }
  }
}
