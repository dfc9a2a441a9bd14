// Destinations the sender's own kernel settles before any route or rule:
// 0.0.0.0 means this host (ip_route_output_key_hash: a zero daddr becomes the
// loopback address), 255.255.255.255 is the limited broadcast (connect() and
// sendto() refuse it), and 127.0.0.0/8 or a pod's own address stays in the
// pod's namespace. Checked against the kernel in a network namespace:
// connect(0.0.0.0) -> 127.0.0.1, TCP to 255.255.255.255 -> ENETUNREACH, UDP
// without SO_BROADCAST -> EACCES.
import { parseIp } from '../ip/cidr';
import { familyOf, formatAny, isIp6 } from '../ip/anyIp';
import { icmpName, isLoopbackAny } from './family';
import { podIp } from '../api/familyFields';
import { hp } from './ruleHops';
import type { RealizedPod } from '../api/types';
import type { Endpoint } from './refs';
import type { Tracer } from './tracer';
import type { Walk } from './walkState';
import type { Pkt } from './types';

const LOOPBACK = (parseIp('127.0.0.1') as { ok: true; value: number }).value;
const BROADCAST = 0xffffffff;

/** Rewrites or settles the packet in the sender's own stack; undefined when it goes on as usual. */
export function senderSettles(t: Tracer, w: Walk, from: Endpoint, p: Pkt): { walk?: Walk; pkt: Pkt } {
  if (from.kind !== 'pod' && from.kind !== 'node') return { pkt: p };
  const node = from.kind === 'pod' ? from.pod.node! : from.node.name;
  // A hostNetwork pod sends from its node's root namespace: its loopback is the node's.
  const ownNamespace = from.kind === 'pod' && !from.pod.hostNetwork;
  const namespace = ownNamespace ? `pod ${from.pod.namespace}/${from.pod.name}` : 'host';
  if (p.dst === BROADCAST) {
    const reason =
      p.proto === 'TCP'
        ? 'TCP cannot connect to the limited broadcast address 255.255.255.255: connect() fails with "Network is unreachable" (ENETUNREACH)'
        : 'sendto(255.255.255.255) fails with "Permission denied" (EACCES) unless the socket sets SO_BROADCAST; even then the datagram only reaches the local link and is never routed';
    t.add(w, { node, namespace, device: 'eth0', before: p, action: 'drop', explain: `${reason}.` });
    return { walk: t.end(w, 'unreachable', reason), pkt: p };
  }
  // IPv6's :: likewise means this host: tcp_v6_connect and udpv6 turn it into ::1.
  if (p.dst === 0 || p.dst === 0n) {
    const lo = isIp6(p.dst) ? 1n : LOOPBACK;
    const pkt = { ...p, src: lo, dst: lo };
    t.add(w, {
      node,
      namespace,
      device: 'lo',
      before: p,
      after: pkt,
      action: 'send',
      explain: `${formatAny(p.dst)} as a destination means this host: the kernel sends the packet to ${formatAny(lo)} over lo.`,
    });
    if (!ownNamespace) return { pkt };
    return { walk: deliverInPod(t, w, from.pod, namespace, pkt), pkt };
  }
  if (ownNamespace && (isLoopbackAny(p.dst) || formatAny(p.dst) === podIp(from.pod, familyOf(p.dst)))) {
    const pkt = isLoopbackAny(p.dst) ? { ...p, src: p.dst } : p;
    return { walk: deliverInPod(t, w, from.pod, namespace, pkt), pkt };
  }
  return { pkt: p };
}

function deliverInPod(t: Tracer, w: Walk, pod: RealizedPod, namespace: string, p: Pkt): Walk {
  // What the pod declares listens on all its addresses, loopback included.
  const listens =
    pod.ports.length === 0 || pod.ports.some((x) => x.containerPort === p.dport && x.protocol === p.proto);
  const at = hp(p.dst, p.dport);
  t.add(w, {
    node: pod.node!,
    namespace,
    device: 'lo',
    before: p,
    action: listens ? 'deliver' : 'refuse',
    explain: listens
      ? `${formatAny(p.dst)} is the pod's own address: the packet never leaves its network namespace.`
      : `${formatAny(p.dst)} is the pod's own address, but nothing listens on ${p.proto} ${p.dport} there: ${p.proto === 'TCP' ? 'the kernel answers with a TCP reset' : `the kernel answers with ${icmpName(p.dst)} port unreachable`}.`,
  });
  return listens
    ? t.end(w, 'delivered', `delivered inside ${namespace} at ${at}`)
    : t.end(w, 'unreachable', `connection refused: ${namespace} does not listen on ${p.proto} ${p.dport}`);
}
