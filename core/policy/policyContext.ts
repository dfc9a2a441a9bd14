// The parties to a connection as NetworkPolicy sees them (a pod with its labels, or a bare
// address), and the policies indexed once so that many connections can be judged cheaply.
import { podIp } from '../api/familyFields';
import type { ContainerPort, LabelSelector, Labels, NamespaceDecl, RealizedPod } from '../api/types';
import type { NetworkPolicy } from '../api/networkPolicy';
import type { IpAddr } from '../ip/anyIp';
import type { IpFamily } from '../api/types';

export interface PodEndpoint {
  kind: 'pod';
  namespace: string;
  name: string;
  labels: Labels;
  ip: string | null;
  node: string | null;
  /** Container ports, for resolving named ports when this pod is the destination. */
  ports: ContainerPort[];
}

/** A bare address: a node (then `node` names it), a hostNetwork pod (its node's IP) or something outside the cluster. */
export interface IpEndpoint {
  kind: 'ip';
  ip: string;
  node?: string;
}

export type Endpoint = PodEndpoint | IpEndpoint;

/** A pod's address in one family: status.podIPs' entry of that family (null when it has none). */
export const podAddress = (p: RealizedPod, family: IpFamily): string | null => podIp(p, family) ?? null;

/**
 * A realized pod as an endpoint of a connection in `family` (its address is that family's: an IPv6
 * ipBlock sees a pod's IPv6 address). A hostNetwork pod shares its node's network
 * namespace, so policies neither apply to it nor select it: it is its node's IP
 * (upstream leaves hostNetwork pods undefined; this is what iptables/eBPF CNIs see).
 */
export function podEndpoint(p: RealizedPod, family: IpFamily = 'IPv4'): Endpoint {
  const ip = podAddress(p, family);
  if (p.hostNetwork) return { kind: 'ip', ip: ip ?? '', ...(p.node ? { node: p.node } : {}) };
  return {
    kind: 'pod',
    namespace: p.namespace,
    name: p.name,
    labels: p.labels,
    ip,
    node: p.node,
    ports: p.ports,
  };
}

export const ipEndpoint = (ip: string, node?: string): IpEndpoint => ({ kind: 'ip', ip, ...(node ? { node } : {}) });

/** Policies indexed by namespace, namespace labels, and memo tables: build once, judge many connections. */
export interface PolicyContext {
  readonly policies: readonly NetworkPolicy[];
  readonly byNamespace: ReadonlyMap<string, readonly NetworkPolicy[]>;
  readonly namespaceLabels: (namespace: string) => Labels;
  /** (pod labels object) -> namespace -> isolating policies per direction. */
  readonly selectCache: WeakMap<Labels, Map<string, { Ingress: Isolation; Egress: Isolation }>>;
  /** (namespaceSelector object) -> namespace -> matches? */
  readonly nsCache: WeakMap<LabelSelector, Map<string, boolean>>;
  readonly ipCache: Map<string, IpAddr | null>;
}

/** Every namespace carries kubernetes.io/metadata.name (NamespaceDefaultLabelName); undeclared ones have only that label. */
export function policyContext(
  policies: readonly NetworkPolicy[],
  namespaces: readonly NamespaceDecl[] = [],
): PolicyContext {
  const byNamespace = new Map<string, NetworkPolicy[]>();
  for (const p of policies) {
    const list = byNamespace.get(p.namespace);
    if (list) list.push(p);
    else byNamespace.set(p.namespace, [p]);
  }
  const declared = new Map(namespaces.map((n) => [n.name, { ...n.labels, 'kubernetes.io/metadata.name': n.name }]));
  return {
    policies,
    byNamespace,
    namespaceLabels: (ns) => declared.get(ns) ?? { 'kubernetes.io/metadata.name': ns },
    selectCache: new WeakMap(),
    nsCache: new WeakMap(),
    ipCache: new Map(),
  };
}

export interface Isolation {
  policies: NetworkPolicy[];
  ids: string[];
}
