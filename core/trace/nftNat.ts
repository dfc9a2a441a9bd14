// nftables mode's NAT step: kube-proxy's `table ip kube-proxy` decides (nftablesWalk.ts walks
// its chains, maps and sets); flannel's iptables rules, which nftables mode keeps, are walked
// like iptables mode's.
import { formatAny, parseAny } from '../ip/anyIp';
import type { RealizedNode } from '../api/types';
import { recordNat, type HostContext, type Walk } from './walkState';
import { nftServiceDecision } from './nftablesWalk';
import { hp } from './ruleHops';
import type { Pkt } from './types';

const ipOf = (s: string) => {
  const p = parseAny(s);
  return p.ok ? p.value : 0;
};

export function nftNat(
  t: HostContext,
  w: Walk,
  nd: RealizedNode,
  p: Pkt,
  own: boolean,
): { pkt: Pkt; mark: number; ended?: Walk } {
  const text = { ...p, src: formatAny(p.src), dst: formatAny(p.dst) };
  const d = nftServiceDecision(t.dp, nd, text, own);
  const mark = d?.mark ?? 0;
  if (d?.refused) {
    t.add(w, {
      node: nd.name,
      namespace: 'host',
      device: d.hook ?? (own ? 'OUTPUT' : 'PREROUTING'),
      before: p,
      action: d.refused.action,
      rule: d.lines.join('\n'),
      explain: `kube-proxy: ${d.refused.reason}.`,
    });
    return {
      pkt: p,
      mark,
      ended: t.end(w, d.refused.action === 'reject' ? 'unreachable' : 'dropped', d.refused.reason),
    };
  }
  if (!d?.dnat) return { pkt: p, mark };
  const to = d.chosen?.endpoint;
  const pkt = { ...p, dst: ipOf(d.dnat.ip), dport: d.dnat.port };
  const who = to ? `pod ${to.pod} on ${to.node}` : 'no endpoint of the Service has this address';
  const odds =
    d.candidates.length > 1
      ? ` Each of the ${d.candidates.length} endpoints had a 1 in ${d.candidates.length} chance; this flow got ${d.dnat.address} (${who}).`
      : ` Its only endpoint is ${d.dnat.address} (${to ? `${to.pod} on ${to.node}` : who}).`;
  const timeout = d.rule?.service.sessionAffinityTimeout ?? null;
  const affinity =
    d.affinity && d.chosen && timeout !== null
      ? ` sessionAffinity ClientIP: the recent-list rules check for this client first; now ${text.src} is on ${d.chosen.sepChain}'s list, so for ${timeout} s its new connections go to the same pod.`
      : '';
  t.add(w, {
    node: nd.name,
    namespace: 'host',
    device: own ? 'OUTPUT (nat)' : 'PREROUTING (nat)',
    before: p,
    after: pkt,
    action: 'dnat',
    rule: d.lines.join('\n'),
    explain: `kube-proxy's rules swap the Service address ${hp(p.dst, p.dport)}${d.rule ? ` (${d.rule.spn})` : ''} for a pod: DNAT to ${d.dnat.address}.${odds}${affinity}${d.masqueradeWhy ? ` The packet is also marked for masquerade: ${d.masqueradeWhy}.` : ''}`,
  });
  recordNat(w, nd.name, p, pkt);
  w.dnatOn.add(nd.name);
  return { pkt, mark };
}
