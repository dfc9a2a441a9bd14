// Does a NetworkPolicy set allow a connection? The semantics of the
// kubernetes.io "Network Policies" page and the API's field comments
// (staging/src/k8s.io/api/networking/v1/types.go):
//  - a pod is isolated for ingress (egress) iff some policy in its namespace
//    selects it and lists Ingress (Egress) in policyTypes; a direction that is
//    not isolated allows everything;
//  - policies are additive: the allowed set is the union of every rule of every
//    policy selecting the pod; there is no deny rule;
//  - a connection needs the source's egress AND the destination's ingress.
// This judges the connection's first packet. Replies of an allowed connection
// are always let through (policies are enforced statefully, via conntrack);
// the caller must not judge the reply as a new connection.
// Services: policies see the packet after kube-proxy's DNAT, so judge the
// backend pod, not the ClusterIP.
import { containsAny, parseAny, type IpAddr } from '../ip/anyIp';
import { matchesSelector } from '../api/labels';
import type { LabelSelector, Protocol } from '../api/types';
import { policyId } from '../scenario/parsePolicy';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, PolicyType } from '../api/networkPolicy';

export { ipEndpoint, podAddress, podEndpoint, policyContext } from './policyContext';
export type { Endpoint, IpEndpoint, PodEndpoint, PolicyContext } from './policyContext';
import type { Endpoint, Isolation, PodEndpoint, PolicyContext } from './policyContext';

/** Per pod labels and namespace: the policies isolating it for ingress and for egress (memoized on the labels object). */
function isolation(ctx: PolicyContext, pod: PodEndpoint): { Ingress: Isolation; Egress: Isolation } {
  let perNs = ctx.selectCache.get(pod.labels);
  if (!perNs) ctx.selectCache.set(pod.labels, (perNs = new Map()));
  let iso = perNs.get(pod.namespace);
  if (!iso) {
    const selecting = (ctx.byNamespace.get(pod.namespace) ?? []).filter((p) =>
      matchesSelector(p.podSelector, pod.labels),
    );
    const of = (t: PolicyType): Isolation => {
      const policies = selecting.filter((p) => p.policyTypes.includes(t));
      return { policies, ids: policies.map(policyId) };
    };
    perNs.set(pod.namespace, (iso = { Ingress: of('Ingress'), Egress: of('Egress') }));
  }
  return iso;
}

/** The policies that isolate `pod` in one direction: they select it and name that direction in policyTypes. */
export function isolatingPolicies(ctx: PolicyContext, pod: PodEndpoint, type: PolicyType): NetworkPolicy[] {
  return [...isolation(ctx, pod)[type].policies];
}

function ipValue(ctx: PolicyContext, ip: string | null): IpAddr | null {
  if (!ip) return null;
  let v = ctx.ipCache.get(ip);
  if (v === undefined) {
    const r = parseAny(ip);
    v = r.ok ? r.value : null;
    ctx.ipCache.set(ip, v);
  }
  return v;
}

function namespaceMatches(ctx: PolicyContext, sel: LabelSelector, ns: string): boolean {
  let m = ctx.nsCache.get(sel);
  if (!m) ctx.nsCache.set(sel, (m = new Map()));
  let v = m.get(ns);
  if (v === undefined) m.set(ns, (v = matchesSelector(sel, ctx.namespaceLabels(ns))));
  return v;
}

/**
 * "Behavior of to and from selectors": podSelector alone = pods in the policy's
 * namespace; namespaceSelector alone = every pod in matching namespaces; both in
 * one peer = pods matching podSelector in matching namespaces (AND).
 * ipBlock: the docs mean it for cluster-external addresses and leave pod IPs to
 * the implementation; like most CNIs (Calico, Cilium, kube-router) we match
 * ipBlock against pod IPs too.
 */
export function peerMatches(
  ctx: PolicyContext,
  policy: NetworkPolicy,
  peer: NetworkPolicyPeer,
  other: Endpoint,
): boolean {
  if (peer.ipBlock) {
    const ip = ipValue(ctx, other.ip);
    // evaluateIPBlocks (kube-network-policies): net.IPNet.Contains, so a CIDR never holds the other family's address.
    if (ip === null || !containsAny(peer.ipBlock.range, ip)) return false;
    return !peer.ipBlock.exceptRanges.some((c) => containsAny(c, ip));
  }
  if (other.kind !== 'pod') return false;
  if (peer.namespaceSelector) {
    if (!namespaceMatches(ctx, peer.namespaceSelector, other.namespace)) return false;
  } else if (other.namespace !== policy.namespace) return false;
  return !peer.podSelector || matchesSelector(peer.podSelector, other.labels);
}

/**
 * A port entry against (port, protocol). A named port resolves against the
 * destination pod's container ports (for ingress the policied pod, for egress
 * the pod connected to); unresolvable, or a destination that is not a pod, matches nothing.
 */
export function portMatches(pp: NetworkPolicyPort, port: number, protocol: Protocol, destination: Endpoint): boolean {
  if (pp.protocol !== protocol) return false;
  if (pp.port === undefined) return true;
  if (typeof pp.port === 'number')
    return pp.endPort !== undefined ? port >= pp.port && port <= pp.endPort : port === pp.port;
  if (destination.kind !== 'pod') return false;
  return destination.ports.some((c) => c.name === pp.port && c.protocol === protocol && c.containerPort === port);
}

export interface DirectionVerdict {
  direction: 'ingress' | 'egress';
  /** The pod whose policies decide this direction, "default/web-x"; undefined when that end is not a pod. */
  pod?: string;
  isolated: boolean;
  /** Ids of the policies isolating the pod in this direction. */
  policies: string[];
  allowed: boolean;
  /** The first rule that allowed it: "default/allow-web ingress[0]". */
  allowedBy?: string;
  reason: string;
}

export interface Verdict {
  allowed: boolean;
  protocol: Protocol;
  port: number;
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
  /** One line: the allowing rules, or why it was denied. */
  reason: string;
}

export function describeEndpoint(e: Endpoint): string {
  if (e.kind === 'ip') return e.node ? `${e.ip} (node ${e.node})` : e.ip || 'an unknown address';
  return `pod ${e.namespace}/${e.name}${e.ip ? ` (${e.ip})` : ''}`;
}

function verdictOf(
  direction: 'ingress' | 'egress',
  pod: string,
  iso: Isolation,
  allowed: boolean,
  reason: string,
  allowedBy?: string,
): DirectionVerdict {
  return {
    direction,
    pod,
    isolated: iso.policies.length > 0,
    policies: iso.ids,
    allowed,
    ...(allowedBy ? { allowedBy } : {}),
    reason,
  };
}

function decide(
  ctx: PolicyContext,
  pod: PodEndpoint,
  other: Endpoint,
  type: PolicyType,
  port: number,
  protocol: Protocol,
): DirectionVerdict {
  const direction = type === 'Ingress' ? 'ingress' : 'egress';
  const id = `${pod.namespace}/${pod.name}`;
  const iso = isolation(ctx, pod)[type];
  if (iso.policies.length === 0)
    return verdictOf(
      direction,
      id,
      iso,
      true,
      `pod ${id} is not isolated for ${direction}: no policy selects it with ${type} in policyTypes`,
    );
  // "Other pods that are allowed (exception: a pod cannot block access to itself)"; IP blocks "(exception: traffic to
  // and from the node where a Pod is running is always allowed)".
  if (other.kind === 'pod' && other.namespace === pod.namespace && other.name === pod.name) {
    return verdictOf(direction, id, iso, true, 'a pod cannot block access to itself');
  }
  if (other.kind === 'ip' && other.node !== undefined && other.node === pod.node) {
    return verdictOf(
      direction,
      id,
      iso,
      true,
      `traffic ${type === 'Ingress' ? 'from' : 'to'} the pod's own node (${other.node}) is always allowed`,
    );
  }
  const destination: Endpoint = type === 'Ingress' ? pod : other;
  for (const p of iso.policies) {
    const rules = type === 'Ingress' ? p.ingress : p.egress;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if (!peersMatch(ctx, p, 'from' in r ? r.from : r.to, other)) continue;
      if (!portsMatch(r.ports, port, protocol, destination)) continue;
      const allowedBy = `${policyId(p)} ${direction}[${i}]`;
      return verdictOf(direction, id, iso, true, `allowed by ${allowedBy}`, allowedBy);
    }
  }
  const what = `${protocol} ${port} ${type === 'Ingress' ? 'from' : 'to'} ${describeEndpoint(other)}`;
  return verdictOf(
    direction,
    id,
    iso,
    false,
    `pod ${id} is isolated for ${direction} by ${iso.ids.join(', ')} and no rule allows ${what}`,
  );
}

/** Empty = every peer; else any of them (OR). */
function peersMatch(
  ctx: PolicyContext,
  policy: NetworkPolicy,
  peers: readonly NetworkPolicyPeer[],
  other: Endpoint,
): boolean {
  if (peers.length === 0) return true;
  for (const peer of peers) if (peerMatches(ctx, policy, peer, other)) return true;
  return false;
}

/** Empty = every port; else any of them (OR). */
function portsMatch(
  ports: readonly NetworkPolicyPort[],
  port: number,
  protocol: Protocol,
  destination: Endpoint,
): boolean {
  if (ports.length === 0) return true;
  for (const pp of ports) if (portMatches(pp, port, protocol, destination)) return true;
  return false;
}

const notAPod = (direction: 'ingress' | 'egress', e: Endpoint): DirectionVerdict => ({
  direction,
  isolated: false,
  policies: [],
  allowed: true,
  reason: `${describeEndpoint(e)} is not a pod: NetworkPolicy does not apply to its ${direction}`,
});

/** The verdict on a new connection src -> dst:port/protocol: egress checked on src, ingress on dst; both must allow. */
export function judge(
  ctx: PolicyContext,
  src: Endpoint,
  dst: Endpoint,
  port: number,
  protocol: Protocol = 'TCP',
): Verdict {
  const egress = src.kind === 'pod' ? decide(ctx, src, dst, 'Egress', port, protocol) : notAPod('egress', src);
  const ingress = dst.kind === 'pod' ? decide(ctx, dst, src, 'Ingress', port, protocol) : notAPod('ingress', dst);
  const allowed = egress.allowed && ingress.allowed;
  let reason: string;
  if (allowed)
    reason =
      egress.allowedBy && ingress.allowedBy
        ? `${egress.allowedBy}; ${ingress.allowedBy}`
        : (egress.allowedBy ?? ingress.allowedBy ?? 'no policy isolates either end');
  else
    reason = egress.allowed ? ingress.reason : ingress.allowed ? egress.reason : `${egress.reason}; ${ingress.reason}`;
  return { allowed, protocol, port, egress, ingress, reason };
}
