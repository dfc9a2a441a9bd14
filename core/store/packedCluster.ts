// A realized cluster as plain data (PackedCluster) and as the RealizedCluster
// everyone reads. The RealizedCluster's pod lists and a Service's endpoints
// are made on first read from the packed columns, so realize, a worker's
// reply and the page all handle 150,000 pods without 150,000 objects.
import { PodStore, type PackedPods } from './podStore';
import { byEndpointString } from './endpointOrder';
import { nodePodCidr } from '../api/familyFields';
import type { NetworkPolicy } from '../api/networkPolicy';
import type {
  NamespaceDecl,
  NotModelledDecl,
  RealizedCluster,
  RealizedClusterInfo,
  RealizedEndpoint,
  RealizedNode,
  RealizedPod,
  RealizedService,
  RealizedServicePort,
  Warning,
} from '../api/types';

export type PackedNode = Omit<RealizedNode, 'pods'>;

export interface PackedService {
  service: Omit<RealizedService, 'endpoints'>;
  /** Endpoints given outright (the kubernetes Service: the API servers; EndpointSlices given by hand). */
  fixed?: RealizedEndpoint[];
  /** The pod groups its selector matches; their Running pods are endpoints too. */
  groups?: number[];
  /** Dual-stack, with both ipFamilies: the groups' pods are endpoints of the second family too (secondaryEndpoints). */
  dual?: boolean;
  /** ipFamilies [IPv6, IPv4]: endpoints lists the IPv6 EndpointSlice's, secondaryEndpoints the IPv4 one's. */
  ipv6First?: boolean;
  /** ipFamilies [IPv6] (any IPv6 single-stack cluster's Service): its one EndpointSlice is IPv6, in both lists. */
  ipv6Only?: boolean;
}

export interface PackedCluster {
  info: RealizedClusterInfo;
  policies: NetworkPolicy[];
  namespaces: NamespaceDecl[];
  nodes: PackedNode[];
  services: PackedService[];
  pods: PackedPods;
  warnings: Warning[];
  /** The scenario's objects accepted but not modelled. */
  notModelled: NotModelledDecl[];
}

const packs = new WeakMap<RealizedCluster, { packed: PackedCluster; store: PodStore }>();

/** The packed data and the pod columns behind a realized cluster; undefined for one built by hand. */
export function packOf(c: RealizedCluster): { packed: PackedCluster; store: PodStore } | undefined {
  return packs.get(c);
}

/** The plain data behind a realized cluster (what a worker posts); undefined for one built by hand. */
export function packedOf(c: RealizedCluster): PackedCluster | undefined {
  return packs.get(c)?.packed;
}

/** The columns behind a realized cluster's pods; undefined for one built by hand. */
export function podStoreOf(c: RealizedCluster): PodStore | undefined {
  return packs.get(c)?.store;
}

/** The container port a service port reaches on pods of this spec; undefined for a named port they lack. */
export function targetPortOn(
  port: RealizedServicePort,
  ports: { name?: string; containerPort: number; protocol: string }[],
): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  return ports.find((p) => p.name === port.targetPort && p.protocol === port.protocol)?.containerPort;
}

/**
 * Endpoints per service port, each list sorted by "ip:port" as kube-proxy's EndpointSliceCache does:
 * the Running pods of the selected groups, and `given` ones (EndpointSlices given by hand) for the same port.
 */
function endpointsOf(
  s: Omit<RealizedService, 'endpoints'>,
  groups: number[],
  store: PodStore,
  given: RealizedEndpoint[] = [],
  family6 = false,
): RealizedEndpoint[] {
  const out: RealizedEndpoint[] = [];
  for (const port of s.ports) {
    const list: RealizedEndpoint[] = [];
    for (const gi of groups) {
      const g = store.packed.groups[gi]!;
      const target = targetPortOn(port, g.spec.ports);
      if (target === undefined || g.running === 0) continue;
      // The EndpointSlice controller sets a pod's hostname when its subdomain names this Service (ShouldSetHostname).
      const named = g.kind === 'StatefulSet' && g.subdomain === s.name;
      for (let i = g.first; i < g.first + g.size; i++) {
        if (!store.isRunning(i)) continue;
        const pod = store.pod(i);
        const ip = family6 ? store.ip6(i) : store.ip4(i);
        if (ip === null) continue; // a pod on a node without an IPv6 range has no IPv6 address
        const e: RealizedEndpoint = {
          ip,
          port: target,
          portName: port.name,
          protocol: port.protocol,
          node: pod.node!,
          pod: pod.name,
          namespace: s.namespace,
        };
        if (named) e.hostname = pod.name;
        if (family6) e.family = 'IPv6';
        list.push(e);
      }
    }
    for (const e of given)
      if ((e.family === 'IPv6') === family6 && e.portName === port.name && e.protocol === port.protocol) list.push(e);
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
  const settle = (o: T, value: T[K]) =>
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
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
  declare ipFamilyPolicy?: RealizedService['ipFamilyPolicy'];
  declare ipFamilies?: RealizedService['ipFamilies'];
  declare clusterIPs?: string[];
  declare secondaryEndpoints?: RealizedEndpoint[];
  readonly #groups: number[];
  readonly #given: RealizedEndpoint[] | undefined;
  readonly #store: PodStore;

  static readonly endpoints = lazyProperty<LazyService, 'endpoints'>('endpoints', (s) =>
    endpointsOf(s, s.#groups, s.#store, s.#given),
  );
  static readonly secondaryEndpoints = lazyProperty<LazyService, 'secondaryEndpoints'>('secondaryEndpoints', (s) =>
    endpointsOf(s, s.#groups, s.#store, [], true),
  );
  /** ipFamilies [IPv6, IPv4]: its second EndpointSlice is the IPv4 one. */
  static readonly secondaryEndpoints4 = lazyProperty<LazyService, 'secondaryEndpoints'>('secondaryEndpoints', (s) =>
    endpointsOf(s, s.#groups, s.#store, s.#given),
  );
  /** An IPv6 single-stack cluster: the pods' IPv6 addresses are the one EndpointSlice, in both lists. */
  static readonly endpoints6 = lazyProperty<LazyService, 'endpoints'>('endpoints', (s) =>
    endpointsOf(s, s.#groups, s.#store, s.#given, true),
  );
  static readonly sameEndpoints = lazyProperty<LazyService, 'secondaryEndpoints'>(
    'secondaryEndpoints',
    (s) => s.endpoints,
  );

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
    this.#given = p.fixed;
    this.#store = store;
    const v6only = store.packed.v6only || p.ipv6Only;
    const first6 = v6only || p.ipv6First;
    if (p.groups) Object.defineProperty(this, 'endpoints', first6 ? LazyService.endpoints6 : LazyService.endpoints);
    else this.endpoints = p.fixed ?? [];
    this.externalTrafficPolicy = s.externalTrafficPolicy;
    this.internalTrafficPolicy = s.internalTrafficPolicy;
    this.sessionAffinity = s.sessionAffinity;
    this.sessionAffinityTimeout = s.sessionAffinityTimeout;
    if (s.ipFamilies) {
      this.ipFamilyPolicy = s.ipFamilyPolicy;
      this.ipFamilies = s.ipFamilies;
      this.clusterIPs = s.clusterIPs;
    }
    if (v6only && !s.headless) Object.defineProperty(this, 'secondaryEndpoints', LazyService.sameEndpoints);
    else if (p.dual)
      Object.defineProperty(
        this,
        'secondaryEndpoints',
        p.ipv6First ? LazyService.secondaryEndpoints4 : LazyService.secondaryEndpoints,
      );
  }
}

class LazyNode implements RealizedNode {
  declare name: string;
  declare role: RealizedNode['role'];
  declare ip: string;
  declare podCIDR: string | null;
  declare gateway: string | null;
  declare podCIDRs?: string[];
  declare gateways?: string[];
  declare ips?: string[];
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
    // Dual-stack only: both families, primary first.
    if (n.podCIDRs) this.podCIDRs = n.podCIDRs;
    if (n.gateways) this.gateways = n.gateways;
    if (n.ips) this.ips = n.ips;
    this.labels = n.labels;
    this.taints = n.taints;
    this.maxPods = n.maxPods;
    this.#index = index;
    this.#store = store;
    Object.defineProperty(this, 'pods', LazyNode.pods);
  }
}

/** The RealizedCluster over packed data: realize's result, or a worker's reply on the page. */
export function clusterFromPacked(
  packed: PackedCluster,
  store = new PodStore(
    packed.pods,
    packed.nodes.map((n) => n.name),
    packed.nodes.map((n) => nodePodCidr(n, 'IPv4') ?? null),
  ),
): RealizedCluster {
  const c = {
    cluster: packed.info,
    policies: packed.policies,
    namespaces: packed.namespaces,
    nodes: packed.nodes.map((n, i) => new LazyNode(n, i, store)),
  } as unknown as RealizedCluster;
  Object.defineProperty(
    c,
    'pods',
    lazyProperty<RealizedCluster, 'pods'>('pods', () => store.all()),
  );
  c.services = packed.services.map((s) => new LazyService(s, store));
  c.warnings = packed.warnings;
  c.notModelled = packed.notModelled;
  packs.set(c, { packed, store });
  return c;
}
