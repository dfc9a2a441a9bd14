// What `traceroute -n` prints for a traced packet: one line per router (each
// node that forwards it), then the destination. A router answers with an ICMP
// "time exceeded" whose source address is the one its route back to the sender
// prefers (icmp_errors_use_inbound_ifaddr=0, the kernel default).
import { formatAny } from '../ip/anyIp';
import { sourceAddressFor } from '../dataplane/devices';
import type { Dataplane } from '../dataplane/dataplane';
import type { TraceLeg } from './types';

/** Hop actions that mean the node's IP layer forwarded the packet (and decremented its TTL). */
const ROUTING = new Set(['route', 'encapsulate', 'dnat', 'snat']);

/**
 * The hop addresses traceroute prints, in order; the last is the destination.
 * Empty when the packet never reached its destination's stack (a refused port
 * counts as reached: that is how traceroute's last probe is answered).
 */
export function tracerouteHops(dp: Dataplane, leg: TraceLeg): string[] {
  const last = leg.hops[leg.hops.length - 1];
  const first = leg.hops[0];
  if (!first || !last || !(leg.verdict === 'delivered' || last.action === 'refuse')) return [];
  if (!first.packet || !last.packet) return [];
  const sender = first.packet.before.src;
  // Routers: nodes whose root namespace routes the packet (bridging between two pods on one node is not a hop),
  // other than the sender's own stack.
  const routers: string[] = [];
  for (const h of leg.hops) {
    if (h.namespace !== 'host' || h.node === 'external' || !ROUTING.has(h.action)) continue;
    if (first.namespace === 'host' && h.node === first.node) continue;
    if (routers[routers.length - 1] !== h.node) routers.push(h.node);
  }
  const out: string[] = [];
  for (const name of routers) {
    const node = dp.nodeByName(name)!;
    const back = dp.routeFor(node, sender);
    if (back) out.push(sourceAddressFor(node, back));
  }
  out.push(formatAny(last.packet.after.dst));
  return out;
}
