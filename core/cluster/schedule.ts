// A deterministic stand-in for kube-scheduler. It keeps the filters that
// decide where pods can go (taints, nodeSelector, nodeName, the kubelet's
// pod count) and replaces scoring with a documented rule: a workload's
// replicas are spread one per node at a time, onto the nodes with the fewest
// pods, ties broken by node order.
import { labelOf } from '../api/labels';
import type { Labels, PodSpecLite, Taint } from '../api/types';

export interface SchedNode {
  name: string;
  labels: Labels;
  taints: Taint[];
  maxPods: number;
  /** Pods bound so far. */
  count: number;
}

/** Node index per replica (-1 = not running, see `reason`: "FailedScheduling: ..." or a kubelet admission failure). */
export interface Placements {
  nodes: Int32Array;
  reason?: string;
}

type Toleration = PodSpecLite['tolerations'][number];

function tolerates(tols: Toleration[], t: Taint): boolean {
  // As k8s.io/api core/v1 Toleration.ToleratesTaint.
  return tols.some((tol) => {
    if (tol.effect && tol.effect !== t.effect) return false;
    if (tol.key && tol.key !== t.key) return false;
    if (!tol.key && tol.operator !== 'Exists') return false;
    if (tol.operator === 'Exists') return true;
    return (tol.value ?? '') === (t.value ?? '');
  });
}

/** The first taint the pod does not tolerate (only NoSchedule/NoExecute filter). */
function untoleratedTaint(spec: PodSpecLite, taints: Taint[]): Taint | undefined {
  return taints.find((t) => t.effect !== 'PreferNoSchedule' && !tolerates(spec.tolerations, t));
}

function selectorMatches(sel: Labels | undefined, labels: Labels): boolean {
  if (!sel) return true;
  for (const k of Object.keys(sel)) if (labelOf(labels, k) !== sel[k]) return false;
  return true;
}

/** Why `node` cannot take the pod, in kube-scheduler's words; undefined if it can. */
function filterReason(spec: PodSpecLite, node: SchedNode): string | undefined {
  if (!selectorMatches(spec.nodeSelector, node.labels)) return "node(s) didn't match Pod's node affinity/selector";
  const taint = untoleratedTaint(spec, node.taints);
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  if (node.count >= node.maxPods) return 'Too many pods';
  return undefined;
}

/** As the scheduler's FitError: "0/N nodes are available: <count reason>, ..." sorted as strings. */
function fitError(spec: PodSpecLite, nodes: SchedNode[]): string {
  if (nodes.length === 0) return 'no nodes available to schedule pods';
  const hist = new Map<string, number>();
  for (const n of nodes) {
    const r = filterReason(spec, n);
    if (r) hist.set(r, (hist.get(r) ?? 0) + 1);
  }
  const parts = [...hist].map(([r, c]) => `${c} ${r}`).sort();
  return `0/${nodes.length} nodes are available: ${parts.join(', ')}.`;
}

/** Min-heap of node indexes keyed by (count, index); entries go stale and are refreshed lazily. */
class NodeHeap {
  private keys: number[] = [];
  private idx: number[] = [];
  constructor(private readonly nodes: SchedNode[]) {}
  get size(): number {
    return this.idx.length;
  }
  push(i: number): void {
    this.keys.push(this.nodes[i]!.count);
    this.idx.push(i);
    let c = this.idx.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!this.less(c, p)) break;
      this.swap(c, p);
      c = p;
    }
  }
  /** Pops the node with the fewest pods that still has room; undefined when none. */
  popFree(): number | undefined {
    while (this.idx.length > 0) {
      const i = this.idx[0]!;
      const key = this.keys[0]!;
      this.removeTop();
      const node = this.nodes[i]!;
      if (node.count >= node.maxPods) continue; // full: counts only grow until a release, which rebuilds the heap
      if (key !== node.count) {
        this.push(i);
        continue;
      } // stale entry
      return i;
    }
    return undefined;
  }
  private removeTop(): void {
    const lastK = this.keys.pop()!;
    const lastI = this.idx.pop()!;
    if (this.idx.length === 0) return;
    this.keys[0] = lastK;
    this.idx[0] = lastI;
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      const r = l + 1;
      let m = p;
      if (l < this.idx.length && this.less(l, m)) m = l;
      if (r < this.idx.length && this.less(r, m)) m = r;
      if (m === p) return;
      this.swap(p, m);
      p = m;
    }
  }
  private less(a: number, b: number): boolean {
    return this.keys[a]! < this.keys[b]! || (this.keys[a] === this.keys[b] && this.idx[a]! < this.idx[b]!);
  }
  private swap(a: number, b: number): void {
    // Plain temporaries: a destructuring swap allocates two arrays per call, millions of them at 150,000 pods.
    const k = this.keys[a]!;
    this.keys[a] = this.keys[b]!;
    this.keys[b] = k;
    const i = this.idx[a]!;
    this.idx[a] = this.idx[b]!;
    this.idx[b] = i;
  }
}

export class Scheduler {
  /** Nodes any plain pod may use: no filtering taint. Shared heap for the common case. */
  private open: NodeHeap;
  private readonly openSet: Set<number>;
  /** A node's count went down (release): its heap entry is out of date. */
  private stale = false;

  constructor(readonly nodes: SchedNode[]) {
    this.open = new NodeHeap(nodes);
    this.openSet = new Set();
    nodes.forEach((n, i) => {
      if (!n.taints.some((t) => t.effect !== 'PreferNoSchedule')) {
        this.open.push(i);
        this.openSet.add(i);
      }
    });
  }

  /**
   * Places `replicas` pods of one template. `prefer` (node indexes) are tried
   * first — used for cluster add-ons that start before workers join.
   */
  place(spec: PodSpecLite, replicas: number, prefer?: number[]): Placements {
    if (spec.nodeName !== undefined) return this.admitPinned(spec, spec.nodeName, replicas);
    const nodes = new Int32Array(Math.max(0, replicas)).fill(-1);
    let placed = 0;
    const fast = !prefer && this.usesOpenNodesOnly(spec);
    if (fast && this.stale) {
      this.open = new NodeHeap(this.nodes);
      for (const i of this.openSet) this.open.push(i);
      this.stale = false;
    }
    while (placed < replicas) {
      const round = fast ? this.roundFast(replicas - placed) : this.roundScan(spec, replicas - placed, prefer);
      if (round.length === 0) return { nodes, reason: `FailedScheduling: ${fitError(spec, this.nodes)}` };
      for (const i of round) {
        this.nodes[i]!.count++;
        nodes[placed++] = i;
        // Back into the heap with its new count, so the next pop finds a current entry.
        if (fast) this.open.push(i);
      }
    }
    return { nodes };
  }

  /**
   * A pod with spec.nodeName never meets the scheduler: the named node's kubelet admits it, as
   * kubelet/lifecycle/predicate.go does: pod count first, then the node selector, then NoExecute taints only
   * ("Kubelet is only interested in the NoExecute taint"), so a NoSchedule taint does not keep it off.
   */
  private admitPinned(spec: PodSpecLite, nodeName: string, replicas: number): Placements {
    const nodes = new Int32Array(Math.max(0, replicas)).fill(-1);
    const at = this.nodes.findIndex((n) => n.name === nodeName);
    const node = this.nodes[at];
    if (!node)
      return {
        nodes,
        reason: `NodeNotFound: spec.nodeName is "${nodeName}", which is no node of this cluster, so no kubelet runs the pod (the pod garbage collector deletes pods bound to missing nodes)`,
      };
    const rejected = (why: string) => `rejected by the kubelet on ${nodeName} (the pod would be Failed): ${why}`;
    const noExecute = node.taints.find((t) => t.effect === 'NoExecute' && !tolerates(spec.tolerations, t));
    const other = !selectorMatches(spec.nodeSelector, node.labels)
      ? rejected("Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector")
      : noExecute
        ? rejected(
            `Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate ({${noExecute.key}: ${noExecute.value ?? ''}}:NoExecute)`,
          )
        : undefined;
    let reason: string | undefined;
    for (let i = 0; i < nodes.length; i++) {
      if (node.count >= node.maxPods) {
        reason = `OutOfpods: ${rejected(`Node didn't have enough resource: pods, requested: 1, used: ${node.count}, capacity: ${node.maxPods}`)}`;
      } else if (other) reason = `${other.includes('NodeAffinity') ? 'NodeAffinity' : 'TaintToleration'}: ${other}`;
      else {
        node.count++;
        nodes[i] = at;
      }
    }
    return reason ? { nodes, reason } : { nodes };
  }

  /**
   * One daemon pod per node of `targets`. The DaemonSet controller pins each pod to its node with node
   * affinity on metadata.name, so the scheduler's only question is whether that node has room.
   */
  placeOnNodes(targets: readonly number[]): Placements {
    const nodes = new Int32Array(targets.length).fill(-1);
    let full = false;
    targets.forEach((at, i) => {
      const node = this.nodes[at]!;
      if (node.count >= node.maxPods) full = true;
      else {
        node.count++;
        nodes[i] = at;
      }
    });
    if (!full) return { nodes };
    const others = this.nodes.length - 1;
    const why = [
      '1 Too many pods',
      ...(others > 0 ? [`${others} node(s) didn't match Pod's node affinity/selector`] : []),
    ];
    return { nodes, reason: `FailedScheduling: 0/${this.nodes.length} nodes are available: ${why.join(', ')}.` };
  }

  /** A pod on `node` is gone (terminated in a rollout): the node counts one pod fewer from now on. */
  release(node: number): void {
    const n = this.nodes[node];
    if (!n || n.count === 0) return;
    n.count--;
    // The heap's entry for it now has too high a count: the heap is rebuilt before the next placement.
    if (this.openSet.has(node)) this.stale = true;
  }

  /** True when exactly the untainted nodes are eligible and no other filter applies. */
  private usesOpenNodesOnly(spec: PodSpecLite): boolean {
    if (spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0) return false;
    if (spec.tolerations.length === 0) return true;
    return this.nodes.every(
      (n) => !n.taints.some((t) => t.effect !== 'PreferNoSchedule' && tolerates(spec.tolerations, t)),
    );
  }

  /** One spreading round: up to `want` distinct nodes, fewest pods first. */
  private roundFast(want: number): number[] {
    const picked: number[] = [];
    while (picked.length < want) {
      const i = this.open.popFree();
      if (i === undefined) break;
      picked.push(i);
    }
    return picked; // place() puts them back once their counts have grown
  }

  private roundScan(spec: PodSpecLite, want: number, prefer?: number[]): number[] {
    const fits = (i: number) => filterReason(spec, this.nodes[i]!) === undefined;
    const order = (a: number, b: number) => this.nodes[a]!.count - this.nodes[b]!.count || a - b;
    if (prefer) {
      const preferred = prefer.filter(fits).sort(order);
      if (preferred.length > 0) return preferred.slice(0, want);
    }
    const eligible: number[] = [];
    for (let i = 0; i < this.nodes.length; i++) if (fits(i)) eligible.push(i);
    return eligible.sort(order).slice(0, want);
  }
}

export { tolerates };
