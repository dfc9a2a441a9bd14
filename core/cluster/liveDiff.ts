// What an edit did to a live cluster, as lists: nodes that joined or left with their PodCIDRs, pods
// created, deleted or replaced (with node and IP), and the endpoints each Service gained and lost.
import { stepsBack } from './liveState';
import { undoneRollout } from './rolloutReport';
import type { RealizedCluster, RealizedPod, RealizedService } from '../api/types';

export interface NodeRef {
  name: string;
  ip: string;
  podCIDR: string | null;
  /** Dual-stack: spec.podCIDRs, both families, primary first. */
  podCIDRs?: string[];
}

export interface PodRef {
  namespace: string;
  name: string;
  node: string | null;
  ip: string | null;
  /** Dual-stack: status.podIPs, both families, primary first. */
  ips?: string[];
}

/** An old pod gone and the new one its controller made in its place. */
export interface Replacement {
  old: PodRef;
  new: PodRef;
  why: string;
}

export interface EndpointChange {
  service: string;
  gained: string[];
  lost: string[];
}

export interface ClusterChanges {
  nodes: { added: NodeRef[]; removed: NodeRef[] };
  pods: { added: PodRef[]; removed: PodRef[]; replaced: Replacement[] };
  services: { added: string[]; removed: string[]; clusterIPChanged: { service: string; from: string; to: string }[] };
  endpoints: EndpointChange[];
}

const nodeRef = (n: { name: string; ip: string; podCIDR: string | null; podCIDRs?: string[] }): NodeRef => ({
  name: n.name,
  ip: n.ip,
  podCIDR: n.podCIDR,
  ...(n.podCIDRs ? { podCIDRs: n.podCIDRs } : {}),
});
const podRef = (p: RealizedPod): PodRef => ({
  namespace: p.namespace,
  name: p.name,
  node: p.node,
  ip: p.ip,
  ...(p.ips ? { ips: p.ips } : {}),
});
const sameIps = (a: RealizedPod, b: RealizedPod) => a.ip === b.ip && (a.ips ?? []).join() === (b.ips ?? []).join();
const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

/** The ReplicaSet (name prefix) a Deployment's pod belongs to; undefined for other pods. */
function replicaSetOf(p: RealizedPod): string | undefined {
  if (!p.owner?.startsWith('Deployment/')) return undefined;
  return p.name.slice(0, p.name.lastIndexOf('-'));
}

export function clusterChanges(before: RealizedCluster, after: RealizedCluster): ClusterChanges {
  const oldNodes = new Map(before.nodes.map((n) => [n.name, n]));
  const newNodes = new Map(after.nodes.map((n) => [n.name, n]));
  const nodes = {
    added: after.nodes.filter((n) => !oldNodes.has(n.name)).map(nodeRef),
    removed: before.nodes.filter((n) => !newNodes.has(n.name)).map(nodeRef),
  };
  return { nodes, pods: podChanges(before, after), ...serviceChanges(before, after) };
}

function podChanges(before: RealizedCluster, after: RealizedCluster): ClusterChanges['pods'] {
  const oldPods = new Map(before.pods.map((p) => [podKey(p), p]));
  const newPods = new Map(after.pods.map((p) => [podKey(p), p]));
  const replaced: Replacement[] = [];
  // A pod never changes its IP or node in place: the same name elsewhere is a new pod (a StatefulSet's).
  const gone: RealizedPod[] = [];
  const made: RealizedPod[] = [];
  for (const p of before.pods) {
    const q = newPods.get(podKey(p));
    if (!q) gone.push(p);
    else if (!sameIps(p, q) || q.node !== p.node) {
      const why =
        q.node === null
          ? 'recreated by its controller; the new pod is Pending'
          : before.nodes.some((n) => n.name === p.node) && !after.nodes.some((n) => n.name === p.node)
            ? `its node ${p.node} was removed; recreated under the same name`
            : 'recreated under the same name (a rolling update deletes and recreates each pod)';
      replaced.push({ old: podRef(p), new: podRef(q), why });
    }
  }
  for (const q of after.pods) if (!oldPods.has(podKey(q))) made.push(q);
  // Pods of one owner that went while others came: the controller replaced them (same node first).
  const byOwner = new Map<string, RealizedPod[]>();
  for (const q of made) if (q.owner) byOwner.set(q.owner, [...(byOwner.get(q.owner) ?? []), q]);
  const paired = new Set<RealizedPod>();
  const back = stepsBack(before, after);
  const removed: PodRef[] = [];
  for (const p of gone) {
    const candidates = (p.owner ? byOwner.get(p.owner) : undefined)?.filter((q) => !paired.has(q)) ?? [];
    const q = candidates.find((c) => c.node === p.node) ?? candidates[0];
    if (!q) {
      removed.push(podRef(p));
      continue;
    }
    paired.add(q);
    const rsOld = replicaSetOf(p);
    const rsNew = replicaSetOf(q);
    const why =
      rsOld !== rsNew
        ? back
          ? undoneRollout(rsOld!, rsNew!)
          : `rolling update: ReplicaSet ${rsNew} replaces ${rsOld}; the old pod terminates`
        : p.node !== null && !after.nodes.some((n) => n.name === p.node)
          ? `its node ${p.node} was removed; ${p.owner} made a new pod`
          : `${p.owner} replaced it (its template changed)`;
    replaced.push({ old: podRef(p), new: podRef(q), why });
  }
  return { added: made.filter((q) => !paired.has(q)).map(podRef), removed, replaced };
}

// Both EndpointSlices of a dual-stack Service; an IPv6 address in brackets before its port.
const endpointText = (s: RealizedService) =>
  [...s.endpoints, ...(s.secondaryEndpoints ?? [])].map(
    (e) => `${e.ip.includes(':') ? `[${e.ip}]` : e.ip}:${e.port}/${e.protocol}`,
  );

function serviceChanges(before: RealizedCluster, after: RealizedCluster) {
  const key = (s: RealizedService) => podKey(s);
  const oldSvc = new Map(before.services.map((s) => [key(s), s]));
  const newSvc = new Map(after.services.map((s) => [key(s), s]));
  const services: ClusterChanges['services'] = {
    added: after.services.filter((s) => !oldSvc.has(key(s))).map(key),
    removed: before.services.filter((s) => !newSvc.has(key(s))).map(key),
    clusterIPChanged: [],
  };
  const endpoints: EndpointChange[] = [];
  for (const s of after.services) {
    const o = oldSvc.get(key(s));
    if (o && o.clusterIP !== s.clusterIP)
      services.clusterIPChanged.push({ service: key(s), from: o.clusterIP ?? 'None', to: s.clusterIP ?? 'None' });
    const was = new Set(o ? endpointText(o) : []);
    const now = new Set(endpointText(s));
    const gained = [...now].filter((e) => !was.has(e));
    const lost = [...was].filter((e) => !now.has(e));
    if (gained.length > 0 || lost.length > 0) endpoints.push({ service: key(s), gained, lost });
  }
  for (const o of before.services) {
    if (newSvc.has(key(o)) || o.endpoints.length === 0) continue;
    endpoints.push({ service: key(o), gained: [], lost: endpointText(o) });
  }
  return { services, endpoints };
}
