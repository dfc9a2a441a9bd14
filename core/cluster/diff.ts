// What an edit changed: two realized clusters compared object by object, so
// the explorer can highlight exactly what moved and say it in words.
import { packedOf, podStoreOf } from '../store/packedCluster';
import { endpointNumbers } from '../store/podQueries';
import type { PodStore } from '../store/podStore';
import type { RealizedCluster, RealizedService, Warning } from '../api/types';

export interface Change {
  /** "node/NAME", "pod/NS/NAME", "svc/NS/NAME" or "cluster". */
  ref: string;
  kind: 'added' | 'removed' | 'changed';
  message: string;
}

/** The first changes in words, how many there are in all, and the objects they touch. */
export interface DiffSummary {
  changes: Change[];
  total: number;
  /** Refs of changed objects, each once, in the order first met. */
  refs: string[];
}

/**
 * Collects changes: all are counted, the first `maxChanges` are worded and
 * the first `maxRefs` objects kept. A node-mask edit at 5,000 nodes changes
 * 165,000 things; the page shows a thousand, so the rest are never worded.
 */
class Sink {
  readonly changes: Change[] = [];
  readonly refs = new Set<string>();
  total = 0;
  constructor(
    private readonly maxChanges: number,
    private readonly maxRefs: number,
  ) {}
  get wording(): boolean {
    return this.changes.length < this.maxChanges;
  }
  emit(ref: string, kind: Change['kind'], message: () => string): void {
    this.total++;
    if (this.refs.size < this.maxRefs) this.refs.add(ref);
    if (this.changes.length < this.maxChanges) this.changes.push({ ref, kind, message: message() });
  }
}

/** A change in words, or a way to word it (only the first changes are ever worded). */
type Wording = string | (() => string);

function compare<T>(
  sink: Sink,
  before: T[],
  after: T[],
  key: (x: T) => string,
  describe: (a: T, b: T) => Wording[],
  ref: (x: T) => string,
  label: (x: T) => string,
  /** What an added or removed object held, as the CLI's diff says it ("on node-a 10.32.0.4"). */
  detail: (x: T, side: 'added' | 'removed') => string = () => '',
): void {
  const old = new Map(before.map((x) => [key(x), x]));
  const seen = new Set<string>();
  for (const b of after) {
    const k = key(b);
    seen.add(k);
    const a = old.get(k);
    if (!a) sink.emit(ref(b), 'added', () => `${label(b)} added${detail(b, 'added')}`);
    else
      for (const d of describe(a, b))
        sink.emit(ref(b), 'changed', () => `${label(b)}: ${typeof d === 'string' ? d : d()}`);
  }
  for (const a of before)
    if (!seen.has(key(a))) sink.emit(ref(a), 'removed', () => `${label(a)} removed${detail(a, 'removed')}`);
}

/** Where a pod runs and its address, as `k8snet diff` says it. */
const podWhere = (node: string | null, ip: string | null) => `on ${node ?? '(no node: Pending)'} ${ip ?? 'no IP'}`;

/** The endpoints a Service gained and lost, as `k8snet diff` lists them. */
function endpointChange(before: string[], after: string[]): string {
  const had = new Set(before);
  const has = new Set(after);
  const gained = after.filter((e) => !had.has(e));
  const lost = before.filter((e) => !has.has(e));
  const list = (xs: string[]) => (xs.length ? ` (${xs.join(', ')})` : '');
  return `endpoints gained ${gained.length}${list(gained)}, lost ${lost.length}${list(lost)}`;
}

const field = (name: string, a: unknown, b: unknown): string[] =>
  a === b ? [] : [`${name} ${a ?? 'none'} → ${b ?? 'none'}`];

export function diffClusters(before: RealizedCluster, after: RealizedCluster): Change[] {
  return summarizeDiff(before, after).changes;
}

export function summarizeDiff(
  before: RealizedCluster,
  after: RealizedCluster,
  maxChanges = Infinity,
  maxRefs = Infinity,
): DiffSummary {
  const sink = new Sink(maxChanges, maxRefs);
  const ca = before.cluster;
  const cb = after.cluster;
  for (const k of ['podCIDR', 'serviceCIDR', 'nodeSubnet', 'nodeCIDRMaskSize', 'cni', 'kubeProxyMode'] as const) {
    for (const message of field(k, ca[k], cb[k])) sink.emit('cluster', 'changed', () => `cluster: ${message}`);
  }
  compare(
    sink,
    before.nodes,
    after.nodes,
    (n) => n.name,
    (a, b) => [...field('IP', a.ip, b.ip), ...field('PodCIDR', a.podCIDR, b.podCIDR)],
    (n) => `node/${n.name}`,
    (n) => `node ${n.name}`,
    (n, side) =>
      ` (${n.ip}, PodCIDR ${n.podCIDRs?.join(' ') ?? n.podCIDR ?? 'none'}${side === 'removed' ? ' released' : ''})`,
  );
  const moved = podChanges(sink, before, after);
  const ports = (s: RealizedService) =>
    s.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',');
  const endpoints = (s: RealizedService) => s.endpoints.map((e) => `${e.ip}:${e.port}`);
  const beforeIndex = new Map(before.services.map((s, k) => [s, k]));
  const afterIndex = new Map(after.services.map((s, k) => [s, k]));
  // Whether the endpoints differ, from realize's columns when both sides have them: 10,000 Services hold
  // 150,000 endpoints, and only the first changes are ever worded.
  const endpointsDiffer = (a: RealizedService, b: RealizedService): boolean => {
    if (moved.unchangedEndpoints(a, b)) return false;
    const na = endpointNumbers(before, beforeIndex.get(a)!);
    const nb = endpointNumbers(after, afterIndex.get(b)!);
    if (!na || !nb) return endpoints(a).join() !== endpoints(b).join();
    return (
      na.length !== nb.length || na.some((xs, k) => xs.length !== nb[k]!.length || xs.some((x, i) => x !== nb[k]![i]))
    );
  };
  compare(
    sink,
    before.services,
    after.services,
    (s) => `${s.namespace}/${s.name}`,
    (a, b) => [
      ...field('type', a.type, b.type),
      ...field('ClusterIP', a.clusterIP, b.clusterIP),
      ...field('ports', ports(a), ports(b)),
      ...(endpointsDiffer(a, b) ? [() => endpointChange(endpoints(a), endpoints(b))] : []),
    ],
    (s) => `svc/${s.namespace}/${s.name}`,
    (s) => `Service ${s.namespace}/${s.name}`,
  );
  return { changes: sink.changes, total: sink.total, refs: [...sink.refs] };
}

/** Which Services' endpoints certainly did not change (their pods did not move); false when not known. */
interface PodMoves {
  unchangedEndpoints(a: RealizedService, b: RealizedService): boolean;
}
const UNKNOWN: PodMoves = { unchangedEndpoints: () => false };

function podChanges(sink: Sink, before: RealizedCluster, after: RealizedCluster): PodMoves {
  const sa = podStoreOf(before);
  const sb = podStoreOf(after);
  const aligned = sa && sb ? alignedGroups(sa, sb) : undefined;
  if (!sa || !sb || !aligned) {
    compare(
      sink,
      before.pods,
      after.pods,
      (p) => `${p.namespace}/${p.name}`,
      (a, b) => [...field('IP', a.ip, b.ip), ...field('node', a.node, b.node), ...field('phase', a.phase, b.phase)],
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
        sink.emit(`pod/${id(sb, j)}`, 'added', () => `pod ${id(sb, j)} added ${podWhere(sb.node(j), sb.ip(j))}`);
        continue;
      }
      if (matched) matched[ok] = 1;
      const i = og!.first + ok;
      const ipA = sa.isRunning(i) ? sa.packed.ipOf[i] : -1;
      const ipB = sb.isRunning(j) ? sb.packed.ipOf[j] : -1;
      const nodeA = sa.node(i);
      const nodeB = sb.node(j);
      if (ipA === ipB && nodeA === nodeB) continue;
      movedGroups.add(gi);
      const p = id(sb, j);
      if (ipA !== ipB) sink.emit(`pod/${p}`, 'changed', () => `pod ${p}: ${field('IP', sa.ip(i), sb.ip(j))[0]}`);
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
  const removal = (i: number) => {
    const g = sa.group(i);
    const to = g.kind === 'Deployment' ? rolledTo.get(`${g.namespace}/${g.name}`) : undefined;
    const from = sa.prefixOf(sa.packed.groupOf[i]!);
    return to !== undefined && to !== from
      ? `pod ${id(sa, i)} ${podWhere(sa.node(i), sa.ip(i))} replaced: the rolling update to ReplicaSet ${to} terminates it`
      : `pod ${id(sa, i)} removed ${podWhere(sa.node(i), sa.ip(i))}`;
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

/** A warning's identity across two clusters: its code and message. */
export const warningKey = (w: Warning): string => `${w.code} ${w.message}`;

/** Warnings present after an edit that were not there before. */
export function newWarnings(before: RealizedCluster, after: RealizedCluster): Set<string> {
  const old = new Set(before.warnings.map(warningKey));
  return new Set(after.warnings.map(warningKey).filter((k) => !old.has(k)));
}
