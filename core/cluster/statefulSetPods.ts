// A StatefulSet's pods in a live cluster when its template is unchanged (or updateStrategy OnDelete): pods are
// NAME-ORDINAL, a scale-down removes the highest ordinals and a scale-up adds the missing ones.
import type { GroupDecl } from './podGroups';

export interface StatefulSetPods {
  /** Previous pods kept where they run, as indexes into the previous columns. */
  kept: number[];
  /** Pods to create: a Pending one from before (`prev` >= 0) or a new one, by name. */
  placed: { prev: number; name: string }[];
  names: string[];
}

/** `old`: the previous group's names, its first pod at column `first`; `keep` takes kept pods' addresses. */
export function statefulSetPods(
  d: GroupDecl,
  old: readonly string[],
  first: number,
  running: readonly number[],
  pending: readonly number[],
  keep: (kept: number[]) => number[],
): StatefulSetPods {
  const start = d.extra?.ordinalsStart ?? 0;
  const runningByName = new Map(running.map((i) => [old[i - first]!, i]));
  const pendingByName = new Map(pending.map((i) => [old[i - first]!, i]));
  const wanted: number[] = [];
  const placed: StatefulSetPods['placed'] = [];
  for (let k = 0; k < Math.max(0, d.replicas); k++) {
    const name = `${d.name}-${start + k}`;
    const i = runningByName.get(name);
    if (i !== undefined) wanted.push(i);
    else placed.push({ prev: pendingByName.get(name) ?? -1, name });
  }
  const kept = keep(wanted);
  // A pod whose address could not be had again is recreated under its name.
  const keptNames = new Set(kept.map((i) => old[i - first]!));
  for (const i of wanted) if (!keptNames.has(old[i - first]!)) placed.push({ prev: -1, name: old[i - first]! });
  return { kept, placed, names: [...kept.map((i) => old[i - first]!), ...placed.map((p) => p.name)] };
}
