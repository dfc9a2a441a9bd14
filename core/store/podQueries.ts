// Questions about a realized cluster answered from realize's columns, without
// listing 150,000 pods: counts, the first few pods, which Services select a
// pod or have endpoints on a node, and a Service's endpoints as numbers. For a
// cluster built by hand (no columns behind it) each falls back to its lists.
import { packOf, podStoreOf, targetPortOn } from './packedCluster';
import type { RealizedCluster, RealizedPod, RealizedService } from '../api/types';

/** How many pods the cluster has, Pending ones included. */
export function podCount(c: RealizedCluster): number {
  return podStoreOf(c)?.count ?? c.pods.length;
}

const nodeIndexes = new WeakMap<RealizedCluster, Map<string, number>>();
function nodeIndex(c: RealizedCluster, name: string): number {
  let m = nodeIndexes.get(c);
  if (!m) nodeIndexes.set(c, (m = new Map(c.nodes.map((n, i) => [n.name, i]))));
  return m.get(name) ?? -1;
}

/** How many pods are bound to a node (its pods' list length, without listing them). */
export function podCountOn(c: RealizedCluster, node: string): number {
  const store = podStoreOf(c);
  const i = nodeIndex(c, node);
  if (store && i >= 0) return store.indexesOnNode(i).length;
  return c.nodes[i]?.pods.length ?? 0;
}

/** The first `limit` pods, in cluster order, that pass `keep`. */
export function firstPods(c: RealizedCluster, limit: number, keep: (p: RealizedPod) => boolean): RealizedPod[] {
  const store = podStoreOf(c);
  const out: RealizedPod[] = [];
  const n = store?.count ?? c.pods.length;
  for (let i = 0; i < n && out.length < limit; i++) {
    const p = store ? store.pod(i) : c.pods[i]!;
    if (keep(p)) out.push(p);
  }
  return out;
}

/** Services with an endpoint on the node: only Services that select a pod group running there are listed out. */
export function servicesWithEndpointsOn(c: RealizedCluster, node: string): RealizedService[] {
  const pack = packOf(c);
  const i = nodeIndex(c, node);
  const onNode = (s: RealizedService) => s.endpoints.some((e) => e.node === node);
  if (!pack || i < 0) return c.services.filter(onNode);
  const { store, packed } = pack;
  const groupsHere = new Set<number>();
  for (const p of store.indexesOnNode(i)) if (store.isRunning(p)) groupsHere.add(packed.pods.groupOf[p]!);
  return c.services.filter((s, k) => {
    const ps = packed.services[k]!;
    if (ps.groups && !ps.groups.some((g) => groupsHere.has(g))) return false;
    return onNode(s);
  });
}

/** Services that have the pod as an endpoint: only Services selecting the pod's group are listed out. */
export function servicesOfPod(c: RealizedCluster, pod: RealizedPod): RealizedService[] {
  const pack = packOf(c);
  const isEndpoint = (s: RealizedService) =>
    s.endpoints.some((e) => e.namespace === pod.namespace && e.pod === pod.name);
  const at = pack ? pack.store.indexOfName(pod.namespace, pod.name) : -1;
  if (!pack || at < 0) return c.services.filter(isEndpoint);
  const group = pack.packed.pods.groupOf[at]!;
  return c.services.filter((s, k) => {
    const ps = pack.packed.services[k]!;
    if (ps.groups && !ps.groups.includes(group)) return false;
    return isEndpoint(s);
  });
}

/** Pods on the pod network (hostNetwork ones use the node's address): how many, how many have an IP, the most on one node. */
export interface PodTally {
  wanted: number;
  withIp: number;
  mostOnANode: number;
}

export function podTally(c: RealizedCluster): PodTally {
  const store = podStoreOf(c);
  if (!store) {
    const own = c.pods.filter((p) => !p.hostNetwork);
    const perNode = c.nodes.map((n) => n.pods.filter((p) => !p.hostNetwork).length);
    return {
      wanted: own.length,
      withIp: own.filter((p) => p.ip !== null).length,
      mostOnANode: Math.max(0, ...perNode),
    };
  }
  const { groupOf, groups, nodeOf, reasonOf } = store.packed;
  const perNode = new Int32Array(c.nodes.length);
  let wanted = 0;
  let withIp = 0;
  for (let i = 0; i < groupOf.length; i++) {
    if (groups[groupOf[i]!]!.spec.hostNetwork) continue;
    wanted++;
    if (reasonOf[i] === -1) withIp++;
    if (nodeOf[i]! >= 0) perNode[nodeOf[i]!]!++;
  }
  return { wanted, withIp, mostOnANode: perNode.reduce((a, b) => Math.max(a, b), 0) };
}

/**
 * A Service's endpoints as numbers, per service port: each (IP, port) as
 * ip * 65536 + port, sorted. Two Services have the same endpoints exactly
 * when these agree; no endpoint objects are made. Undefined for a cluster
 * built by hand or a Service whose endpoints are given outright.
 */
export function endpointNumbers(c: RealizedCluster, serviceIndex: number): Float64Array[] | undefined {
  const pack = packOf(c);
  const ps = pack?.packed.services[serviceIndex];
  if (!pack || !ps?.groups) return undefined;
  const { groups, ipOf, reasonOf, nodeOf, v6only } = pack.packed.pods;
  // IPv6 single-stack: ipOf is an offset in the pod's node's range, so the node's index comes with it.
  const address = v6only ? (i: number) => nodeOf[i]! * 2 ** 20 + ipOf[i]! : (i: number) => ipOf[i]!;
  return ps.service.ports.map((port) => {
    const out: number[] = [];
    for (const gi of ps.groups!) {
      const g = groups[gi]!;
      const target = targetPortOn(port, g.spec.ports);
      if (target === undefined) continue;
      for (let i = g.first; i < g.first + g.size; i++) if (reasonOf[i] === -1) out.push(address(i) * 65536 + target);
    }
    return Float64Array.from(out).sort();
  });
}
