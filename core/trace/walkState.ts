// The state of one traced leg, and what the node stack needs of the tracer:
// shared by the tracer, the host stack and the nftables-mode NAT step.
import type { Dataplane } from '../dataplane/dataplane';
import type { AnyRoute } from '../dataplane/anyRoute';
import type { IpAddr } from '../ip/anyIp';
import type { RealizedNode, RealizedPod } from '../api/types';
import type { Evidence, Hop, Pkt, Verdict } from './types';

export interface NatRecord {
  node: string;
  /** The packet as it reached this node, and as it left it. */
  orig: Pkt;
  now: Pkt;
}

export interface Walk {
  hops: Hop[];
  verdict?: Verdict;
  reason?: string;
  /** NAT applied, one record per node that rewrote the packet (its conntrack entry), in order. */
  nats: NatRecord[];
  delivered?: { pod?: RealizedPod; node: RealizedNode };
  /** The reply of a tracked connection: conntrack handles it, the nat table is not consulted. */
  reply?: boolean;
  /** xt_recent lists for this trace (sessionAffinity). */
  recent: Map<string, Set<IpAddr>>;
  /** Nodes whose conntrack DNATed this flow. */
  dnatOn: Set<string>;
  /** The packet as it last stood (after the last hop that changed it). */
  last?: Pkt;
  /** Rules matched by a walk that made no hop of its own (an ACCEPT, a RETURN): the next hop cites them. */
  pending?: Evidence[];
}

export type HopInput = Omit<Hop, 'step' | 'srcAfter' | 'dstAfter' | 'src' | 'dst' | 'packet'> & {
  before: Pkt;
  after?: Pkt;
  /** Route hops have always printed their device after the addresses in `trace --json`. */
  deviceAfterAddresses?: boolean;
};

/** What the host stack needs of the tracer: adding hops, ending a walk, and the next steps. */
export interface HostContext {
  dp: Dataplane;
  add(w: Walk, h: HopInput): void;
  end(w: Walk, verdict: Verdict, reason: string): Walk;
  deliverNode(w: Walk, nd: RealizedNode, p: Pkt): Walk;
  route(w: Walk, nd: RealizedNode, p: Pkt, r: AnyRoute): Walk;
  /** In the cluster CIDR (the pod network)? */
  inPodNetwork(ip: IpAddr): boolean;
}

export function recordNat(w: Walk, node: string, before: Pkt, after: Pkt): void {
  const last = w.nats[w.nats.length - 1];
  if (last && last.node === node) last.now = after;
  else w.nats.push({ node, orig: before, now: after });
}
