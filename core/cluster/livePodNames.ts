// The names a live cluster's pods carry through an edit: kept and Pending pods keep theirs; the new ones get
// generated names whose serials continue (a name never comes back after a scale-down).
import { deploymentHash, generatedPodName, nameSeed, type PodGroup, type PodStore } from '../store/podStore';
import type { GroupDecl } from './podGroups';

/** A pod the controllers must (re)create: a Pending one from before (`prev` >= 0) or a new one. */
export interface NewPod {
  prev: number;
  /** Its name; undefined when the group's names stay positional (generated on read). */
  name?: string;
  /** A DaemonSet pod's node. */
  target?: number;
}

export interface GroupPlan {
  /** The previous pods that keep running where they run: indexes into the previous columns, in order. */
  kept: number[];
  placed: NewPod[];
  /** Every pod's name, kept then placed; undefined when pod k's name is the k-th generated one. */
  names?: string[];
  templateHash?: string;
}

/** The names of a plan's pods: the kept and Pending ones' own, generated ones for the new (serials continue). */
export function planNames(
  prev: PodStore,
  d: GroupDecl,
  pgi: number | undefined,
  plan: GroupPlan,
  serial: number,
  bare: ReadonlySet<string>,
): string[] {
  const old = pgi === undefined ? [] : prev.groupNames(pgi);
  const first = pgi === undefined ? 0 : prev.packed.groups[pgi]!.first;
  const out = plan.kept.map((i) => old[i - first]!);
  const used = new Set(out);
  for (const p of plan.placed) if (p.prev >= 0) used.add(old[p.prev - first]!);
  const g = { kind: d.kind, namespace: d.namespace, indexed: d.extra?.indexed } as PodGroup;
  const prefix = d.kind === 'Deployment' ? `${d.name}-${plan.templateHash ?? deploymentHash(d.spec)}` : d.name;
  const seed = nameSeed(g, prefix);
  // An Indexed Job recreates the completion indexes no running pod holds.
  const held = new Set([...used].map((n) => Number(n.slice(prefix.length + 1).split('-')[0])));
  let index = 0;
  for (const p of plan.placed) {
    if (p.prev >= 0) {
      out.push(old[p.prev - first]!);
      continue;
    }
    while (g.indexed && held.has(index)) index++;
    held.add(index);
    out.push(generatedPodName(g, prefix, seed, serial++, index, used, bare));
  }
  return out;
}
