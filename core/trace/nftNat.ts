// nftables mode's NAT step: kube-proxy's `table ip kube-proxy` decides (nftablesWalk.ts walks
// its chains, maps and sets); flannel's iptables rules, which nftables mode keeps, are walked
// like iptables mode's.
import { formatIp, parseIp } from '../ip/cidr';
import type { RealizedNode } from '../api/types';
import { recordNat, type HostContext, type Walk } from './walkState';
import { nftServiceDecision } from './nftablesWalk';
import { hp } from './ruleHops';
import type { Pkt } from './types';

const ipOf = (s: string) => {
  const p = parseIp(s);
  return p.ok ? p.value : 0;
};

export function nftNat(
  t: HostContext,
  w: Walk,
  nd: RealizedNode,
  p: Pkt,
  own: boolean,
): { pkt: Pkt; masquerade: boolean; ended?: Walk } {
  const text = { ...p, src: formatIp(p.src), dst: formatIp(p.dst) };
  const d = nftServiceDecision(t.dp, nd, text, own);
  if (d?.refused) {
    t.add(w, {
      node: nd.name,
      namespace: 'host',
      device: d.hook ?? (own ? 'OUTPUT' : 'PREROUTING'),
      before: p,
      action: d.refused.action,
      rule: [...d.lines, d.refused.line].filter(Boolean).join('\n'),
      explain: `kube-proxy: ${d.refused.reason}.`,
    });
    return {
      pkt: p,
      masquerade: false,
      ended: t.end(w, d.refused.action === 'reject' ? 'unreachable' : 'dropped', d.refused.reason),
    };
  }
  if (!d?.chosen) return { pkt: p, masquerade: false };
  const to = d.chosen.endpoint;
  const pkt = { ...p, dst: ipOf(to.ip), dport: to.port };
  const odds =
    d.candidates.length > 1
      ? ` Each of the ${d.candidates.length} endpoints had a 1 in ${d.candidates.length} chance; this flow got ${d.chosen.address} (pod ${to.pod} on ${to.node}).`
      : ` Its only endpoint is ${d.chosen.address} (${to.pod} on ${to.node}).`;
  const affinity =
    d.rule.service.sessionAffinityTimeout !== null
      ? ` sessionAffinity ClientIP: the recent-list rules check for this client first; now ${text.src} is on ${d.chosen.sepChain}'s list, so for ${d.rule.service.sessionAffinityTimeout} s its new connections go to the same pod.`
      : '';
  t.add(w, {
    node: nd.name,
    namespace: 'host',
    device: own ? 'OUTPUT (nat)' : 'PREROUTING (nat)',
    before: p,
    after: pkt,
    action: 'dnat',
    rule: d.lines.join('\n'),
    explain: `kube-proxy's rules swap the Service address ${hp(p.dst, p.dport)} (${d.rule.spn}) for a pod: DNAT to ${d.chosen.address}.${odds}${affinity}${d.masquerade ? ` The packet is also marked for masquerade: ${d.masqueradeWhy}.` : ''}`,
  });
  recordNat(w, nd.name, p, pkt);
  w.dnatOn.add(nd.name);
  if (d.masquerade && d.masqueradeRule) w.masqRule = d.masqueradeRule;
  return { pkt, masquerade: d.masquerade };
}
