// A traced packet: where it went, what changed it, what decided, and why.
export type Verdict = 'delivered' | 'dropped' | 'unreachable';

export interface Hop {
  step: number;
  /** Node name, or "external" outside the cluster. */
  node: string;
  /** Network namespace: "pod NS/NAME", "host" (the node's root namespace) or "external". */
  namespace: string;
  device: string;
  /** "IP:PORT" before this hop acted. */
  src: string;
  dst: string;
  /** After this hop (differs only when NAT or encapsulation changed it). */
  srcAfter: string;
  dstAfter: string;
  /** What happened: send, route, dnat, snat, bridge, encapsulate, decapsulate, deliver, drop, reject, ... */
  action: string;
  /** The real text that decided: a route line or an iptables rule. */
  rule?: string;
  /** One sentence a student understands. */
  explain: string;
  /** Outer header while encapsulated (VXLAN). */
  outer?: { src: string; dst: string; proto: string };
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
