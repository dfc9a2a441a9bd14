// What an edit changed: two realized clusters compared object by object, so
// the explorer can highlight exactly what moved and say it in words.
import { endpointNumbers } from '../store/podQueries';
import { Sink, compare, endpointChange, field, pair, type Change } from './diffSink';
import { podChanges } from './diffPods';
import type { RealizedCluster, RealizedService, Warning } from '../api/types';

export type { Change } from './diffSink';

/** The first changes in words, how many there are in all, and the objects they touch. */
export interface DiffSummary {
  changes: Change[];
  total: number;
  /** Refs of changed objects, each once, in the order first met. */
  refs: string[];
}

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
  const clusterChanges = [
    ...pair('podCIDR', ca.podCIDR, cb.podCIDR, ca.podCIDRs, cb.podCIDRs),
    ...pair('serviceCIDR', ca.serviceCIDR, cb.serviceCIDR, ca.serviceCIDRs, cb.serviceCIDRs),
    ...(
      ['nodeSubnet', 'nodeCIDRMaskSize', 'nodeCIDRMaskSizeIPv6', 'cni', 'kubeProxyMode', 'ipFamily'] as const
    ).flatMap((k) => field(k, ca[k], cb[k])),
  ];
  for (const message of clusterChanges) sink.emit('cluster', 'changed', () => `cluster: ${message}`);
  compare(
    sink,
    before.nodes,
    after.nodes,
    (n) => n.name,
    (a, b) => [
      ...pair('IP', a.ip, b.ip, a.ips, b.ips),
      ...pair('PodCIDR', a.podCIDR, b.podCIDR, a.podCIDRs, b.podCIDRs),
    ],
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
      ...pair('ClusterIP', a.clusterIP, b.clusterIP, a.clusterIPs, b.clusterIPs),
      ...field('ports', ports(a), ports(b)),
      ...(endpointsDiffer(a, b) ? [() => endpointChange(endpoints(a), endpoints(b))] : []),
    ],
    (s) => `svc/${s.namespace}/${s.name}`,
    (s) => `Service ${s.namespace}/${s.name}`,
  );
  return { changes: sink.changes, total: sink.total, refs: [...sink.refs] };
}

/** A warning's identity across two clusters: its code and message. */
export const warningKey = (w: Warning): string => `${w.code} ${w.message}`;

/** Warnings present after an edit that were not there before. */
export function newWarnings(before: RealizedCluster, after: RealizedCluster): Set<string> {
  const old = new Set(before.warnings.map(warningKey));
  return new Set(after.warnings.map(warningKey).filter((k) => !old.has(k)));
}
