// The routing decision's hop: the route a node's main table chose (IPv4 `ip route` or IPv6 `ip -6 route`)
// sends the packet onto cni0, over the underlay to the next node, into the VXLAN overlay (flannel.1 or
// flannel-v6.1), out of the cluster through the default gateway, or nowhere.
import { familyOf, formatAny, parseAnyCidr, type IpAddr } from '../ip/anyIp';
import type { Dataplane } from '../dataplane/dataplane';
import { onLinkRoute, renderAnyRoute, type AnyRoute } from '../dataplane/anyRoute';
import type { RealizedNode } from '../api/types';
import { isVxlanDevice } from './family';
import { nodeIp, nodePodCidr } from '../api/familyFields';
import { byIp } from './refs';
import type { HostContext, Walk } from './walkState';
import type { Pkt } from './types';

/** What the route hop needs of the tracer beyond the host stack's: the next steps. */
export interface RouteContext extends HostContext {
  deliverLocal(w: Walk, nd: RealizedNode, p: Pkt): Walk;
  inNode(w: Walk, nd: RealizedNode, p: Pkt, own: boolean): Walk;
}

const ip = (n: IpAddr) => formatAny(n);

const vteps = new WeakMap<Dataplane['cluster'], Map<IpAddr, RealizedNode>>();
/** The node whose flannel.1 (flannel-v6.1) has this address: its PodCIDR's network address in that family. */
function vtepOwner(dp: Dataplane, a: IpAddr): RealizedNode | undefined {
  let m = vteps.get(dp.cluster);
  if (!m) {
    vteps.set(dp.cluster, (m = new Map()));
    for (const n of dp.cluster.nodes)
      for (const c of n.podCIDRs ?? (n.podCIDR ? [n.podCIDR] : [])) {
        const cidr = parseAnyCidr(c);
        if (cidr.ok) m.set(cidr.value.base, n);
      }
  }
  return m.get(a);
}

export function routeHop(t: RouteContext, w: Walk, nd: RealizedNode, p: Pkt, r: AnyRoute): Walk {
  const line = renderAnyRoute(r);
  const dev = r.dev;
  const f = familyOf(p.dst);
  const at = { node: nd.name, namespace: 'host', before: p, deviceAfterAddresses: true, routeUsed: r };
  if (dev === 'cni0') {
    t.add(w, {
      ...at,
      device: 'cni0',
      action: 'route',
      rule: line,
      explain: `${ip(p.dst)} is in ${nd.name}'s own PodCIDR ${nodePodCidr(nd, f)}: the route sends it onto the cni0 bridge.`,
    });
    return t.deliverLocal(w, nd, p);
  }
  const target = byIp(t.dp.cluster, ip(p.dst));
  // Over VXLAN the next node is the one whose flannel.1 holds the route's gateway (flannel's neighbour and fdb entries).
  const remote =
    isVxlanDevice(dev) && r.via !== undefined
      ? vtepOwner(t.dp, r.via)
      : target.kind === 'pod' || target.kind === 'node'
        ? target.node
        : undefined;
  if (isVxlanDevice(dev) && remote) {
    // flannel-v6.1's underlay is IPv6: its VTEP is the node's IPv6 address (vxlan.go: vtepAddr ExtV6Addr).
    const from = nodeIp(nd, f) ?? nd.ip;
    const to = nodeIp(remote, f) ?? remote.ip;
    const outer = { src: from, dst: to, proto: 'UDP 8472 (VXLAN, VNI 1)' };
    t.add(w, {
      ...at,
      device: dev,
      action: 'encapsulate',
      rule: line,
      outer,
      explain: `The route points at ${dev}, the VXLAN device: the packet is wrapped in a UDP datagram from ${from} to ${to} (port 8472); the pod addresses inside do not change.`,
    });
    t.add(w, {
      node: remote.name,
      namespace: 'host',
      device: `eth0 → ${dev}`,
      before: p,
      action: 'decapsulate',
      outer,
      explain: `${remote.name} receives the UDP datagram on eth0; its ${dev} device unwraps the original packet.`,
    });
    return t.inNode(w, remote, p, false);
  }
  if (dev === 'eth0') {
    const gw = r.via !== undefined ? byIp(t.dp.cluster, ip(r.via)) : undefined;
    const gwNode = gw?.kind === 'node' ? gw.node : undefined;
    const onLinkNode = target.kind === 'node' && onLinkRoute(r) ? target.node : undefined;
    const next = gwNode ?? onLinkNode;
    if (next) {
      t.add(w, {
        ...at,
        device: 'eth0',
        action: 'route',
        rule: line,
        explain: gwNode
          ? `${ip(p.dst)} belongs to ${gwNode.name}'s PodCIDR ${nodePodCidr(gwNode, f)}: the route added for it sends the packet over the node network to ${nodeIp(gwNode, f)}, unchanged.`
          : `${ip(p.dst)} is on the node network: the packet goes out of eth0 directly.`,
      });
      const forNext = target.kind === 'node' && target.node.name === next.name;
      t.add(w, {
        node: next.name,
        namespace: 'host',
        device: 'eth0',
        before: p,
        action: 'receive',
        explain: `${next.name} receives the packet on eth0${forNext ? '' : ' and forwards it (IP forwarding is on)'}.`,
      });
      return t.inNode(w, next, p, false);
    }
    if (target.kind === 'service') {
      // A ClusterIP is virtual: without a kube-proxy rule for this port nothing answers for it.
      const ports = target.service.ports.map((x) => `${x.port}/${x.protocol}`).join(', ');
      const reason = `${ip(p.dst)} is the ClusterIP of ${target.service.namespace}/${target.service.name}, which has no port ${p.dport}/${p.proto} (it serves ${ports || 'no ports'}); no kube-proxy rule matches, so the packet follows the default route and is lost`;
      t.add(w, { ...at, device: 'eth0', action: 'drop', rule: line, explain: `${reason}.` });
      return t.end(w, 'unreachable', reason);
    }
    if (target.kind === 'pod' || t.inPodNetwork(p.dst)) {
      // A pod address with no route of its own: the default gateway knows nothing of PodCIDRs.
      const owner = target.kind === 'pod' ? target.pod.node : undefined;
      const reason = `${nd.name} has no route to ${ip(p.dst)}${owner ? ` (${owner}'s PodCIDR)` : ''}: the packet follows the default route to the node network's gateway, which does not know pod addresses, and is lost${t.dp.cluster.cluster.cni === 'host-gw' ? '; host-gw needs every node on one L2 network' : ''}`;
      t.add(w, { ...at, device: 'eth0', action: 'drop', rule: line, explain: `${reason}.` });
      return t.end(w, 'unreachable', reason);
    }
    // Leaving the cluster (flannel has already masqueraded pod sources in POSTROUTING).
    t.add(w, {
      node: nd.name,
      namespace: 'host',
      device: 'eth0',
      before: p,
      action: 'route',
      rule: line,
      ...(r.via !== undefined ? { leavesTo: { kind: 'default gateway' as const, ip: ip(r.via) } } : {}),
      routeUsed: r,
      explain: `${ip(p.dst)} is outside the cluster: the default route sends the packet to the node network's gateway.`,
    });
    return t.end(w, 'delivered', `left the cluster towards ${ip(p.dst)} through ${nd.name}'s default gateway`);
  }
  t.add(w, {
    ...at,
    device: dev,
    action: 'drop',
    rule: line,
    explain: `The route leads to ${dev}, but no node answers for ${ip(p.dst)} there.`,
  });
  return t.end(w, 'unreachable', `no node owns ${ip(p.dst)}`);
}
