// The chains and rules kube-proxy's iptables mode writes on every node
// whatever its Services (proxier.go syncProxyRules' fixed jumps, KUBE-MARK-MASQ,
// KUBE-POSTROUTING, KUBE-FIREWALL and KUBE-FORWARD), for either family's proxier.
import type { IpFamilyName } from '../ip/anyIp';
import {
  ACCEPT,
  DROP,
  MASQUERADE_FULLY,
  RETURN,
  addr,
  addrtype,
  comment,
  ctstate,
  jump,
  mark,
  rule,
} from './iptablesBuild';
import { renderRule, type Match, type Rule, type Target } from './iptablesRule';
import { Table } from './iptablesTable';

const NODEPORTS_COMMENT = comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain');
export const NODEPORTS_RULE = rule({ matches: [NODEPORTS_COMMENT, addrtype('dst')], target: jump('KUBE-NODEPORTS') });
/** proxier.go: "For IPv6 [localhost NodePorts] never work", so the IPv6 proxier's jump skips ::1. */
const NODEPORTS_RULE6 = rule({
  dst: addr('::1/128', true),
  matches: [NODEPORTS_COMMENT, addrtype('dst')],
  target: jump('KUBE-NODEPORTS'),
});
export const nodePortsRule = (f: IpFamilyName): Rule => (f === 'IPv6' ? NODEPORTS_RULE6 : NODEPORTS_RULE);
export const POSTROUTING_MASQUERADE_RULE: Rule = rule({
  matches: [comment('kubernetes service traffic requiring SNAT')],
  target: MASQUERADE_FULLY,
});
export const NODEPORTS_JUMP = renderRule('KUBE-SERVICES', NODEPORTS_RULE);
export const POSTROUTING_MASQUERADE = renderRule('KUBE-POSTROUTING', POSTROUTING_MASQUERADE_RULE);

/** Only the built-in chains: a node whose kube-proxy does not use iptables. */
export function emptyIptables(): { nat: Table; filter: Table } {
  return {
    nat: new Table('nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']),
    filter: new Table('filter', ['INPUT', 'FORWARD', 'OUTPUT']),
  };
}

const withComment = (text: string, target: Target, ...more: Match[]) =>
  rule({ matches: [comment(text), ...more], target });
const NEW = ctstate(false, 'NEW');

/**
 * The chains and rules kube-proxy writes on every node, whatever its Services. In ip6tables the kubelet writes no
 * KUBE-FIREWALL (kubelet_network_linux.go: "ipv6 doesn't have this issue") and the IPv6 proxier no localnet rule
 * (localhostNodePorts is IPv4 only); kube-proxy still ensures the empty chain and prepends its INPUT/OUTPUT jumps
 * (iptablesKubeletJumpChains), last, so they come first there.
 */
export function writeBaseRules(nat: Table, filter: Table, family: IpFamilyName = 'IPv4'): void {
  const v6 = family === 'IPv6';
  for (const ch of [
    'KUBE-KUBELET-CANARY',
    'KUBE-MARK-MASQ',
    'KUBE-NODEPORTS',
    'KUBE-POSTROUTING',
    'KUBE-PROXY-CANARY',
    'KUBE-SERVICES',
  ])
    nat.chain(ch);
  nat.add('PREROUTING', withComment('kubernetes service portals', jump('KUBE-SERVICES')));
  nat.add('OUTPUT', withComment('kubernetes service portals', jump('KUBE-SERVICES')));
  nat.add('POSTROUTING', withComment('kubernetes postrouting rules', jump('KUBE-POSTROUTING')));
  nat.add('KUBE-MARK-MASQ', rule({ target: { kind: 'MARK', value: 0x4000, mask: 0x4000 } }));
  nat.add('KUBE-POSTROUTING', rule({ matches: [mark(true, 0x4000, 0x4000)], target: RETURN }));
  nat.add('KUBE-POSTROUTING', rule({ target: { kind: 'MARK', value: 0x4000, mask: 0 } }));
  nat.add('KUBE-POSTROUTING', POSTROUTING_MASQUERADE_RULE);

  for (const ch of [
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FIREWALL',
    'KUBE-FORWARD',
    'KUBE-KUBELET-CANARY',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-CANARY',
    'KUBE-PROXY-FIREWALL',
    'KUBE-SERVICES',
  ])
    filter.chain(ch);
  const firewall = rule({
    matches: [NEW, comment('kubernetes load balancer firewall')],
    target: jump('KUBE-PROXY-FIREWALL'),
  });
  const external = rule({
    matches: [NEW, comment('kubernetes externally-visible service portals')],
    target: jump('KUBE-EXTERNAL-SERVICES'),
  });
  const portals = rule({ matches: [NEW, comment('kubernetes service portals')], target: jump('KUBE-SERVICES') });
  const kubeletFirewall = rule({ target: jump('KUBE-FIREWALL') });
  if (v6) filter.add('INPUT', kubeletFirewall);
  filter.add('INPUT', firewall);
  filter.add('INPUT', withComment('kubernetes health check service ports', jump('KUBE-NODEPORTS')));
  filter.add('INPUT', external);
  if (!v6) filter.add('INPUT', kubeletFirewall);
  filter.add('FORWARD', firewall);
  filter.add('FORWARD', withComment('kubernetes forwarding rules', jump('KUBE-FORWARD')));
  filter.add('FORWARD', portals);
  filter.add('FORWARD', external);
  if (v6) filter.add('OUTPUT', kubeletFirewall);
  filter.add('OUTPUT', firewall);
  filter.add('OUTPUT', portals);
  if (!v6) filter.add('OUTPUT', kubeletFirewall);
  if (!v6)
    filter.add(
      'KUBE-FIREWALL',
      rule({
        src: addr('127.0.0.0/8', true),
        dst: addr('127.0.0.0/8'),
        matches: [comment('block incoming localnet connections'), ctstate(true, 'RELATED', 'ESTABLISHED', 'DNAT')],
        target: DROP,
      }),
    );
  filter.add('KUBE-FORWARD', rule({ matches: [ctstate(false, 'INVALID')], target: DROP }));
  filter.add('KUBE-FORWARD', withComment('kubernetes forwarding rules', ACCEPT, mark(false, 0x4000, 0x4000)));
  filter.add(
    'KUBE-FORWARD',
    withComment('kubernetes forwarding conntrack rule', ACCEPT, ctstate(false, 'RELATED', 'ESTABLISHED')),
  );
}
