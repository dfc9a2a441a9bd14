// Pods across an edit, from realize's columns: which were added, removed, replaced by a rolling update or
// moved, and whose Services' endpoints certainly did not change.
import { packedOf, podStoreOf } from '../store/packedCluster';
import type { PodStore } from '../store/podStore';
import type { RealizedCluster, RealizedService } from '../api/types';
import { compare, field, pair, podWhere, type Sink } from './diffSink';
import { stepsBack } from './liveState';
import { undoneRollout } from './rolloutReport';

/** A dual-stack pod's IPv6 address is an offset in its node's IPv6 PodCIDR: the same offset in the same PodCIDR. */
function sameIp6(sa: PodStore, i: number, sb: PodStore, j: number): boolean {
  const a = sa.packed;
  const b = sb.packed;
  if (!a.ip6Of || !b.ip6Of) return !a.ip6Of === !b.ip6Of;
  if (a.ip6Of[i] !== b.ip6Of[j]) return false;
  return a.nodes6?.[a.nodeOf[i]!]?.podCIDR === b.nodes6?.[b.nodeOf[j]!]?.podCIDR;
}

/** Which Services' endpoints certainly did not change (their pods did not move); false when not known. */
export interface PodMoves {
  unchangedEndpoints(a: RealizedService, b: RealizedService): boolean;
}
const UNKNOWN: PodMoves = { unchangedEndpoints: () => false };

export function podChanges(sink: Sink, before: RealizedCluster, after: RealizedCluster): PodMoves {
  const sa = podStoreOf(before);
  const sb = podStoreOf(after);
  const aligned = sa && sb ? alignedGroups(sa, sb) : undefined;
  if (!sa || !sb || !aligned) {
    compare(
      sink,
      before.pods,
      after.pods,
      (p) => `${p.namespace}/${p.name}`,
      (a, b) => [
        ...pair('IP', a.ip, b.ip, a.ips, b.ips),
        ...field('node', a.node, b.node),
        ...field('phase', a.phase, b.phase),
      ],
      (p) => `pod/${p.namespace}/${p.name}`,
      (p) => `pod ${p.namespace}/${p.name}`,
      (p) => ` ${podWhere(p.node, p.ips?.join(' ') ?? p.ip)}`,
    );
    return UNKNOWN;
  }
  // Realize's columns, group by group: a pod keeps its name while its group keeps its name prefix, so pod i
  // of a group before is pod i after. No pod objects are made: a node-mask edit moves all 150,000 pods.
  const removed: number[] = [];
  const phase = (s: PodStore, i: number) => (s.isRunning(i) ? 'Running' : 'Pending');
  const id = (s: PodStore, i: number) => `${s.group(i).namespace}/${s.name(i)}`;
  /** After's groups whose pods were added, removed or moved. */
  const movedGroups = new Set<number>();
  sb.packed.groups.forEach((g, gi) => {
    const oi = aligned.get(gi);
    const og = oi === undefined ? undefined : sa.packed.groups[oi]!;
    const common = og ? Math.min(og.size, g.size) : 0;
    if (!og || og.size !== g.size) movedGroups.add(gi);
    // A live cluster names its pods explicitly (a scale-down keeps any of them): then match them by name.
    const byName = og && (og.names || g.names) ? new Map(sa.groupNames(oi!).map((n, k) => [n, k])) : undefined;
    const matched = byName ? new Uint8Array(og!.size) : undefined;
    for (let k = 0; k < g.size; k++) {
      const j = g.first + k;
      const ok = byName ? byName.get(sb.groupNames(gi)[k]!) : k < common ? k : undefined;
      if (ok === undefined) {
        movedGroups.add(gi);
        sink.emit(
          `pod/${id(sb, j)}`,
          'added',
          () => `pod ${id(sb, j)} added ${podWhere(sb.node(j), sb.ips(j)?.join(' ') ?? sb.ip(j))}`,
        );
        continue;
      }
      if (matched) matched[ok] = 1;
      const i = og!.first + ok;
      const ipA = sa.isRunning(i) ? sa.packed.ipOf[i] : -1;
      const ipB = sb.isRunning(j) ? sb.packed.ipOf[j] : -1;
      const nodeA = sa.node(i);
      const nodeB = sb.node(j);
      if (ipA === ipB && nodeA === nodeB && sameIp6(sa, i, sb, j)) continue;
      movedGroups.add(gi);
      const p = id(sb, j);
      if (ipA !== ipB || !sameIp6(sa, i, sb, j))
        sink.emit(`pod/${p}`, 'changed', () => `pod ${p}: ${pair('IP', sa.ip(i), sb.ip(j), sa.ips(i), sb.ips(j))[0]}`);
      if (nodeA !== nodeB) sink.emit(`pod/${p}`, 'changed', () => `pod ${p}: ${field('node', nodeA, nodeB)[0]}`);
      if (phase(sa, i) !== phase(sb, j))
        sink.emit(`pod/${p}`, 'changed', () => `pod ${p}: ${field('phase', phase(sa, i), phase(sb, j))[0]}`);
    }
    if (og && matched) {
      for (let k = 0; k < og.size; k++) if (!matched[k]) removed.push(og.first + k);
    } else if (og) for (let k = common; k < og.size; k++) removed.push(og.first + k);
    if (matched?.includes(0)) movedGroups.add(gi);
  });
  const kept = new Set(aligned.values());
  sa.packed.groups.forEach((g, gi) => {
    if (!kept.has(gi)) for (let k = 0; k < g.size; k++) removed.push(g.first + k);
  });
  // A Deployment whose ReplicaSet changed rolled its pods: the old ones terminate, replaced by the new ReplicaSet's.
  const rolledTo = new Map<string, string>();
  sb.packed.groups.forEach((g, gi) => {
    if (g.kind === 'Deployment') rolledTo.set(`${g.namespace}/${g.name}`, sb.prefixOf(gi));
  });
  const back = stepsBack(before, after);
  const where = (i: number) => podWhere(sa.node(i), sa.ips(i)?.join(' ') ?? sa.ip(i));
  const removal = (i: number) => {
    const g = sa.group(i);
    const to = g.kind === 'Deployment' ? rolledTo.get(`${g.namespace}/${g.name}`) : undefined;
    const from = sa.prefixOf(sa.packed.groupOf[i]!);
    if (to === undefined || to === from) return `pod ${id(sa, i)} removed ${where(i)}`;
    return back
      ? `pod ${id(sa, i)} ${where(i)} gone: ${undoneRollout(from, to)}`
      : `pod ${id(sa, i)} ${where(i)} replaced: the rolling update to ReplicaSet ${to} terminates it`;
  };
  for (const i of removed.sort((x, y) => x - y)) sink.emit(`pod/${id(sa, i)}`, 'removed', () => removal(i));

  // A Service's endpoints are its selected groups' Running pods: the same groups, the same ports and no moved pod
  // mean the same endpoints.
  const beforeIndex = new Map(before.services.map((s, k) => [s, k]));
  const afterIndex = new Map(after.services.map((s, k) => [s, k]));
  // The pod groups behind a Service's endpoints, by its place in the list; undefined for fixed ones (kubernetes).
  const groupsOf = (c: RealizedCluster, index: Map<RealizedService, number>, s: RealizedService) =>
    index.has(s) ? packedOf(c)?.services[index.get(s)!]?.groups : undefined;
  return {
    unchangedEndpoints(a, b) {
      const ga = groupsOf(before, beforeIndex, a);
      const gb = groupsOf(after, afterIndex, b);
      if (!ga || !gb || ga.length !== gb.length) return false;
      if (JSON.stringify(a.ports) !== JSON.stringify(b.ports)) return false;
      return gb.every(
        (g, k) =>
          aligned.get(g) === ga[k] &&
          !movedGroups.has(g) &&
          JSON.stringify(sb.packed.groups[g]!.spec.ports) === JSON.stringify(sa.packed.groups[ga[k]!]!.spec.ports),
      );
    },
  };
}

/**
 * After's groups matched to before's (after index -> before index) when pod
 * names line up by position: same namespace and name prefix, the same bare
 * Pods (generated names avoid them), and no two groups sharing a prefix.
 * Undefined otherwise, and the pods are compared by name instead.
 */
function alignedGroups(sa: PodStore, sb: PodStore): Map<number, number> | undefined {
  const keys = (s: PodStore) => {
    const m = new Map<string, number>();
    for (let gi = 0; gi < s.packed.groups.length; gi++) {
      const key = `${s.packed.groups[gi]!.namespace}/${s.prefixOf(gi)}`;
      if (m.has(key)) return undefined;
      m.set(key, gi);
    }
    return m;
  };
  const a = keys(sa);
  const b = keys(sb);
  const bareA = sa.barePodKeys();
  const bareB = sb.barePodKeys();
  if (!a || !b || bareA.size !== bareB.size || [...bareA].some((k) => !bareB.has(k))) return undefined;
  const out = new Map<number, number>();
  for (const [key, gi] of b) {
    const oi = a.get(key);
    if (oi !== undefined) out.set(gi, oi);
  }
  return out;
}
