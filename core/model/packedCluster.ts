// A realized cluster as plain data (PackedCluster) and as the RealizedCluster
// everyone reads. The RealizedCluster's pod lists and a Service's endpoints
// are made on first read from the packed columns, so realize, a worker's
// reply and the page all handle 150,000 pods without 150,000 objects.
import { PodStore, type PackedPods, type PodGroup } from './podStore';
import { byEndpointString } from './endpointOrder';
import type { NetworkPolicy } from '../policy/types';
import type {
  NamespaceDecl, RealizedCluster, RealizedClusterInfo, RealizedEndpoint, RealizedNode, RealizedPod,
  RealizedService, RealizedServicePort, Warning,
} from './types';

export type PackedNode = Omit<RealizedNode, 'pods'>;

export interface PackedService {
  service: Omit<RealizedService, 'endpoints'>;
  /** Endpoints given outright (the kubernetes Service: the API servers). */
  fixed?: RealizedEndpoint[];
  /** Otherwise: the pod groups its selector matches; their Running pods are the endpoints. */
  groups?: number[];
}

export interface PackedCluster {
  info: RealizedClusterInfo;
  policies: NetworkPolicy[];
  namespaces: NamespaceDecl[];
  nodes: PackedNode[];
  services: PackedService[];
  pods: PackedPods;
  warnings: Warning[];
}

const packs = new WeakMap<RealizedCluster, { packed: PackedCluster; store: PodStore }>();

/** The plain data behind a realized cluster (what a worker posts); undefined for one built by hand. */
export function packedOf(c: RealizedCluster): PackedCluster | undefined {
  return packs.get(c)?.packed;
}

/** The columns behind a realized cluster's pods; undefined for one built by hand. */
export function podStoreOf(c: RealizedCluster): PodStore | undefined {
  return packs.get(c)?.store;
}

/** The container port a service port reaches on pods of this spec; undefined for a named port they lack. */
export function targetPortOn(port: RealizedServicePort, ports: { name?: string; containerPort: number; protocol: string }[]): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  return ports.find((p) => p.name === port.targetPort && p.protocol === port.protocol)?.containerPort;
}

/** Endpoints per service port, each list sorted by "ip:port" as kube-proxy's EndpointSliceCache does. */
function endpointsOf(s: Omit<RealizedService, 'endpoints'>, groups: number[], store: PodStore): RealizedEndpoint[] {
  const out: RealizedEndpoint[] = [];
  for (const port of s.ports) {
    const list: RealizedEndpoint[] = [];
    for (const gi of groups) {
      const g = store.packed.groups[gi]!;
      const target = targetPortOn(port, g.spec.ports);
      if (target === undefined || g.running === 0) continue;
      for (let i = g.first; i < g.first + g.size; i++) {
        if (!store.isRunning(i)) continue;
        const pod = store.pod(i);
        list.push({ ip: pod.ip!, port: target, portName: port.name, protocol: port.protocol, node: pod.node!, pod: pod.name, namespace: s.namespace });
      }
    }
    for (const e of list.sort(byEndpointString)) out.push(e);
  }
  return out;
}

/**
 * An own, enumerable property computed on first read, then kept as plain data:
 * JSON, spreads and deep equality see it like any other field. One shared
 * descriptor per property keeps the objects' shapes shared (an object literal
 * with a getter costs a closure and a dictionary-mode object each).
 */
function lazyProperty<T extends object, K extends keyof T>(key: K, compute: (o: T) => T[K]): PropertyDescriptor {
  const settle = (o: T, value: T[K]) => Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  return {
    get(this: T) {
      const value = compute(this);
      settle(this, value);
      return value;
    },
    set(this: T, value: T[K]) {
      settle(this, value);
    },
    enumerable: true,
    configurable: true,
  };
}

class LazyService implements RealizedService {
  declare namespace: string;
  declare name: string;
  declare type: RealizedService['type'];
  declare clusterIP: string | null;
  declare headless: boolean;
  declare selector?: RealizedService['selector'];
  declare ports: RealizedServicePort[];
  declare endpoints: RealizedEndpoint[];
  declare externalTrafficPolicy: RealizedService['externalTrafficPolicy'];
  declare internalTrafficPolicy: RealizedService['internalTrafficPolicy'];
  declare sessionAffinity: RealizedService['sessionAffinity'];
  declare sessionAffinityTimeout: number | null;
  readonly #groups: number[];
  readonly #store: PodStore;

  static readonly endpoints = lazyProperty<LazyService, 'endpoints'>('endpoints', (s) => endpointsOf(s, s.#groups, s.#store));

  constructor(p: PackedService, store: PodStore) {
    const s = p.service;
    // Fields in RealizedService's order, as JSON prints them.
    this.namespace = s.namespace;
    this.name = s.name;
    this.type = s.type;
    this.clusterIP = s.clusterIP;
    this.headless = s.headless;
    if (s.selector) this.selector = s.selector;
    this.ports = s.ports;
    this.#groups = p.groups ?? [];
    this.#store = store;
    if (p.groups) Object.defineProperty(this, 'endpoints', LazyService.endpoints);
    else this.endpoints = p.fixed ?? [];
    this.externalTrafficPolicy = s.externalTrafficPolicy;
    this.internalTrafficPolicy = s.internalTrafficPolicy;
    this.sessionAffinity = s.sessionAffinity;
    this.sessionAffinityTimeout = s.sessionAffinityTimeout;
  }
}

class LazyNode implements RealizedNode {
  declare name: string;
  declare role: RealizedNode['role'];
  declare ip: string;
  declare podCIDR: string | null;
  declare gateway: string | null;
  declare labels: RealizedNode['labels'];
  declare taints: RealizedNode['taints'];
  declare maxPods: number;
  declare pods: RealizedPod[];
  readonly #index: number;
  readonly #store: PodStore;

  static readonly pods = lazyProperty<LazyNode, 'pods'>('pods', (n) => n.#store.podsOnNode(n.#index));

  constructor(n: PackedNode, index: number, store: PodStore) {
    this.name = n.name;
    this.role = n.role;
    this.ip = n.ip;
    this.podCIDR = n.podCIDR;
    this.gateway = n.gateway;
    this.labels = n.labels;
    this.taints = n.taints;
    this.maxPods = n.maxPods;
    this.#index = index;
    this.#store = store;
    Object.defineProperty(this, 'pods', LazyNode.pods);
  }
}

/** The RealizedCluster over packed data: realize's result, or a worker's reply on the page. */
export function clusterFromPacked(packed: PackedCluster, store = new PodStore(packed.pods, packed.nodes.map((n) => n.name), packed.nodes.map((n) => n.podCIDR))): RealizedCluster {
  const c = {
    cluster: packed.info,
    policies: packed.policies,
    namespaces: packed.namespaces,
    nodes: packed.nodes.map((n, i) => new LazyNode(n, i, store)),
  } as unknown as RealizedCluster;
  Object.defineProperty(c, 'pods', lazyProperty<RealizedCluster, 'pods'>('pods', () => store.all()));
  c.services = packed.services.map((s) => new LazyService(s, store));
  c.warnings = packed.warnings;
  packs.set(c, { packed, store });
  return c;
}

// ---------------------------------------------------------------- queries that need no pod objects
// For a cluster built by hand (no columns behind it) each falls back to its lists.

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
  const pack = packs.get(c);
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
  const pack = packs.get(c);
  const isEndpoint = (s: RealizedService) => s.endpoints.some((e) => e.namespace === pod.namespace && e.pod === pod.name);
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
    return { wanted: own.length, withIp: own.filter((p) => p.ip !== null).length, mostOnANode: Math.max(0, ...perNode) };
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
  const pack = packs.get(c);
  const ps = pack?.packed.services[serviceIndex];
  if (!pack || !ps?.groups) return undefined;
  const { groups, ipOf, reasonOf } = pack.packed.pods;
  return ps.service.ports.map((port) => {
    const out: number[] = [];
    for (const gi of ps.groups!) {
      const g = groups[gi]!;
      const target = targetPortOn(port, g.spec.ports);
      if (target === undefined) continue;
      for (let i = g.first; i < g.first + g.size; i++) if (reasonOf[i] === -1) out.push(ipOf[i]! * 65536 + target);
    }
    return Float64Array.from(out).sort();
  });
}

// ---------------------------------------------------------------- between a worker and the page

/**
 * A packed cluster as a worker posts it: the columns as typed arrays, the
 * rest as JSON texts. The browser copies typed arrays almost for free, and
 * JSON.parse builds the objects several times faster than structured cloning
 * them (50 ms against 180 ms at 10,000 Services). The Services come in
 * chunks, so the page can parse each in its own short task.
 */
export interface WirePacked {
  /** parts[0]: the rest, with how many chunks follow; then the nodes, the pod groups and the Services, in chunks. */
  parts: string[];
  columns: Omit<PackedPods, 'groups' | 'reasons'>;
}

/** Records per JSON chunk: each parses in well under 50 ms on a slow machine. */
const WIRE_CHUNK = 2500;

interface WireHead extends Omit<PackedCluster, 'pods' | 'nodes' | 'services'> {
  reasons: string[];
  chunks: { nodes: number; groups: number; services: number };
}

export function toWire(p: PackedCluster, chunk = WIRE_CHUNK): WirePacked {
  const { groups, reasons, ...columns } = p.pods;
  const chunked = <T>(xs: T[]) => {
    const out: string[] = [];
    for (let i = 0; i < xs.length; i += chunk) out.push(JSON.stringify(xs.slice(i, i + chunk)));
    return out;
  };
  const nodes = chunked(p.nodes);
  const groupParts = chunked(groups);
  const services = chunked(p.services);
  const { nodes: _n, services: _s, pods: _p, ...rest } = p;
  const head: WireHead = { ...rest, reasons, chunks: { nodes: nodes.length, groups: groupParts.length, services: services.length } };
  return { parts: [JSON.stringify(head), ...nodes, ...groupParts, ...services], columns };
}

/** The packed cluster again, from the wire's parts once each has been through JSON.parse. */
export function fromWire(parsed: unknown[], columns: WirePacked['columns']): PackedCluster {
  const { chunks, reasons, ...rest } = parsed[0] as WireHead;
  let at = 1;
  const take = <T>(n: number): T[] => (parsed.slice(at, (at += n)) as T[][]).flat();
  const nodes = take<PackedNode>(chunks.nodes);
  const groups = take<PodGroup>(chunks.groups);
  const services = take<PackedService>(chunks.services);
  return { ...rest, nodes, services, pods: { groups, reasons, ...columns } };
}
