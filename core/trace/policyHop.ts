// NetworkPolicy in a trace, as kube-network-policies enforces it (see
// core/policy/enforcer.ts): on every node the packet crosses, its nftables
// table either lets the packet pass (an accept rule, or no rule) or queues the
// connection's first packet to the controller, which judges the source's egress
// and the destination's ingress together (evaluatePacket) with core/policy's
// semantics. UDP to port 53 is judged in prerouting after DNAT, everything
// else in postrouting before SNAT. Packets delivered to the node itself (INPUT)
// pass no hook of the table. The first drop ends the leg. Replies are never
// judged (ct state established,related accept).
import type { Dataplane } from '../dataplane/dataplane';
import { clusterPolicyContext } from '../policy/clusterPolicies';
import { enforcerRule, ENFORCER_TABLE, policyEnforcerTable, type EnforcerMatch } from '../policy/enforcer';
import { ipEndpoint, judge, podEndpoint, type Endpoint as PolicyEndpoint, type Verdict } from '../policy/evaluate';
import type { RealizedCluster, RealizedNode, RealizedPod } from '../api/types';
import { isNodeAddress } from '../dataplane/devices';
import { formatAny } from '../ip/anyIp';
import { byIp, type Endpoint } from './refs';
import { hp } from './ruleHops';
import type { Hop, Pkt, Verdict as LegVerdict } from './types';

export interface JudgedLeg {
  hops: Hop[];
  verdict?: LegVerdict;
  reason?: string;
  delivered?: { pod?: RealizedPod; node: RealizedNode };
}

/** The controller's getPodAssignedToIP: a pod by its IP (hostNetwork pods are not indexed), else a bare address. */
function endpointOf(c: RealizedCluster, ip: string): PolicyEndpoint {
  const e = byIp(c, ip);
  // An IPv6 packet's pod is judged at its IPv6 address (what an ipBlock of that family matches).
  if (e.kind === 'pod' && !e.pod.hostNetwork) return { ...podEndpoint(e.pod), ip };
  if (e.kind === 'node') return ipEndpoint(ip, e.node.name);
  // A node also speaks from its cni0 (gateway) and flannel.1 addresses: still the node.
  const owner = c.nodes.find((n) => isNodeAddress(c, n, ip));
  return owner ? ipEndpoint(ip, owner.name) : ipEndpoint(ip);
}

interface Visit {
  node: string;
  /** Index of the first and last hop of this node's run of hops. */
  first: number;
  last: number;
}

/** Consecutive hops on one node (its pods' namespaces included): one pass through that node's hooks. */
function visits(hops: Hop[]): Visit[] {
  const out: Visit[] = [];
  hops.forEach((h, i) => {
    const v = out[out.length - 1];
    if (v && v.node === h.node) v.last = i;
    else if (h.node !== 'external') out.push({ node: h.node, first: i, last: i });
  });
  return out;
}

function directions(v: Verdict): string {
  if (!v.egress.allowed) return 'egress';
  if (!v.ingress.allowed) return 'ingress';
  return [v.egress.isolated ? 'egress' : '', v.ingress.isolated ? 'ingress' : ''].filter(Boolean).join(', ');
}

function verdictHop(node: string, pkt: Pkt, m: EnforcerMatch, v: Verdict): Hop {
  const src = hp(pkt.src, pkt.sport);
  const dst = hp(pkt.dst, pkt.dport);
  // The set the rule looks the address up in (@podips-v4, @podips-v6): its name is in the rule.
  const set = /@(\S+)/.exec(m.rule)?.[1] ?? 'podips-v4';
  const rule = m.element ? `${m.chain}: ${m.rule}\nset ${set}: ${m.element}` : `${m.chain}: ${m.rule}`;
  const dir = directions(v);
  const queued = `kube-network-policies on ${node}: rule ${m.position} of the ${m.chain} chain of table inet ${ENFORCER_TABLE} queued the connection's first packet (${m.element} is a pod a NetworkPolicy selects) to its controller, which judges egress of the source and ingress of the destination`;
  const allowedBy = [v.egress, v.ingress]
    .filter((d) => d.isolated)
    .map((d) => (d.allowedBy ? `allowed by ${d.allowedBy}` : d.reason))
    .join('; ');
  // Key order as every other hop's (JSON output is compared byte for byte).
  return {
    node,
    namespace: 'host',
    device: `NetworkPolicy (${dir})`,
    src,
    dst,
    action: v.allowed ? 'allow' : 'drop',
    rule,
    explain: !m.element
      ? `kube-network-policies on ${node}: rule ${m.position} of the ${m.chain} chain of table inet ${ENFORCER_TABLE} accepts packets the node's own root processes send (kubelet probes, system daemons) before anything is queued, so no policy judges this connection.`
      : v.allowed
        ? `${allowedBy}: ${queued}, and it accepted it.`
        : `NetworkPolicy drops the packet: ${v.egress.allowed ? v.ingress.reason : v.egress.reason}. ${queued}, and it dropped it.`,
    step: 0,
    srcAfter: src,
    dstAfter: dst,
    packet: { before: pkt, after: pkt },
  };
}

/**
 * Applies the scenario's NetworkPolicies to a traced leg. Returns the leg
 * unchanged when no policy exists or the packet reached nothing.
 */
export function applyPolicies(dp: Dataplane, leg: JudgedLeg, _from: Endpoint, protocol: 'TCP' | 'UDP'): JudgedLeg {
  const c = dp.cluster;
  // A leg that left the cluster (towards 8.8.8.8, say) is judged too: egress to an address outside.
  const reached = leg.delivered !== undefined || leg.verdict === 'delivered';
  if (c.policies.length === 0 || !reached || leg.hops.length === 0) return leg;
  const ctx = clusterPolicyContext(c);
  const hops = [...leg.hops];
  const inserts: { at: number; hop: Hop }[] = [];
  let dropAt: { at: number; hop: Hop; reason: string } | undefined;
  for (const v of visits(hops)) {
    const run = hops.slice(v.first, v.last + 1);
    const dnat = run.findLastIndex((h) => h.action === 'dnat');
    // The packet as this node's table sees it: destination after DNAT, source before SNAT.
    const arrived = run[0]!.packet!.before;
    const natted = dnat >= 0 ? run[dnat]!.packet!.after : arrived;
    const seen: Pkt = { ...arrived, dst: natted.dst, dport: natted.dport };
    const lastHost = run.findLastIndex((h) => h.namespace === 'host');
    const end = run[run.length - 1]!;
    const ownStack = run[0]!.namespace === 'host' && run[0]!.action === 'send';
    const toNodeItself = end.namespace === 'host' && end.action === 'deliver';
    const udpDns = protocol === 'UDP' && seen.dport === 53;
    const leaves = v.last < hops.length - 1 || end.namespace !== 'host' || end.action === 'route';
    // prerouting needs a packet arriving from outside the node; postrouting one leaving it (not INPUT).
    const chain = udpDns ? (ownStack ? undefined : 'prerouting') : leaves && !toNodeItself ? 'postrouting' : undefined;
    if (!chain || lastHost < 0) continue;
    // A dumped node (trace --tables) brings its own table; a computed one's is core/policy's.
    const table = dp.kernel(v.node)?.enforcer?.() ?? policyEnforcerTable(c, v.node);
    const pkt = {
      src: formatAny(seen.src),
      dst: formatAny(seen.dst),
      proto: protocol,
      dport: seen.dport,
      fromRootOfNode: ownStack,
    };
    const m = enforcerRule(table, chain, pkt);
    // The node's own root processes are never queued (meta skuid 0 accept): shown when a policy would have judged it.
    const rootAccept = m?.verdict === 'accept' && m.rule === 'meta skuid 0 accept';
    if (!m || (m.verdict !== 'queue' && !rootAccept)) continue;
    const verdict = rootAccept
      ? { ...judge(ctx, endpointOf(c, pkt.src), endpointOf(c, pkt.dst), pkt.dport, protocol), allowed: true }
      : judge(ctx, endpointOf(c, pkt.src), endpointOf(c, pkt.dst), pkt.dport, protocol);
    // Only hops where a policy decided are shown: a queued packet no policy isolates is accepted silently.
    if (verdict.allowed && !verdict.egress.isolated && !verdict.ingress.isolated) continue;
    // postrouting runs at srcnat - 5, before nat POSTROUTING: the verdict stands before the SNAT hop or,
    // with none, before the hop that sends the packet out, so what nat POSTROUTING would do never moves it.
    const leaving = run.findIndex(
      (h, i) =>
        i > 0 && h.namespace === 'host' && (h.action === 'snat' || h.action === 'route' || h.action === 'encapsulate'),
    );
    const post = leaving > 0 ? leaving - 1 : lastHost;
    const after = v.first + (chain === 'prerouting' ? (dnat >= 0 ? dnat : Math.min(1, lastHost)) : post);
    const hop = verdictHop(v.node, seen, m, verdict);
    if (!verdict.allowed) {
      const why = verdict.egress.allowed ? verdict.ingress.reason : verdict.egress.reason;
      dropAt = { at: after, hop, reason: `NetworkPolicy: ${why}` };
      break;
    }
    inserts.push({ at: after, hop });
  }
  if (inserts.length === 0 && !dropAt) return leg;
  const out: Hop[] = [];
  const upTo = dropAt ? dropAt.at : hops.length - 1;
  for (let i = 0; i <= upTo; i++) {
    out.push(hops[i]!);
    for (const x of inserts) if (x.at === i) out.push(x.hop);
  }
  if (dropAt) out.push(dropAt.hop);
  out.forEach((h, i) => (h.step = i + 1));
  if (dropAt) return { hops: out, verdict: 'dropped', reason: dropAt.reason };
  return {
    hops: out,
    ...(leg.verdict ? { verdict: leg.verdict } : {}),
    ...(leg.reason ? { reason: leg.reason } : {}),
    ...(leg.delivered ? { delivered: leg.delivered } : {}),
  };
}
