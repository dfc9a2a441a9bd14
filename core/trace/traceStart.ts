// Where a traced packet starts: in a pod's namespace, in a node's root namespace (its own packets take
// the route's preferred source), or outside the cluster, arriving on the eth0 of the node it is for.
import { familyOf, formatAny, parseAny, type IpAddr } from '../ip/anyIp';
import { sourceAddressFor } from '../dataplane/devices';
import type { Walk } from './hostStack';
import { nodeIp } from '../api/familyFields';
import { byIp, type Endpoint } from './refs';
import { senderSettles } from './specialAddresses';
import type { Tracer } from './tracer';
import type { Pkt } from './types';

const ipOf = (s: string | undefined): IpAddr => {
  const p = s === undefined ? undefined : parseAny(s);
  return p?.ok ? p.value : 0;
};

/** Starts a packet wherever its source lives. */
export function start(t: Tracer, w: Walk, from: Endpoint, sent: Pkt): Walk {
  const dp = t.dp;
  const settled = senderSettles(t, w, from, sent);
  if (settled.walk) return settled.walk;
  const p = settled.pkt;
  // A hostNetwork pod has no namespace of its own: its packets are its node's (nat and filter OUTPUT).
  if (from.kind === 'pod' && !from.pod.hostNetwork) return t.fromPod(w, from.pod, p);
  if (from.kind === 'node' || from.kind === 'pod') {
    const nd = from.node;
    const who =
      from.kind === 'pod'
        ? `hostNetwork pod ${from.pod.namespace}/${from.pod.name}, a process in ${nd.name}'s root namespace,`
        : `${nd.name} itself (a process in its root namespace)`;
    const k = dp.kernel(nd.name)!;
    // The node's own packets take the route's preferred source, else the outgoing device's address
    // (flannel.1 holds the node's PodCIDR network address); a local destination is its own source.
    const r = k.isLocal(p.dst) ? undefined : k.route(p.dst);
    const self = ipOf(nodeIp(nd, familyOf(p.dst)) ?? nd.ip);
    const src = k.isLocal(p.dst) ? p.dst : r ? ipOf(sourceAddressFor(nd, r)) : self;
    const pkt = { ...p, src: byIp(dp.cluster, formatAny(p.dst)).kind === 'service' ? self : src };
    if (p === sent)
      t.add(w, {
        node: nd.name,
        namespace: 'host',
        device: 'OUTPUT',
        before: pkt,
        action: 'send',
        explain: `${who} sends the packet from ${formatAny(pkt.src)}.`,
      });
    return t.inNode(w, nd, pkt, true);
  }
  // An external client: its packet arrives on the eth0 of the node it is addressed to.
  const target = byIp(dp.cluster, formatAny(p.dst));
  if (target.kind !== 'node') {
    t.add(w, {
      node: 'external',
      namespace: 'external',
      device: '-',
      before: p,
      action: 'drop',
      explain: `${formatAny(p.dst)} is not reachable from outside: only node addresses (NodePorts) are; pod and Service addresses are internal to the cluster.`,
    });
    return t.end(
      w,
      'unreachable',
      `${formatAny(p.dst)} is not routable from outside the cluster; use a NodePort on a node address`,
    );
  }
  t.add(w, {
    node: target.node.name,
    namespace: 'host',
    device: 'eth0',
    before: p,
    action: 'receive',
    cameFrom: { kind: 'external client', ip: formatAny(p.src) },
    explain: `The client's packet arrives on ${target.node.name}'s eth0.`,
  });
  return t.inNode(w, target.node, p, false);
}
