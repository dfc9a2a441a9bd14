// Writing a live group's pods into realize's columns: realize's column writer (BindPod) plus, per pod, the
// edit that created it (its age, for the next scale-down).
import type { PackedPods, PodGroup } from '../store/podStore';

/** What realize's column writer does with one pod: bind it to node `at` (-1: Pending) with `keptIp` (and `keptIp6`, an offset in the node's IPv6 range) if given. */
export type BindPod = (
  gi: number,
  at: number,
  unschedulable: string,
  hostNetwork: boolean,
  keptIp?: number,
  keptIp6?: number,
) => boolean;

/** The previous pods' columns a live edit copies kept runs of pods from. */
export interface KeptSource {
  prev: PackedPods;
  /** Previous node index -> new one. */
  nodeMap: Int32Array;
  /** Dual-stack: the previous IPv6 offsets the pods keep. */
  ip6Of: Uint32Array | undefined;
}

/**
 * realize's column writer: one pod at a time, or a kept run (previous pods first..first+size-1, every one running
 * where it ran with its addresses taken again) copied column by column.
 */
export interface PodWriter {
  bind: BindPod;
  copy(gi: number, from: KeptSource, first: number, size: number, hostNetwork: boolean): void;
}

/** realize's pod columns (podStore.ts's PackedPods, before they are cut to the pods made). */
export interface PodColumns {
  groupOf: Int32Array;
  nodeOf: Int32Array;
  ipOf: Uint32Array;
  reasonOf: Int32Array;
  ip6Of: Uint32Array | undefined;
}

/**
 * Writes a kept run from column `at` on exactly as binding each pod with its kept addresses would (a hostNetwork
 * pod gets its node's address, from `nodes`), without a call per pod.
 */
export function copyKept(
  cols: PodColumns,
  at: number,
  gi: number,
  from: KeptSource,
  first: number,
  size: number,
  nodes: readonly { ip: number }[] | undefined,
): void {
  const { prev, nodeMap } = from;
  const end = first + size;
  const { groupOf, nodeOf, ipOf, reasonOf } = cols;
  // Plain loops: a group is some 15 pods, and subarray() makes an object per call.
  for (let i = first, j = at; i < end; i++, j++) {
    groupOf[j] = gi;
    reasonOf[j] = -1;
    nodeOf[j] = nodeMap[prev.nodeOf[i]!]!;
  }
  if (nodes) {
    for (let j = at; j < at + size; j++) ipOf[j] = nodes[nodeOf[j]!]!.ip;
    return;
  }
  for (let i = first, j = at; i < end; i++, j++) ipOf[j] = prev.ipOf[i]!;
  const from6 = from.ip6Of;
  const to6 = cols.ip6Of;
  if (from6 && to6) for (let i = first, j = at; i < end; i++, j++) to6[j] = from6[i]!;
}

/** One group's pods, written in column order from `next`; a method, not a closure per group, at 10,000 groups. */
export class GroupWriter {
  constructor(
    private readonly write: PodWriter,
    private readonly group: PodGroup,
    private readonly gi: number,
    private readonly hostNetwork: boolean,
    /** Per pod bound: the edit that created it. */
    private readonly born: Int32Array,
    private next: number,
    /** The group's pods written before (a kept run). */
    private made = 0,
  ) {}

  put(born: number, at: number, reason: string, ip?: number, ip6?: number): void {
    this.born[this.next++] = born;
    this.made++;
    if (this.write.bind(this.gi, at, reason, this.hostNetwork, ip, ip6)) this.group.running++;
  }

  /** Sets the group's size to the pods written; returns the next column. */
  end(): number {
    this.group.size = this.made;
    return this.next;
  }
}
