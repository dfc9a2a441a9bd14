// Writing a live group's pods into realize's columns: realize's column writer (BindPod) plus, per pod, the
// edit that created it (its age, for the next scale-down).
import type { PodGroup } from '../store/podStore';

/** What realize's column writer does with one pod: bind it to node `at` (-1: Pending) with `keptIp` (and `keptIp6`, an offset in the node's IPv6 range) if given. */
export type BindPod = (
  gi: number,
  at: number,
  unschedulable: string,
  hostNetwork: boolean,
  keptIp?: number,
  keptIp6?: number,
) => boolean;

/** One group's pods, written in column order from `next`; a method, not a closure per group, at 10,000 groups. */
export class GroupWriter {
  private made = 0;

  constructor(
    private readonly bind: BindPod,
    private readonly group: PodGroup,
    private readonly gi: number,
    private readonly hostNetwork: boolean,
    /** Per pod bound: the edit that created it. */
    private readonly born: Int32Array,
    private next: number,
  ) {}

  put(born: number, at: number, reason: string, ip?: number, ip6?: number): void {
    this.born[this.next++] = born;
    this.made++;
    if (this.bind(this.gi, at, reason, this.hostNetwork, ip, ip6)) this.group.running++;
  }

  /** Sets the group's size to the pods written; returns the next column. */
  end(): number {
    this.group.size = this.made;
    return this.next;
  }
}
