// The shapes a Service decision hands the tracer: the packet as text (the nftables walker's
// input) and what kube-proxy's table decided for it. iptables mode walks its rules in
// hostStack.ts; nftables mode's table is walked in nftablesWalk.ts.
import type { EndpointRule, ServicePortRule } from '../dataplane/serviceRules';

export interface Pkt {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  proto: 'TCP' | 'UDP';
}

export interface ServiceDecision {
  rule: ServicePortRule;
  /** The chain of rules the packet walked, as iptables-save prints them. */
  lines: string[];
  chosen?: EndpointRule;
  /** Candidates with the probability each had of being picked. */
  candidates: { address: string; node: string; chance: number }[];
  /** Marked for masquerade (KUBE-MARK-MASQ). */
  masquerade: boolean;
  /** Why masquerade was marked, when it was. */
  masqueradeWhy?: string;
  /** No endpoints (REJECT) or no local endpoints (DROP). */
  refused?: { action: 'reject' | 'drop'; line: string; reason: string };
}
