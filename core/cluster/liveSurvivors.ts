// Which of a live cluster's previous pods still run where they ran after an edit: their node is still there with
// the same PodCIDRs, and host-local gives them their addresses again.
import type { LiveState } from './liveState';
import type { PodAddressRange } from '../ipam/hostLocal';
import type { HostLocalRange6 } from '../ipam/family6';
import type { NodeState } from './realizeNodes';

/** A group's previous pods still there: running ones (as indexes, in order) and Pending ones. */
export interface GroupSurvivors {
  running: number[];
  pending: number[];
  /**
   * Every pod of the group runs on where it ran, its addresses taken again: `running` and `pending` are left empty
   * (the group's pods are then copied column by column, not one by one).
   */
  whole: boolean;
}

export class Survivors {
  /** Per new node: the pods kept on it (the scheduler starts from these counts). */
  readonly keptOn: Int32Array;
  /** Previous node index -> new one; -1: the node is gone, or came back as a new node. */
  readonly nodeMap: Int32Array;
  /** The IPv6 offsets kept pods carry over (dual-stack), as a column. */
  readonly ip6Column: Uint32Array | undefined;
  private readonly ipOf: Uint32Array;

  constructor(
    private readonly prev: LiveState,
    nodes: readonly NodeState[],
    private readonly ranges: readonly (PodAddressRange | null)[],
    /** Dual-stack: each node's IPv6 range (host-local's second range). */
    private readonly ranges6?: readonly (HostLocalRange6 | null)[],
  ) {
    this.keptOn = new Int32Array(nodes.length);
    this.ipOf = prev.pods.packed.ipOf;
    this.ip6Column = ranges6 ? prev.pods.packed.ip6Of : undefined;
    // A node keeps its pods when it is still there with the same PodCIDR (a node removed and added again
    // under its name is a new node: its old pods were garbage-collected with it).
    let byName: Map<string, number> | undefined;
    const was = prev.nodes.podCIDRs;
    const { podCIDR6: was6, lastReserved, lastReserved6 } = prev.podNodeRanges;
    this.nodeMap = new Int32Array(prev.podNodes.length);
    prev.podNodes.forEach((name, k) => {
      // Most edits keep the nodes' order: the same place is tried first.
      const i = nodes[k]?.name === name ? k : (byName ??= new Map(nodes.map((n, j) => [n.name, j]))).get(name);
      const same =
        i !== undefined &&
        sameCidr(was[k], nodes[i]!.podCIDR) &&
        // Its IPv6 PodCIDR too (an IPv6 single-stack node has no other).
        sameCidr(was6[k], nodes[i]!.family6?.podCIDR);
      this.nodeMap[k] = same ? i : -1;
      if (!same) return;
      const last = lastReserved[k];
      if (last !== undefined) ranges[i]?.restore(undefined, last);
      ranges6?.[i]?.restore(undefined, lastReserved6[k]);
    });
  }

  /**
   * The previous pods of group `pgi` still running where they ran (their node kept its PodCIDR), and the
   * Pending. With `restore` (the group keeps them all: no scale-down to choose from) they are kept at once.
   */
  of(pgi: number | undefined, restore?: { hostNetwork: boolean }): GroupSurvivors {
    const running: number[] = [];
    const pending: number[] = [];
    if (pgi === undefined) return { running, pending, whole: false };
    const { groups, nodeOf, reasonOf } = this.prev.pods.packed;
    const { nodeMap, keptOn } = this;
    const g = groups[pgi]!;
    const end = g.first + g.size;
    const takeIps = restore !== undefined && !restore.hostNetwork;
    // Restoring, the running pods are listed only from the first pod that does not run on (`whole` until then).
    let whole = restore !== undefined && keptRuns.copy;
    for (let i = g.first; i < end; i++) {
      const at = reasonOf[i] === -1 ? nodeMap[nodeOf[i]!]! : -1;
      const kept = at >= 0 && (!takeIps || this.restoreIps(i, at));
      if (!kept && whole) {
        whole = false;
        for (let j = g.first; j < i; j++) running.push(j);
      }
      if (!kept) {
        // A Pending pod stays Pending; a running one whose node is gone goes with it.
        if (reasonOf[i] !== -1 && nodeOf[i]! < 0) pending.push(i);
        continue;
      }
      if (restore) keptOn[at]!++;
      if (!whole) running.push(i);
    }
    return whole ? WHOLE : { running, pending, whole };
  }

  /** A previous pod's node in the new node list (-1: gone). */
  nodeOf(prevPod: number): number {
    return this.nodeMap[this.prev.pods.packed.nodeOf[prevPod]!]!;
  }

  /** Takes the kept pods' addresses and node places; a pod whose address cannot be had again is not kept. */
  keep(pods: number[], hostNetwork: boolean): number[] {
    return pods.filter((i) => {
      const at = this.nodeOf(i);
      if (!hostNetwork && !this.restoreIps(i, at)) return false;
      this.keptOn[at]!++;
      return true;
    });
  }

  /** Previous pod `i`'s address on node `at` taken again, in each family it had one. */
  private restoreIps(i: number, at: number): boolean {
    const ip = this.ipOf[i]!;
    const range = this.ranges[at];
    if (!range?.restore(ip)) return false;
    const off = this.ip6Column?.[i];
    if (!off || this.ranges6![at]?.restore(off)) return true;
    range.release(ip);
    return false;
  }

  /** Previous pod `i`'s offset in its node's IPv6 range, when it had an IPv6 address and the cluster still does. */
  ip6Of(i: number): number | undefined {
    const off = this.ip6Column?.[i];
    return off ? off : undefined;
  }
}

/** A whole group's survivors: nothing listed (frozen, shared by every such group). */
const WHOLE: GroupSurvivors = Object.freeze({
  running: Object.freeze([]) as never,
  pending: Object.freeze([]) as never,
  whole: true,
});

const sameCidr = (a: { base: number | bigint; prefix: number } | undefined | null, b: typeof a): boolean =>
  a === b || ((a?.base ?? -1) === (b?.base ?? -1) && (a?.prefix ?? -1) === (b?.prefix ?? -1));

/** Whole groups' pods are copied column by column; tests turn this off to compare with binding each pod. */
export const keptRuns = { copy: true };
