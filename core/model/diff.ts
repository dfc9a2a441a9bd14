// What an edit changed: two realized clusters compared object by object, so
// the explorer can highlight exactly what moved and say it in words.
import type { RealizedCluster } from './types';

export interface Change {
  /** "node/NAME", "pod/NS/NAME", "svc/NS/NAME" or "cluster". */
  ref: string;
  kind: 'added' | 'removed' | 'changed';
  message: string;
}

function compare<T>(before: T[], after: T[], key: (x: T) => string, describe: (a: T, b: T) => string[], ref: (x: T) => string, label: (x: T) => string): Change[] {
  const out: Change[] = [];
  const old = new Map(before.map((x) => [key(x), x]));
  const seen = new Set<string>();
  for (const b of after) {
    const k = key(b);
    seen.add(k);
    const a = old.get(k);
    if (!a) out.push({ ref: ref(b), kind: 'added', message: `${label(b)} added` });
    else for (const d of describe(a, b)) out.push({ ref: ref(b), kind: 'changed', message: `${label(b)}: ${d}` });
  }
  for (const a of before) if (!seen.has(key(a))) out.push({ ref: ref(a), kind: 'removed', message: `${label(a)} removed` });
  return out;
}

const field = (name: string, a: unknown, b: unknown): string[] => (a === b ? [] : [`${name} ${a ?? 'none'} → ${b ?? 'none'}`]);

export function diffClusters(before: RealizedCluster, after: RealizedCluster): Change[] {
  const ca = before.cluster;
  const cb = after.cluster;
  const cluster: Change[] = (['podCIDR', 'serviceCIDR', 'nodeSubnet', 'nodeCIDRMaskSize', 'cni', 'kubeProxyMode'] as const)
    .flatMap((k) => field(k, ca[k], cb[k]).map((message) => ({ ref: 'cluster', kind: 'changed' as const, message: `cluster: ${message}` })));
  const nodes = compare(before.nodes, after.nodes, (n) => n.name,
    (a, b) => [...field('IP', a.ip, b.ip), ...field('PodCIDR', a.podCIDR, b.podCIDR)],
    (n) => `node/${n.name}`, (n) => `node ${n.name}`);
  const pods = compare(before.pods, after.pods, (p) => `${p.namespace}/${p.name}`,
    (a, b) => [...field('IP', a.ip, b.ip), ...field('node', a.node, b.node), ...field('phase', a.phase, b.phase)],
    (p) => `pod/${p.namespace}/${p.name}`, (p) => `pod ${p.namespace}/${p.name}`);
  const services = compare(before.services, after.services, (s) => `${s.namespace}/${s.name}`,
    (a, b) => [
      ...field('type', a.type, b.type),
      ...field('ClusterIP', a.clusterIP, b.clusterIP),
      ...field('ports', a.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(','), b.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',')),
      ...field('endpoints', a.endpoints.map((e) => `${e.ip}:${e.port}`).join(','), b.endpoints.map((e) => `${e.ip}:${e.port}`).join(',')),
    ],
    (s) => `svc/${s.namespace}/${s.name}`, (s) => `Service ${s.namespace}/${s.name}`);
  return [...cluster, ...nodes, ...pods, ...services];
}

/** Warnings present after an edit that were not there before. */
export function newWarnings(before: RealizedCluster, after: RealizedCluster): Set<string> {
  const old = new Set(before.warnings.map((w) => `${w.code} ${w.message}`));
  return new Set(after.warnings.map((w) => `${w.code} ${w.message}`).filter((k) => !old.has(k)));
}
