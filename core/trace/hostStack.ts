// A packet in a node's root namespace, in the kernel's order: nat PREROUTING
// (or OUTPUT for the node's own packets), the routing decision (local table
// first, then main), filter INPUT / FORWARD / OUTPUT, nat POSTROUTING. The
// decisions are the rules' own: walkHook runs the node's tables.
import { familyOf, formatAny, isIp6, type IpAddr } from '../ip/anyIp';
import type { NodeKernel } from '../dataplane/nodeKernel';
import type { AnyRoute } from '../dataplane/anyRoute';
import { isLoopbackAny } from './family';
import type { RealizedNode } from '../api/types';
import { flowSeed, walkHook, type FlowState, type Hook, type HookResult } from './iptablesWalk';
import { nftNat } from './nftNat';
import { nftPostrouting } from './nftablesWalk';
import { dnatExplain, evidenceOf, shownRules, verdictReason } from './ruleHops';
import { randomFullyPort } from './snatPort';
import { byIp } from './refs';
import type { Pkt } from './types';
import { recordNat, type HostContext, type Walk } from './walkState';

export type { HopInput, HostContext, Walk } from './walkState';

const MAX_HOPS = 40;

/** A walk that decided nothing visible still matched rules: the next hop cites them. */
function cite(w: Walk, res: HookResult): void {
  if (res.matched.length) (w.pending ??= []).push(...evidenceOf(res.matched));
}
const RANDOM_FULLY_PORT = true;

function filterVerdict(t: HostContext, w: Walk, nd: RealizedNode, hook: Hook, p: Pkt, res: HookResult): Walk {
  const ref = res.decisive!;
  const reason = verdictReason(ref, nd.name, isIp6(p.dst));
  const action = res.verdict === 'REJECT' ? 'reject' : 'drop';
  t.add(w, {
    node: nd.name,
    namespace: 'host',
    device: hook,
    before: p,
    action,
    rule: shownRules([ref]),
    evidence: evidenceOf(res.matched),
    explain: `kube-proxy: ${reason}.`,
  });
  return t.end(w, action === 'reject' ? 'unreachable' : 'dropped', reason);
}

/** The node's root namespace: NAT, routing, filter. `own` = the node itself sends it (OUTPUT). */
export function hostStack(t: HostContext, w: Walk, nd: RealizedNode, p: Pkt, own: boolean): Walk {
  if (w.hops.length > MAX_HOPS)
    return t.end(w, 'dropped', 'routing loop: the packet went round more than 40 hops (its TTL would expire)');
  const k = t.dp.kernel(nd.name)!;
  const st: FlowState = {
    mark: 0,
    ct: w.reply ? 'ESTABLISHED' : 'NEW',
    dnat: w.dnatOn.has(nd.name),
    recent: w.recent,
    seed: flowSeed(p, formatAny),
  };
  let pkt = p;
  // nftables mode: kube-proxy's nft table decides (nftablesWalk.ts); flannel's iptables rules follow.
  if (t.dp.cluster.cluster.kubeProxyMode === 'nftables' && !w.reply && !st.dnat) {
    const n = nftNat(t, w, nd, p, own);
    if (n.ended) return n.ended;
    pkt = n.pkt;
    st.mark = n.mark;
    if (pkt !== p) st.dnat = true;
  }
  const first = walkHook(k, own ? 'OUTPUT' : 'PREROUTING', pkt, st, own ? ['raw', 'mangle', 'nat'] : undefined);
  if (first.decisive?.at.rule.target.kind === 'DNAT') {
    const before = pkt;
    pkt = first.packet;
    t.add(w, {
      node: nd.name,
      namespace: 'host',
      device: own ? 'OUTPUT (nat)' : 'PREROUTING (nat)',
      before,
      after: pkt,
      action: 'dnat',
      rule: shownRules(first.matched),
      evidence: evidenceOf(first.matched),
      explain: dnatExplain(t.dp, first, before, own),
    });
    recordNat(w, nd.name, before, pkt);
    w.dnatOn.add(nd.name);
    st.dnat = true;
  } else if (first.verdict !== 'ACCEPT') return filterVerdict(t, w, nd, own ? 'OUTPUT' : 'PREROUTING', pkt, first);
  else cite(w, first);
  if (own) {
    const out = walkHook(k, 'OUTPUT', pkt, st, ['filter']);
    if (out.verdict !== 'ACCEPT') return filterVerdict(t, w, nd, 'OUTPUT', pkt, out);
    cite(w, out);
  }
  // The routing decision: the local table first (the node's own addresses, 127.0.0.0/8), then main.
  if (k.isLocal(pkt.dst)) {
    if (own) {
      const post = postrouting(t, w, nd, k, pkt, st, 'lo', mainRoute(k, pkt));
      if (post.ended) return post.ended;
      pkt = post.pkt;
    }
    const input = walkHook(k, 'INPUT', pkt, st);
    if (input.verdict !== 'ACCEPT') return filterVerdict(t, w, nd, 'INPUT', pkt, input);
    cite(w, input);
    return t.deliverNode(w, nd, pkt);
  }
  const r = k.route(pkt.dst);
  if (!r) {
    t.add(w, {
      node: nd.name,
      namespace: 'host',
      device: '-',
      before: pkt,
      action: 'drop',
      explain: `${nd.name} has no route to ${formatAny(pkt.dst)}.`,
    });
    return t.end(w, 'unreachable', `no route to ${formatAny(pkt.dst)} on ${nd.name}`);
  }
  if (!own) {
    st.outIface = r.dev;
    const fwd = walkHook(k, 'FORWARD', pkt, st);
    if (fwd.verdict !== 'ACCEPT') return filterVerdict(t, w, nd, 'FORWARD', pkt, fwd);
    cite(w, fwd);
  }
  const post = postrouting(t, w, nd, k, pkt, st, r.dev, r);
  if (post.ended) return post.ended;
  return t.route(w, nd, post.pkt, r);
}

/** The main table's route for a local destination (what the node's own packet is masqueraded towards). */
const mainRoute = (k: NodeKernel, p: Pkt) => (isLoopbackAny(p.dst) ? undefined : k.route(p.dst));

/** nat POSTROUTING: KUBE-POSTROUTING masquerades marked packets, FLANNEL-POSTRTG pod traffic leaving the pod network. */
function postrouting(
  t: HostContext,
  w: Walk,
  nd: RealizedNode,
  k: NodeKernel,
  pkt: Pkt,
  st: FlowState,
  dev: string,
  route: AnyRoute | undefined,
): { pkt: Pkt; ended?: Walk } {
  st.outIface = dev;
  if (t.dp.cluster.cluster.kubeProxyMode === 'nftables' && !w.reply) {
    const m = nftPostrouting(t.dp, nd.name, { ...pkt, src: formatAny(pkt.src), dst: formatAny(pkt.dst) }, st.mark);
    if (m) return nftMasquerade(t, w, nd, k, pkt, route?.dev ?? dev, m);
  }
  const res = walkHook(k, 'POSTROUTING', pkt, st);
  if (res.verdict !== 'ACCEPT') return { pkt, ended: filterVerdict(t, w, nd, 'POSTROUTING', pkt, res) };
  if (!res.masquerade || !res.decisive) {
    cite(w, res);
    return { pkt };
  }
  const outDev = route?.dev ?? dev;
  const srcIp = k.addressOn(outDev, familyOf(pkt.src)) ?? pkt.src;
  const sport = res.masquerade.randomFully && RANDOM_FULLY_PORT ? randomFullyPort(pkt, srcIp) : pkt.sport;

  if (srcIp === pkt.src && sport === pkt.sport) {
    cite(w, res);
    return { pkt };
  }
  const after = { ...pkt, src: srcIp, sport };
  recordNat(w, nd.name, pkt, after);
  const chain = res.decisive.chain;
  const src = formatAny(srcIp);
  const portNote =
    sport !== pkt.sport
      ? ` --random-fully also gives it a new source port, ${sport} (the kernel draws one at random; this one is illustrative, derived from the flow).`
      : '';
  const inCluster = (ip: IpAddr) => t.inPodNetwork(ip);
  const outside = !inCluster(pkt.dst) && byIp(t.dp.cluster, formatAny(pkt.dst)).kind !== 'node';
  t.add(w, {
    node: nd.name,
    namespace: 'host',
    device: `POSTROUTING (nat) → ${outDev}`,
    before: pkt,
    after,
    action: 'snat',
    rule: shownRules([res.decisive]),
    evidence: evidenceOf(res.matched),
    explain:
      chain === 'KUBE-POSTROUTING'
        ? `KUBE-POSTROUTING masquerades the marked packet: its source becomes ${src}, the address of ${outDev}, so the reply returns through this node.${portNote}`
        : inCluster(pkt.src)
          ? `flannel masquerades pod traffic leaving the pod network${outside ? '' : ` (here to ${formatAny(pkt.dst)}, which is not a pod address)`}: the source becomes ${src}, the address of ${outDev}; conntrack undoes it on the reply.${portNote}`
          : `flannel masquerades traffic from outside the pod network to a pod on another node: the source becomes ${src}, the address of ${outDev}.${portNote}`,
  });
  return { pkt: after };
}

/** nftables mode: kube-proxy's nft table masquerades what it marked, citing its masquerading chain's rule. */
function nftMasquerade(
  t: HostContext,
  w: Walk,
  nd: RealizedNode,
  k: NodeKernel,
  pkt: Pkt,
  dev: string,
  m: { line: string; fullyRandom: boolean },
): { pkt: Pkt } {
  const srcIp = k.addressOn(dev, familyOf(pkt.src)) ?? pkt.src;
  const sport = m.fullyRandom && RANDOM_FULLY_PORT ? randomFullyPort(pkt, srcIp) : pkt.sport;
  const after = { ...pkt, src: srcIp, sport };
  const portNote =
    sport !== pkt.sport
      ? ` fully-random also gives it a new source port, ${sport} (the kernel draws one at random; this one is illustrative, derived from the flow).`
      : '';
  recordNat(w, nd.name, pkt, after);
  t.add(w, {
    node: nd.name,
    namespace: 'host',
    device: `POSTROUTING (nat) → ${dev}`,
    before: pkt,
    after,
    action: 'snat',
    rule: m.line,
    explain: `kube-proxy's masquerading chain masquerades the marked packet: its source becomes ${formatAny(srcIp)}, the address of ${dev}, so the reply returns through this node.${portNote}`,
  });
  return { pkt: after };
}
