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

/** A group's first line: "node-a, node-b: routes +0 -1, kube-proxy rules +8 -8". */
export const kernelGroupHeading = (g: KernelChangeGroup): string =>
  `${g.nodes.join(', ')}: routes +${g.routes.added.length} -${g.routes.removed.length}, kube-proxy rules +${g.rules.added.length} -${g.rules.removed.length}`;

/**
 * Kernels are compared while nodes x (pods + Services) stays under this: every node's tables are rendered
 * twice, each pod and Service lines in each. Measured on a 2-core machine: 10 nodes of 30 pods with 32
 * Services take 0.5 s, about 130 us a unit, so this budget is about 200 ms. Past it `k8snet diff` lists them.
 */
export const KERNEL_DIFF_BUDGET = 1500;

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
