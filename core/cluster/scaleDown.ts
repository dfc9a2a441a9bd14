// Which pods a scale-down removes, as the ReplicaSet controller picks them
// (pkg/controller/replicaset/replica_set.go getPodsToDelete, ranked by
// getPodsRankedByRelatedPodsOnSameNode and sorted by controller_utils.go ActivePodsWithRanks.Less).

export interface DeletionCandidate {
  /** The pod's name; it stands in for the pod UID that breaks ties. */
  name: string;
  /** Node index; -1 when the pod is not bound to a node. */
  node: number;
  running: boolean;
  /** The edit that created the pod: a later edit made a newer pod. */
  born: number;
}

/**
 * The candidates in deletion order, first to go first. `relatedOnNode(node)`: the active pods of the same
 * owner (for a Deployment, all its ReplicaSets) on that node, the rank of rule 5.
 * Rules, in upstream's order: 1. unassigned before assigned; 2. Pending before Running; 3. not ready before
 * ready (a Running pod here is ready); 4. pod-deletion-cost (not modelled: no pod carries the annotation);
 * 5. more related pods on the same node first; 6. and 8. the more recently ready / created first (our
 * clock is the edit count; pods of one edit are the same age, as LogarithmicScaleDown buckets them), then
 * 7. restarts (none) and the UID order LogarithmicScaleDown falls back to (here the name).
 */
export function deletionOrder(pods: readonly DeletionCandidate[], relatedOnNode: (node: number) => number): number[] {
  const rank = pods.map((p) => (p.node < 0 ? 0 : relatedOnNode(p.node)));
  const order = pods.map((_, i) => i);
  order.sort((i, j) => {
    const a = pods[i]!;
    const b = pods[j]!;
    if (a.node < 0 !== b.node < 0) return a.node < 0 ? -1 : 1;
    if (a.running !== b.running) return a.running ? 1 : -1;
    if (rank[i] !== rank[j]) return rank[j]! - rank[i]!;
    if (a.born !== b.born) return b.born - a.born;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return order;
}

/**
 * The first `k` of deletionOrder as a set, without sorting every pod by name: the rules' numeric part sorts
 * the pods, and names break ties only among the pods tied at the cut (a 150,000-pod rollout scales down in
 * a few steps of tens of thousands each).
 */
export function deletionSet(
  pods: readonly DeletionCandidate[],
  k: number,
  relatedOnNode: (node: number) => number,
): Set<number> {
  if (k <= 0) return new Set();
  if (k >= pods.length) return new Set(pods.map((_, i) => i));
  // Smaller goes first: unassigned, then not running, then more related pods on the node, then newer.
  const key = new Float64Array(pods.length);
  const limit = 2 ** 20 - 1;
  pods.forEach((p, i) => {
    const rank = Math.min(limit, p.node < 0 ? 0 : relatedOnNode(p.node));
    const group = (p.node < 0 ? 0 : 2) + (p.running ? 1 : 0);
    key[i] = (group * 2 ** 20 + (limit - rank)) * 2 ** 20 + (limit - Math.min(limit, Math.max(0, p.born)));
  });
  const order = Int32Array.from(pods, (_, i) => i).sort((a, b) => key[a]! - key[b]!);
  const cut = key[order[k - 1]!]!;
  const out = new Set<number>();
  const tied: number[] = [];
  for (const i of order) {
    if (key[i]! < cut) out.add(i);
    else if (key[i] === cut) tied.push(i);
    else break;
  }
  tied.sort((a, b) => (pods[a]!.name < pods[b]!.name ? -1 : pods[a]!.name > pods[b]!.name ? 1 : 0));
  for (const i of tied.slice(0, k - out.size)) out.add(i);
  return out;
}
