// Turns what the iptables walk found into hops a student reads: the rules
// that matched become the hop's evidence, the rewrite or verdict its action,
// and the explanation names the Service, endpoint and reason from the rules
// themselves (their comments, chains and targets), never from a second
// decision over the Service objects.
import { formatAny, formatHostPort, isIp6, type IpAddr } from '../ip/anyIp';
import type { Dataplane } from '../dataplane/dataplane';
import { renderRule, ruleComment } from '../dataplane/iptablesRule';
import { clusterIpKey, nodePortKey } from '../dataplane/serviceRules';
import type { HookResult, RuleRef } from './iptablesWalk';
import { byIp } from './refs';
import type { Evidence, Pkt } from './types';

/** "IP:PORT", or "[IPv6]:PORT" as ip6tables, conntrack and kube-proxy users write it. */
export const hp = (ip: IpAddr, port: number) => formatHostPort(ip, port);

/** The matched rules as evidence. A long chain's position is counted only when read (a scan of 10,000 Services). */
export const evidenceOf = (refs: RuleRef[]): Evidence[] => refs.map(lazyEvidence);

const REF = Symbol('rule ref');
type WithRef = Evidence & { [REF]: RuleRef };
// Shared getters (no closure per rule): a trace cites many rules and few are read.
const indexGetter = {
  get: function (this: WithRef) {
    return this[REF].at.index;
  },
  enumerable: true,
};
const ruleGetter = {
  get: function (this: WithRef) {
    return renderRule(this[REF].chain, this[REF].at.rule);
  },
  enumerable: true,
};

function lazyEvidence(r: RuleRef): Evidence {
  const e = { table: r.table, chain: r.chain } as WithRef;
  Object.defineProperty(e, REF, { value: r });
  Object.defineProperty(e, 'index', indexGetter);
  Object.defineProperty(e, 'rule', ruleGetter);
  return e;
}

const BUILTIN = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/** The rules a hop prints: the Service's own chains, not the hook's entry jumps or KUBE-MARK-MASQ's MARK. */
export function shownRules(refs: RuleRef[]): string {
  return refs
    .filter((r) => !BUILTIN.has(r.chain) && r.at.rule.target.kind !== 'MARK')
    .map((r) => renderRule(r.chain, r.at.rule))
    .join('\n');
}

/** Why the packet was marked for masquerade, from the rule that jumped to KUBE-MARK-MASQ. */
function masqueradeWhy(by: RuleRef, before: Pkt, own: boolean): string {
  const c = ruleComment(by.at.rule) ?? '';
  if (by.chain.startsWith('KUBE-SEP-'))
    return 'hairpin: the pod reached itself through its Service, so the source is rewritten to the bridge address';
  if (by.chain.startsWith('KUBE-EXT-') && c.startsWith('masquerade LOCAL traffic'))
    return "externalTrafficPolicy Local does not bind the node's own traffic: it is masqueraded and may go to any endpoint";
  if (by.chain.startsWith('KUBE-EXT-'))
    return 'externalTrafficPolicy Cluster: the endpoint may be on another node, so the reply must come back here';
  if (by.at.rule.src?.negate)
    return `the source ${formatAny(before.src)} is outside the cluster CIDR${own ? ' (the node itself)' : ''}`;
  return `${renderRule(by.chain, by.at.rule)} marks it`;
}

/** The endpoint a DNAT picked, named as kube-proxy's Endpoints list it (pod and node): the packet's family's proxier's. */
function endpointName(dp: Dataplane, before: Pkt, after: Pkt): { pod: string; node: string } | undefined {
  const index = isIp6(before.dst) ? dp.services6() : dp.services;
  const rule =
    index?.byClusterIp.get(clusterIpKey(formatAny(before.dst), before.proto, before.dport)) ??
    index?.byNodePort.get(nodePortKey(before.proto, before.dport));
  const ip = formatAny(after.dst);
  const e = rule?.endpoints.find((x) => x.endpoint.ip === ip && x.endpoint.port === after.dport)?.endpoint;
  if (e) return { pod: e.pod, node: e.node };
  const at = byIp(dp.cluster, ip);
  return at.kind === 'pod' ? { pod: at.pod.name, node: at.node.name } : undefined;
}

/** The sentence under a DNAT hop. */
export function dnatExplain(dp: Dataplane, res: HookResult, before: Pkt, own: boolean): string {
  const dnat = res.decisive!;
  const spn = ruleComment(dnat.at.rule) ?? dnat.chain;
  const to = hp(res.packet.dst, res.packet.dport);
  const who = endpointName(dp, before, res.packet);
  const named = who ? `pod ${who.pod} on ${who.node}` : to;
  const n = res.ladder?.size ?? 1;
  const odds =
    n > 1
      ? ` Each of the ${n} endpoints had a 1 in ${n} chance; this flow got ${to} (${named}).`
      : ` Its only endpoint is ${to} (${who ? `${who.pod} on ${who.node}` : to}).`;
  const affinity =
    res.affinity && res.affinity.seconds !== undefined
      ? ` sessionAffinity ClientIP: the recent-list rules check for this client first; now ${formatAny(before.src)} is on ${res.affinity.name}'s list, so for ${res.affinity.seconds} s its new connections go to the same pod.`
      : '';
  const masq = res.markedBy
    ? ` The packet is also marked for masquerade: ${masqueradeWhy(res.markedBy, before, own)}.`
    : '';
  return `kube-proxy's rules swap the Service address ${hp(before.dst, before.dport)} (${spn}) for a pod: DNAT to ${to}.${odds}${affinity}${masq}`;
}

/** A filter-table verdict: the reason, from the rule's comment (kube-proxy says why in it). */
export function verdictReason(ref: RuleRef, node: string, six = false): string {
  const c = ruleComment(ref.at.rule) ?? '';
  const t = ref.at.rule.target.kind;
  const local = / has no local endpoints$/.exec(c);
  if (local)
    return `${c.slice(0, local.index)} has no local endpoints on ${node} and its traffic policy is Local, so the packet is dropped`;
  const none = / has no endpoints$/.exec(c);
  if (none && t === 'REJECT')
    return `${c.slice(0, none.index)} has no endpoints: no running pod matches the Service's selector, so kube-proxy rejects the connection (${six ? 'icmp6-port-unreachable' : 'icmp-port-unreachable'})`;
  return `${ref.chain} ${t === 'REJECT' ? 'rejects' : 'drops'} the packet (rule ${ref.at.index + 1} of ${ref.table} ${ref.chain}${c ? `: "${c}"` : ''})`;
}
