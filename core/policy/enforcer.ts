// Who enforces NetworkPolicy on a node. flannel (host-gw and vxlan, the data planes
// modelled here) enforces none; the explorer models kube-network-policies
// (sigs.k8s.io/kube-network-policies) running beside it with its command-line
// defaults (--nfqueue-id 100, --fail-open false, --netfilter-bug-1766-fix true).
// Its nftables table only picks packets: the first packet of each new connection
// to or from a local pod that a policy selects is queued to userspace, where the
// controller judges egress of the source and ingress of the destination
// (evaluatePacket) and drops or accepts it. kind's kindnet embeds the same
// enforcer as table "kindnet-network-policies" with queue 102 and fail-open.
// Table shape: pkg/dataplane/controller.go and its controller_test.go expected `nft list`.
import { podIp } from '../api/familyFields';
import { matchesSelector } from '../api/labels';
import type { RealizedCluster } from '../api/types';

export const ENFORCER_TABLE = 'kube-network-policies';
const QUEUE = 'queue to 100';

export interface EnforcerChain {
  name: 'postrouting' | 'prerouting';
  head: string;
  rules: string[];
}

/** What kube-network-policies holds on one node. */
export interface EnforcerTable {
  /** Local pods some NetworkPolicy selects (getLocalPodsForNetworkPolicy): the podips-v4 set. */
  podIps: string[];
  /** The same pods' IPv6 addresses in a dual-stack cluster (ManagedIPs takes every status.podIPs entry): podips-v6. */
  podIps6: string[];
  chains: EnforcerChain[];
}

const queueRules = [
  `ip saddr @podips-v4 ${QUEUE}`,
  `ip daddr @podips-v4 ${QUEUE}`,
  `ip6 saddr @podips-v6 ${QUEUE}`,
  `ip6 daddr @podips-v6 ${QUEUE}`,
];

export function policyEnforcerTable(c: RealizedCluster, node: string): EnforcerTable {
  const ips = new Set<string>();
  const ips6 = new Set<string>();
  for (const n of c.nodes) {
    if (n.name !== node) continue;
    for (const p of n.pods) {
      if (!p.ip || p.hostNetwork) continue;
      const selected = c.policies.some(
        (pol) =>
          pol.namespace === p.namespace && pol.policyTypes.length > 0 && matchesSelector(pol.podSelector, p.labels),
      );
      if (!selected) continue;
      // Each address in its family's set, whichever is primary (an IPv6 single-stack pod's is in podips-v6 only).
      const v4 = podIp(p, 'IPv4');
      if (v4 !== undefined) ips.add(v4);
      const v6 = podIp(p, 'IPv6');
      if (v6 !== undefined) ips6.add(v6);
    }
  }
  return {
    podIps: [...ips],
    podIps6: [...ips6],
    chains: [
      {
        // Forwarded and local traffic is judged here, before SNAT, so the controller sees pod addresses.
        name: 'postrouting',
        head: 'type filter hook postrouting priority srcnat - 5; policy accept;',
        rules: [
          'udp dport 53 accept',
          ...['router-solicit', 'router-advert', 'neighbor-solicit', 'neighbor-advert', 'redirect'].map(
            (t) => `icmpv6 type nd-${t} accept`,
          ),
          'meta skuid 0 accept',
          'ct state established,related accept',
          ...queueRules,
        ],
      },
      {
        // DNS over UDP is judged after DNAT on the way in (netfilter bug 1766: a conntrack race on UDP).
        name: 'prerouting',
        head: 'type filter hook prerouting priority dstnat + 5; policy accept;',
        rules: ['meta l4proto != udp accept', 'udp dport != 53 accept', ...queueRules],
      },
    ],
  };
}

/** The table as `nft list table inet kube-network-policies` prints it. */
export function renderEnforcerTable(t: EnforcerTable): string {
  const L = [`table inet ${ENFORCER_TABLE} {`, '\tset podips-v4 {', '\t\ttype ipv4_addr'];
  if (t.podIps.length) L.push(`\t\telements = { ${t.podIps.join(', ')} }`);
  L.push('\t}', '', '\tset podips-v6 {', '\t\ttype ipv6_addr');
  if (t.podIps6.length) L.push(`\t\telements = { ${t.podIps6.join(', ')} }`);
  L.push('\t}', '');
  t.chains.forEach((ch, i) => {
    L.push(`\tchain ${ch.name} {`, `\t\t${ch.head}`, ...ch.rules.map((r) => `\t\t${r}`), '\t}');
    if (i < t.chains.length - 1) L.push('');
  });
  L.push('}');
  return `${L.join('\n')}\n`;
}

export interface EnforcerPacket {
  src: string;
  dst: string;
  proto: 'TCP' | 'UDP';
  dport: number;
  /** Sent by a root process of this node (meta skuid 0), not forwarded. */
  fromRootOfNode: boolean;
}

export interface EnforcerMatch {
  chain: EnforcerChain['name'];
  /** 1-based position in the chain, as `nft -a` would number it from the top. */
  position: number;
  rule: string;
  /** The set element that matched, for a queue rule. */
  element?: string;
  /** queue: the controller in userspace decides; accept: the packet passes unjudged. */
  verdict: 'queue' | 'accept';
}

/**
 * The first rule of one chain a new connection's first packet matches; undefined
 * when none does (the chain's policy accept). An `ip` rule sees only IPv4 packets and
 * an `ip6` rule only IPv6 ones (an address with a colon), as in an inet table.
 */
export function enforcerRule(
  t: EnforcerTable,
  chain: EnforcerChain['name'],
  p: EnforcerPacket,
): EnforcerMatch | undefined {
  const rules = t.chains.find((c) => c.name === chain)!.rules;
  const local = new Set(t.podIps);
  const local6 = new Set(t.podIps6);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const at = { chain, position: i + 1, rule };
    if (rule === 'udp dport 53 accept' && p.proto === 'UDP' && p.dport === 53) return { ...at, verdict: 'accept' };
    if (rule === 'meta l4proto != udp accept' && p.proto !== 'UDP') return { ...at, verdict: 'accept' };
    if (rule === 'udp dport != 53 accept' && p.proto === 'UDP' && p.dport !== 53) return { ...at, verdict: 'accept' };
    if (rule === 'meta skuid 0 accept' && p.fromRootOfNode) return { ...at, verdict: 'accept' };
    if (rule.startsWith('ip saddr @podips-v4') && local.has(p.src)) return { ...at, element: p.src, verdict: 'queue' };
    if (rule.startsWith('ip daddr @podips-v4') && local.has(p.dst)) return { ...at, element: p.dst, verdict: 'queue' };
    if (rule.startsWith('ip6 saddr @podips-v6') && local6.has(p.src))
      return { ...at, element: p.src, verdict: 'queue' };
    if (rule.startsWith('ip6 daddr @podips-v6') && local6.has(p.dst))
      return { ...at, element: p.dst, verdict: 'queue' };
  }
  return undefined;
}
