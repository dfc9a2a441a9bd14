// Who can open a connection to whom: workloads x workloads under the
// NetworkPolicies, each cell with its verdict and why (like the truth tables
// the upstream e2e tests print, test/e2e/network/netpol/truthtable.go).
import type { IpFamily, Protocol, RealizedCluster, RealizedPod } from '../api/types';
import { primaryFamily } from '../api/familyFields';
import { judge, podEndpoint, type PolicyContext, type Verdict } from './evaluate';

export interface ReachWorkload {
  /** "Deployment/default/web", or "Pod/default/client" for a bare pod. */
  id: string;
  /** "default/web": what the table prints. */
  label: string;
  /** Running pods with an IP. */
  pods: RealizedPod[];
}

export interface ReachTarget {
  workload: string;
  port: number;
  protocol: Protocol;
  /** The container port's name, when it has one. */
  portName?: string;
}

export type CellState = 'allowed' | 'denied' | 'partial';

export interface ReachCell {
  from: string;
  to: ReachTarget;
  state: CellState;
  /** Pod pairs judged, and how many were allowed. */
  pairs: number;
  allowedPairs: number;
  /** The verdict of a representative pair: the first denied one, else the first. */
  verdict: Verdict;
}

export interface ReachMatrix {
  workloads: ReachWorkload[];
  targets: ReachTarget[];
  /** cells[i][j]: workloads[i] -> targets[j]. */
  cells: ReachCell[][];
}

export interface ReachOptions {
  /** One port for every destination; default: each destination's declared container ports. */
  port?: number;
  protocol?: Protocol;
  /** Leave kube-system out (on by default: coredns clutters a teaching table). */
  includeSystem?: boolean;
  /**
   * The connections' family: IPv6 judges pods at their IPv6 addresses (ipBlock peers see those). Default: the
   * cluster's primary family (the one kind lists first: IPv6 in an IPv6-first or IPv6 single-stack cluster).
   */
  family?: IpFamily;
}

/** Pods grouped by owning workload (or by pod name for bare pods), in the cluster's pod order. */
export function groupWorkloads(cluster: RealizedCluster, includeSystem = false): ReachWorkload[] {
  const byId = new Map<string, ReachWorkload>();
  for (const p of cluster.pods) {
    if (p.phase !== 'Running' || !p.ip) continue;
    if (!includeSystem && p.namespace === 'kube-system') continue;
    const id = p.owner ?? `Pod/${p.namespace}/${p.name}`;
    let w = byId.get(id);
    if (!w) byId.set(id, (w = { id, label: `${p.namespace}/${id.split('/').at(-1)}`, pods: [] }));
    w.pods.push(p);
  }
  return [...byId.values()];
}

function targetsOf(w: ReachWorkload, opts: ReachOptions): ReachTarget[] {
  if (opts.port !== undefined) return [{ workload: w.id, port: opts.port, protocol: opts.protocol ?? 'TCP' }];
  const seen = new Map<string, ReachTarget>();
  for (const p of w.pods) {
    for (const c of p.ports) {
      if (opts.protocol && c.protocol !== opts.protocol) continue;
      const key = `${c.containerPort}/${c.protocol}`;
      if (!seen.has(key))
        seen.set(key, {
          workload: w.id,
          port: c.containerPort,
          protocol: c.protocol,
          ...(c.name ? { portName: c.name } : {}),
        });
    }
  }
  return [...seen.values()];
}

/** The matrix: every source pod against every destination pod, per destination port. */
export function reachMatrix(ctx: PolicyContext, cluster: RealizedCluster, opts: ReachOptions = {}): ReachMatrix {
  const workloads = groupWorkloads(cluster, opts.includeSystem);
  const byId = new Map(workloads.map((w) => [w.id, w]));
  const targets = workloads.flatMap((w) => targetsOf(w, opts));
  const family = opts.family ?? primaryFamily(cluster.cluster);
  const cells = workloads.map((src) =>
    targets.map((t): ReachCell => {
      const dst = byId.get(t.workload)!;
      let pairs = 0;
      let allowedPairs = 0;
      let first: Verdict | undefined;
      let denied: Verdict | undefined;
      // A pod to itself is always allowed ("a pod cannot block access to itself"): judged only when it is the only pair.
      const pairsOf = src.pods.flatMap((a) => dst.pods.filter((b) => b !== a).map((b) => [a, b] as const));
      if (pairsOf.length === 0) pairsOf.push(...src.pods.flatMap((a) => dst.pods.map((b) => [a, b] as const)));
      for (const [a, b] of pairsOf) {
        const v = judge(ctx, podEndpoint(a, family), podEndpoint(b, family), t.port, t.protocol);
        pairs++;
        if (v.allowed) allowedPairs++;
        else denied ??= v;
        first ??= v;
      }
      const state: CellState = allowedPairs === pairs ? 'allowed' : allowedPairs === 0 ? 'denied' : 'partial';
      return { from: src.id, to: t, state, pairs, allowedPairs, verdict: denied ?? first! };
    }),
  );
  return { workloads, targets, cells };
}

const MARK: Record<CellState, string> = { allowed: '✓', denied: '✗', partial: '~' };

export const targetText = (t: ReachTarget, label: string) =>
  `${label}:${t.port}${t.protocol === 'TCP' ? '' : `/${t.protocol}`}`;

/**
 * An aligned table: sources down, destination ports across (✓ allowed, ✗ denied,
 * ~ some pod pairs only), then one line per denied or partial cell saying why.
 */
export function renderReach(m: ReachMatrix, opts: { ascii?: boolean; explain?: boolean } = {}): string {
  if (m.workloads.length === 0) return 'No running pods.';
  if (m.targets.length === 0) return 'No destination declares a container port; give --port N.';
  const label = new Map(m.workloads.map((w) => [w.id, w.label]));
  const mark = (s: CellState) => (opts.ascii ? { allowed: 'yes', denied: 'no', partial: 'some' }[s] : MARK[s]);
  const header = ['FROM \\ TO', ...m.targets.map((t) => targetText(t, label.get(t.workload)!))];
  const rows = m.workloads.map((w, i) => [w.label, ...m.cells[i]!.map((c) => mark(c.state))]);
  const all = [header, ...rows];
  const widths = header.map((_, j) => Math.max(...all.map((r) => r[j]!.length)));
  const lines = all.map((r) =>
    r
      .map((c, j) => (j === r.length - 1 ? c : c.padEnd(widths[j]! + 2)))
      .join('')
      .trimEnd(),
  );
  if (opts.explain !== false) {
    const why = m.cells.flat().filter((c) => c.state !== 'allowed');
    if (why.length) {
      lines.push('', 'Denied:');
      for (const c of why) {
        const some = c.state === 'partial' ? ` (${c.allowedPairs} of ${c.pairs} pod pairs allowed)` : '';
        lines.push(
          `  ${label.get(c.from)} → ${targetText(c.to, label.get(c.to.workload)!)}${some}: ${c.verdict.reason}`,
        );
      }
    }
  }
  return lines.join('\n');
}
