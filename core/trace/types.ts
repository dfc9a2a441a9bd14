// A traced packet: where it went, what changed it, what decided, and why.
import type { TableName } from '../dataplane/iptablesTable';
import type { AnyRoute } from '../dataplane/anyRoute';
import type { IpAddr } from '../ip/anyIp';

export type Verdict = 'delivered' | 'dropped' | 'unreachable';

/** What a hop did to the packet. */
export type HopAction =
  | 'send'
  | 'bridge'
  | 'receive'
  | 'route'
  | 'dnat'
  | 'snat'
  | 'encapsulate'
  | 'decapsulate'
  | 'deliver'
  | 'refuse'
  | 'drop'
  | 'reject'
  | 'allow'
  | 'un-nat';

/** A packet's addresses, parsed: what the phases hand each other (text only when printed). */
export interface Pkt {
  /** A number for IPv4, a bigint for IPv6 (core/ip/anyIp.ts); both addresses are of one family. */
  src: IpAddr;
  sport: number;
  dst: IpAddr;
  dport: number;
  proto: 'TCP' | 'UDP';
}

/** A rule that matched: its table, chain, position (0-based) and its text as iptables-save prints it. */
export interface Evidence {
  table: TableName;
  chain: string;
  index: number;
  rule: string;
}

/** A place outside the cluster's network namespaces that a hop exchanges the packet with. */
export interface OutsidePeer {
  kind: 'external client' | 'default gateway';
  ip: string;
}

export interface Hop {
  step: number;
  /** Node name, or "external" outside the cluster. */
  node: string;
  /** Network namespace: "pod NS/NAME", "host" (the node's root namespace) or "external". */
  namespace: string;
  device: string;
  /** "IP:PORT" before this hop acted (the JSON shape); `packet` holds the same, parsed. */
  src: string;
  dst: string;
  /** After this hop (differs only when NAT or encapsulation changed it). */
  srcAfter: string;
  dstAfter: string;
  action: HopAction;
  /** The real text that decided: a route line or iptables rules. */
  rule?: string;
  /** One sentence a student understands. */
  explain: string;
  /** Outer header while encapsulated (VXLAN). */
  outer?: { src: string; dst: string; proto: string };
  /** The route that decided, parsed, when the hop routed: `rule` is its text (not part of `trace --json`). */
  routeUsed?: AnyRoute;
  /** The packet before and after this hop, parsed (not part of `trace --json`). */
  packet?: { before: Pkt; after: Pkt };
  /** Every iptables rule that matched at this hop, where it stands (not part of `trace --json`). */
  evidence?: Evidence[];
  /** The packet came into the cluster from this place at this hop (not part of `trace --json`). */
  cameFrom?: OutsidePeer;
  /** The packet leaves the cluster towards this place at this hop (not part of `trace --json`). */
  leavesTo?: OutsidePeer;
}

export interface TraceLeg {
  verdict: Verdict;
  reason: string;
  hops: Hop[];
}

export interface TraceResult extends TraceLeg {
  protocol: 'TCP' | 'UDP';
  /** The DNS lookup that came first, when the destination was a name. */
  dns?: { name: string; answer: string[]; query: TraceLeg };
  reply?: TraceLeg;
  /** conntrack entries the flow created, as `conntrack -L` prints them. */
  conntrack: string[];
}

const IN_MEMORY_ONLY = new Set(['packet', 'evidence', 'cameFrom', 'leavesTo', 'routeUsed']);

/** The fields `trace --json` prints for a hop (DESIGN.md's shape): the parsed extras stay in memory. */
export function traceJson(r: TraceResult): unknown {
  return JSON.parse(JSON.stringify(r, (k, v: unknown) => (IN_MEMORY_ONLY.has(k) ? undefined : v)));
}
