// Which pod groups each Service's selector matches (their Running pods are its endpoints, as the
// EndpointSlice controller lists them). A live edit that changed nothing a selector reads (every group's
// namespace, labels and whether it runs pods, in the same order) keeps each unchanged Service's groups
// from the state before instead of matching all of them again.
import { matchesLabels } from '../api/labels';
import type { PackedService } from '../store/packedCluster';
import type { PodGroup } from '../store/podStore';
import type { Labels } from '../api/types';

/** The state before a live edit: its groups and its Services with the groups they selected. */
export interface SelectedBefore {
  groups: readonly PodGroup[];
  services: readonly PackedService[];
}

export class SelectedGroups {
  private byLabel: Map<string, Map<string, number[]>> | undefined;
  private readonly before: SelectedBefore | undefined;

  constructor(
    private readonly groups: readonly PodGroup[],
    before?: SelectedBefore,
  ) {
    this.before = before && selectSame(before.groups, groups) ? before : undefined;
  }

  /** The groups Service `k` (in the Services' order) with `selector` in `namespace` selects, in group order. */
  of(k: number, namespace: string, selector: Labels): number[] {
    // What a selection reads is the namespace and the selector: the Service's name does not matter.
    const was = this.before?.services[k];
    if (was?.groups && was.service.namespace === namespace && sameLabels(was.service.selector, selector))
      return was.groups;
    this.byLabel ??= indexByLabel(this.groups);
    return candidates(this.byLabel, namespace, selector).filter((g) =>
      matchesLabels(selector, this.groups[g]!.spec.labels),
    );
  }
}

/** Whether every selector matches the same groups in `a` as in `b`: same namespaces, labels and running or not. */
function selectSame(a: readonly PodGroup[], b: readonly PodGroup[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.namespace !== y.namespace || x.running > 0 !== y.running > 0) return false;
    if (!sameLabels(x.spec.labels, y.spec.labels)) return false;
  }
  return true;
}

function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  // for...in over plain parsed maps (label values are strings, so a missing key reads as a difference).
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** namespace -> "key=value" -> the groups (by index) with Running pods carrying that label. */
function indexByLabel(groups: readonly PodGroup[]): Map<string, Map<string, number[]>> {
  const out = new Map<string, Map<string, number[]>>();
  groups.forEach((g, gi) => {
    if (g.running === 0) return;
    let idx = out.get(g.namespace);
    if (!idx) out.set(g.namespace, (idx = new Map()));
    const labels = g.spec.labels;
    for (const k of Object.keys(labels)) {
      const key = `${k}=${labels[k]}`;
      const list = idx.get(key);
      if (list) list.push(gi);
      else idx.set(key, [gi]);
    }
  });
  return out;
}

/** The candidates for a selector: the shortest posting list among its pairs (then filtered exactly). */
function candidates(idx: Map<string, Map<string, number[]>>, ns: string, sel: Labels): number[] {
  const byKey = idx.get(ns);
  if (!byKey) return [];
  let best: number[] | undefined;
  for (const k of Object.keys(sel)) {
    const list = byKey.get(`${k}=${sel[k]}`) ?? [];
    if (!best || list.length < best.length) best = list;
  }
  return best ?? [];
}
