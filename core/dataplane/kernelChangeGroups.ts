// An edit's kernel changes as `k8snet diff` and the app both list them: nodes whose route and kube-proxy
// changes are the same together (a new Service changes every node alike), each group with its lines.
import type { Dataplane } from './dataplane';
import { kernelChanges, type LineChanges, type NodeKernelChanges } from './kernelChanges';

export interface KernelChangeGroup {
  nodes: string[];
  routes: LineChanges;
  rules: LineChanges;
}

export function groupKernelChanges(kernels: readonly NodeKernelChanges[]): KernelChangeGroup[] {
  const groups = new Map<string, KernelChangeGroup>();
  for (const k of kernels) {
    const key = JSON.stringify([k.routes, k.rules]);
    const g = groups.get(key);
    if (g) g.nodes.push(k.node);
    else groups.set(key, { nodes: [k.node], routes: k.routes, rules: k.rules });
  }
  return [...groups.values()];
}

/** A group's first line: "node-a, node-b: routes +0 -1, kube-proxy rules +8 -8". */
export const kernelGroupHeading = (g: KernelChangeGroup): string =>
  `${g.nodes.join(', ')}: routes +${g.routes.added.length} -${g.routes.removed.length}, kube-proxy rules +${g.rules.added.length} -${g.rules.removed.length}`;

/**
 * Kernels are compared for clusters up to this many nodes: it renders every node's tables twice (about
 * 5 ms a node with few Services), so a 5,000-node cluster is left to `k8snet diff --node NAME`.
 */
export const KERNEL_DIFF_MAX_NODES = 50;

/** An edit's grouped kernel changes, or why they were not compared. */
export type EditKernelChanges = { groups: KernelChangeGroup[] } | { skipped: string };

/** The grouped kernel changes from `before` to `after`, or why they were not compared. */
export function editKernelChanges(before: Dataplane, after: Dataplane): EditKernelChanges {
  const n = Math.max(before.cluster.nodes.length, after.cluster.nodes.length);
  if (n > KERNEL_DIFF_MAX_NODES)
    return {
      skipped: `Node kernels not compared at ${n.toLocaleString('en-US')} nodes (over ${KERNEL_DIFF_MAX_NODES}): k8snet diff --node NAME compares a node's`,
    };
  return { groups: groupKernelChanges(kernelChanges(before, after)) };
}
