// An edit's kernel changes as `k8snet diff` and the app both list them: nodes whose route and kube-proxy
// changes are the same together (a new Service changes every node alike), each group with its lines.
import type { RealizedCluster } from '../api/types';
import { podStoreOf } from '../store/packedCluster';
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

/** Node names a heading lists before "and N more" (a new Service changes a 500-node cluster's every node alike). */
export const HEADING_NODES = 10;

/** "node-a, node-b", or past `max` names the first `max` and "and N more". */
export function nodeNames(nodes: readonly string[], max = HEADING_NODES): string {
  if (nodes.length <= max) return nodes.join(', ');
  return `${nodes.slice(0, max).join(', ')} and ${(nodes.length - max).toLocaleString('en-US')} more`;
}

/** A group's first line: "node-a, node-b: routes +0 -1, kube-proxy rules +8 -8" (at most HEADING_NODES names). */
export const kernelGroupHeading = (g: KernelChangeGroup): string =>
  `${nodeNames(g.nodes)}: routes +${g.routes.added.length} -${g.routes.removed.length}, kube-proxy rules +${g.rules.added.length} -${g.rules.removed.length}`;

/**
 * The page compares kernels while nodes x (pods + Services) stays under this; past it `k8snet diff` lists them.
 * kernelChanges prints only what an edit can change: scaling a Deployment of a generated 50-node cluster (80,200)
 * takes 60-70 ms on a 2-core machine, 100 nodes (320,400) about 120 ms, 500 nodes about 2 s (bench: diff 500 nodes).
 */
export const KERNEL_DIFF_BUDGET = 100_000;

const size = (c: RealizedCluster) => c.nodes.length * ((podStoreOf(c)?.count ?? c.pods.length) + c.services.length);

/** An edit's grouped kernel changes, or why they were not compared. */
export type EditKernelChanges = { groups: KernelChangeGroup[] } | { skipped: string };

/** The grouped kernel changes from `before` to `after`, or why they were not compared. */
export function editKernelChanges(before: Dataplane, after: Dataplane): EditKernelChanges {
  const work = Math.max(size(before.cluster), size(after.cluster));
  if (work > KERNEL_DIFF_BUDGET) {
    const n = after.cluster.nodes.length.toLocaleString('en-US');
    return {
      skipped: `Node kernels not compared here: ${n} nodes' routes and kube-proxy rules are more than the page lists (k8snet diff lists them, --node NAME for one node)`,
    };
  }
  return { groups: groupKernelChanges(kernelChanges(before, after)) };
}
