// NetworkPolicy in a trace: the connection's first packet is judged once it is
// known where it lands (after kube-proxy's DNAT, as the CNI's enforcement sees
// it): the source pod's egress on its node, the destination pod's ingress on
// its node. A denial drops the packet there; an allow by an isolating policy
// is shown as its own hop. Replies of allowed connections are not judged.
import type { Dataplane } from '../dataplane/dataplane';
import { clusterPolicyContext } from '../policy/clusterPolicies';
import {
  ipEndpoint,
  judge,
  podEndpoint,
  type DirectionVerdict,
  type Endpoint as PolicyEndpoint,
} from '../policy/evaluate';
import type { RealizedCluster, RealizedNode, RealizedPod } from '../api/types';
import { isNodeAddress } from '../dataplane/devices';
import { splitHp } from './nodeWalk';
import { byIp, type Endpoint } from './refs';
import type { Hop, Verdict } from './types';

export interface JudgedLeg {
  hops: Hop[];
  verdict?: Verdict;
  reason?: string;
  delivered?: { pod?: RealizedPod; node: RealizedNode };
}

const hostOf = (hp: string) => splitHp(hp)[0];
const portOf = (hp: string) => splitHp(hp)[1];

function asPolicyEndpoint(c: RealizedCluster, ip: string): PolicyEndpoint {
  const e = byIp(c, ip);
  if (e.kind === 'pod') return podEndpoint(e.pod);
  if (e.kind === 'node') return ipEndpoint(ip, e.node.name);
  // A node also speaks from its cni0 (gateway) and flannel.1 addresses: still the node.
  const owner = c.nodes.find((n) => isNodeAddress(c, n, ip));
  return owner ? ipEndpoint(ip, owner.name) : ipEndpoint(ip);
}

function sourceOf(c: RealizedCluster, from: Endpoint, firstHop: Hop): PolicyEndpoint {
  if (from.kind === 'pod') return podEndpoint(from.pod);
  if (from.kind === 'node') return ipEndpoint(hostOf(firstHop.src), from.node.name);
  return ipEndpoint(hostOf(firstHop.src));
}

const hop = (h: Omit<Hop, 'step' | 'srcAfter' | 'dstAfter'>): Hop => ({
  ...h,
  step: 0,
  srcAfter: h.src,
  dstAfter: h.dst,
});

function policyHop(v: DirectionVerdict, node: string, at: Hop): Hop {
  const dir = v.direction === 'egress' ? 'egress' : 'ingress';
  return hop({
    node,
    namespace: 'host',
    device: `NetworkPolicy (${dir})`,
    src: at.srcAfter,
    dst: at.dstAfter,
    action: v.allowed ? 'allow' : 'drop',
    ...(v.allowedBy
      ? { rule: v.allowedBy }
      : v.policies.length
        ? { rule: `isolated by ${v.policies.join(', ')}` }
        : {}),
    explain: v.allowed
      ? `NetworkPolicy: pod ${v.pod} is isolated for ${dir} (${v.policies.join(', ')}); ${v.allowedBy} allows this connection.`
      : `NetworkPolicy drops the packet: ${v.reason}.`,
  });
}

/**
 * Applies the scenario's NetworkPolicies to a traced leg. Returns the leg
 * unchanged when no policy exists or the packet never reached anything.
 */
export function applyPolicies(dp: Dataplane, leg: JudgedLeg, from: Endpoint, protocol: 'TCP' | 'UDP'): JudgedLeg {
  const c = dp.cluster;
  if (c.policies.length === 0 || !leg.delivered || leg.hops.length === 0) return leg;
  const ctx = clusterPolicyContext(c);
  const last = leg.hops[leg.hops.length - 1]!;
  const dst: PolicyEndpoint = leg.delivered.pod
    ? podEndpoint(leg.delivered.pod)
    : ipEndpoint(hostOf(last.dstAfter), leg.delivered.node.name);
  const port = portOf(last.dstAfter);
  const egress = judge(ctx, sourceOf(c, from, leg.hops[0]!), dst, port, protocol).egress;
  // Ingress sees the source the packet arrives with (after any masquerade).
  const ingress = judge(ctx, asPolicyEndpoint(c, hostOf(last.srcAfter)), dst, port, protocol).ingress;
  if (!egress.isolated && !ingress.isolated) return leg;

  const hops = [...leg.hops];
  // Egress is enforced on the source pod's node once the destination is final: after its DNAT hop, else after the veth hop.
  if (from.kind === 'pod' && egress.isolated) {
    const node = from.pod.node!;
    const dnat = hops.findIndex((h) => h.node === node && h.action === 'dnat');
    const enter = hops.findIndex((h) => h.node === node && h.namespace === 'host');
    const at = dnat >= 0 ? dnat : enter >= 0 ? enter : 0;
    const ph = policyHop(egress, node, hops[at]!);
    if (!egress.allowed)
      return finish([...hops.slice(0, at + 1), ph], 'dropped', `NetworkPolicy: ${egress.reason}`, leg);
    hops.splice(at + 1, 0, ph);
  }
  if (leg.delivered.pod && ingress.isolated) {
    const deliver = hops.length - 1;
    const ph = policyHop(ingress, leg.delivered.node.name, hops[deliver - 1] ?? hops[deliver]!);
    if (!ingress.allowed)
      return finish([...hops.slice(0, deliver), ph], 'dropped', `NetworkPolicy: ${ingress.reason}`, leg);
    hops.splice(deliver, 0, ph);
  }
  return finish(hops, leg.verdict, leg.reason, leg);
}

function finish(hops: Hop[], verdict: Verdict | undefined, reason: string | undefined, leg: JudgedLeg): JudgedLeg {
  hops.forEach((h, i) => (h.step = i + 1));
  const dropped = verdict === 'dropped' && leg.verdict !== 'dropped';
  return {
    hops,
    ...(verdict ? { verdict } : {}),
    ...(reason ? { reason } : {}),
    ...(dropped ? {} : leg.delivered ? { delivered: leg.delivered } : {}),
  };
}
