// One iptables rule as data: the matches and the target that `iptables-save`
// prints, in its canonical order (-s, -d, -i, -o, -p, then each -m module in
// the order it was added, then -j). The tracer walks these; the text is only
// printed from them.
import { formatAnyCidr, formatHostPort, formatAny, type AnyCidr, type IpAddr } from '../ip/anyIp';

export type IptProto = 'tcp' | 'udp';
export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED' | 'SNAT' | 'DNAT';

export interface AddrMatch {
  /** An IPv4 CIDR in iptables' tables, an IPv6 one in ip6tables'. */
  cidr: AnyCidr;
  negate: boolean;
}

export type Match =
  | { kind: 'comment'; text: string }
  /** `-m tcp [--dport N] [--sport N]`. */
  | { kind: 'port'; proto: IptProto; dport?: number; sport?: number }
  | { kind: 'addrtype'; side: 'src' | 'dst'; negate: boolean; type: 'LOCAL' }
  | { kind: 'mark'; negate: boolean; value: number; mask: number }
  /** `-m statistic --mode random --probability P`; `text` keeps the printed digits. */
  | { kind: 'statistic'; probability: number; text: string }
  | {
      kind: 'recent';
      op: 'rcheck' | 'set';
      seconds?: number;
      reap: boolean;
      name: string;
      mask: string;
    }
  | { kind: 'conntrack'; negate: boolean; states: CtState[] };

export type Target =
  | { kind: 'jump'; chain: string }
  | { kind: 'RETURN' }
  | { kind: 'ACCEPT' }
  | { kind: 'DROP' }
  | { kind: 'REJECT'; rejectWith: string }
  | { kind: 'DNAT'; ip: IpAddr; port?: number }
  | { kind: 'MASQUERADE'; randomFully: boolean }
  /** `--set-xmark value/mask`, which --or-mark / --xor-mark / --set-mark are printed as. */
  | { kind: 'MARK'; value: number; mask: number };

export interface Rule {
  src?: AddrMatch;
  dst?: AddrMatch;
  inIface?: { name: string; negate: boolean };
  outIface?: { name: string; negate: boolean };
  proto?: IptProto;
  matches: Match[];
  target: Target;
}

const hex = (n: number) => `0x${n.toString(16)}`;
const neg = (n: boolean) => (n ? '! ' : '');
/** iptables-save quotes a comment and escapes its quotes and backslashes. */
export const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function renderMatch(m: Match): string {
  switch (m.kind) {
    case 'comment':
      return `-m comment --comment ${quote(m.text)}`;
    case 'port':
      return `-m ${m.proto}${m.sport !== undefined ? ` --sport ${m.sport}` : ''}${m.dport !== undefined ? ` --dport ${m.dport}` : ''}`;
    case 'addrtype':
      return `-m addrtype ${neg(m.negate)}--${m.side}-type ${m.type}`;
    case 'mark':
      return `-m mark ${neg(m.negate)}--mark ${hex(m.value)}/${hex(m.mask)}`;
    case 'statistic':
      return `-m statistic --mode random --probability ${m.text}`;
    case 'recent':
      return `-m recent --${m.op}${m.seconds !== undefined ? ` --seconds ${m.seconds}` : ''}${m.reap ? ' --reap' : ''} --name ${m.name} --mask ${m.mask} --rsource`;
    case 'conntrack':
      return `-m conntrack ${neg(m.negate)}--ctstate ${m.states.join(',')}`;
  }
}

export function renderTarget(t: Target): string {
  switch (t.kind) {
    case 'jump':
      return `-j ${t.chain}`;
    case 'REJECT':
      return `-j REJECT --reject-with ${t.rejectWith}`;
    case 'DNAT':
      return `-j DNAT --to-destination ${t.port !== undefined ? formatHostPort(t.ip, t.port) : formatAny(t.ip)}`;
    case 'MASQUERADE':
      return `-j MASQUERADE${t.randomFully ? ' --random-fully' : ''}`;
    case 'MARK':
      return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    default:
      return `-j ${t.kind}`;
  }
}

/** The rule's text after `-A CHAIN `, as iptables-save prints it. */
export function renderRuleBody(r: Rule): string {
  const parts: string[] = [];
  if (r.src) parts.push(`${neg(r.src.negate)}-s ${formatAnyCidr(r.src.cidr)}`);
  if (r.dst) parts.push(`${neg(r.dst.negate)}-d ${formatAnyCidr(r.dst.cidr)}`);
  if (r.inIface) parts.push(`${neg(r.inIface.negate)}-i ${r.inIface.name}`);
  if (r.outIface) parts.push(`${neg(r.outIface.negate)}-o ${r.outIface.name}`);
  if (r.proto) parts.push(`-p ${r.proto}`);
  for (const m of r.matches) parts.push(renderMatch(m));
  parts.push(renderTarget(r.target));
  return parts.join(' ');
}

export const renderRule = (chain: string, r: Rule) => `-A ${chain} ${renderRuleBody(r)}`;

/** The first comment of a rule, if it has one (kube-proxy names the Service port there). */
export const ruleComment = (r: Rule): string | undefined =>
  (r.matches.find((m) => m.kind === 'comment') as { text: string } | undefined)?.text;
