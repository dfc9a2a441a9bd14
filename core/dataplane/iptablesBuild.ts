// Small constructors for the rules kube-proxy and flannel write, so the
// writers read like the iptables command lines they stand for.
import { parseAny, parseAnyCidr, type AnyCidr, type IpFamilyName } from '../ip/anyIp';
import type { AddrMatch, CtState, IptProto, Match, Rule, Target } from './iptablesRule';

/** A CIDR or an address (as /32 or /128) of either family that we computed ourselves: always valid. */
export function cidr(text: string): AnyCidr {
  const c = parseAnyCidr(text);
  if (!c.ok) throw new Error(`internal: bad CIDR ${text}`);
  return c.value;
}

export const addr = (text: string, negate = false): AddrMatch => ({ cidr: cidr(text), negate });
export const comment = (text: string): Match => ({ kind: 'comment', text });
export const port = (proto: IptProto, dport?: number): Match =>
  dport === undefined ? { kind: 'port', proto } : { kind: 'port', proto, dport };
export const ctstate = (negate: boolean, ...states: CtState[]): Match => ({ kind: 'conntrack', negate, states });
export const addrtype = (side: 'src' | 'dst'): Match => ({ kind: 'addrtype', side, negate: false, type: 'LOCAL' });
export const mark = (negate: boolean, value: number, mask: number): Match => ({ kind: 'mark', negate, value, mask });
export const statistic = (text: string): Match => ({ kind: 'statistic', probability: Number(text), text });

export const jump = (chain: string): Target => ({ kind: 'jump', chain });
export const ACCEPT: Target = { kind: 'ACCEPT' };
export const DROP: Target = { kind: 'DROP' };
export const RETURN: Target = { kind: 'RETURN' };
export const REJECT: Target = { kind: 'REJECT', rejectWith: 'icmp-port-unreachable' };
/** ip6tables' REJECT: the same rule, answered with ICMPv6 (libip6t_REJECT's default). */
export const REJECT6: Target = { kind: 'REJECT', rejectWith: 'icmp6-port-unreachable' };
export const rejectFor = (f: IpFamilyName): Target => (f === 'IPv6' ? REJECT6 : REJECT);
export const MASQUERADE_FULLY: Target = { kind: 'MASQUERADE', randomFully: true };

/** DNAT to "ip:port" (either family). */
export function dnat(ip: string, port: number): Target {
  const p = parseAny(ip);
  if (!p.ok) throw new Error(`internal: bad IP ${ip}`);
  return { kind: 'DNAT', ip: p.value, port };
}

export function rule(r: Partial<Omit<Rule, 'target'>> & { target: Target }): Rule {
  return { matches: [], ...r };
}
