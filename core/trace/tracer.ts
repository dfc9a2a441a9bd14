// The packet's path between namespaces and nodes: out of a pod over its veth
// into cni0, through the node's stack (hostStack.ts), along the route it
// chose (cni0, the underlay, or the VXLAN overlay) to the next node or the
// destination's namespace.
import { containsIp, formatIp, parseCidr, parseIp } from '../ip/cidr';
import type { Cidr } from '../ip/types';
import type { Dataplane } from '../dataplane/dataplane';
import { renderRoute, type Route } from '../dataplane/routes';
import type { RealizedNode, RealizedPod } from '../api/types';
import { vethName } from '../dataplane/devices';
import { deliverToNode } from './deliverNode';
import { hostStack, type HopInput, type HostContext, type Walk } from './hostStack';
import { hp } from './ruleHops';
import { byIp, type Endpoint } from './refs';
import type { Hop, Pkt, Verdict } from './types';

const ip = (n: number) => formatIp(n);
const ipOf = (s: string) => {
  const a = parseIp(s);
  return a.ok ? a.value : -1;
};

export class Tracer implements HostContext {
  private readonly podNetwork: Cidr;
  constructor(readonly dp: Dataplane) {
    const c = parseCidr(dp.cluster.cluster.podCIDR);
    this.podNetwork = c.ok ? c.value : { base: 0, prefix: 32 };
  }

  newWalk(reply = false, recent = new Map<string, Set<number>>()): Walk {
    return { hops: [], nats: [], recent, dnatOn: new Set(), ...(reply ? { reply } : {}) };
  }

  inPodNetwork(a: number): boolean {
    return containsIp(this.podNetwork, a);
  }

  /** Adds a hop; its JSON keys keep the order `trace --json` has always printed. */
  add(w: Walk, h: HopInput): void {
    const { before, after, node, namespace, device, deviceAfterAddresses, ...rest } = h;
    const a = after ?? before;
    const hop = { step: w.hops.length + 1, node, namespace } as Hop;
    if (!deviceAfterAddresses) hop.device = device;
    hop.src = hp(before.src, before.sport);
    hop.dst = hp(before.dst, before.dport);
    hop.device = device;
    const unNat = h.action === 'un-nat';
    if (after && (unNat || a.src !== before.src || a.sport !== before.sport)) hop.srcAfter = hp(a.src, a.sport);
    if (after && (unNat || a.dst !== before.dst || a.dport !== before.dport)) hop.dstAfter = hp(a.dst, a.dport);
    Object.assign(hop, rest);
    if (w.pending?.length) {
      hop.evidence = [...w.pending, ...(hop.evidence ?? [])];
      w.pending = [];
    }
    hop.srcAfter ??= hp(a.src, a.sport);
    hop.dstAfter ??= hp(a.dst, a.dport);
    hop.packet = { before, after: a };
    w.hops.push(hop);
    w.last = a;
  }

  end(w: Walk, verdict: Verdict, reason: string): Walk {
    w.verdict ??= verdict;
    w.reason ??= reason;
    return w;
  }

  /** Sends a packet from a pod: out of its eth0, over the veth into cni0, into the node. */
  fromPod(w: Walk, pod: RealizedPod, p: Pkt): Walk {
    const routes = this.dp.podRoutes(pod);
    const route =
      routes.find((r) => r.dst !== null && containsIp(r.dst, p.dst) && r.via === undefined) ??
      routes.find((r) => r.dst !== null && containsIp(r.dst, p.dst)) ??
      routes[0];
    const node = this.dp.nodeByName(pod.node!)!;
    const onLink = route?.via === undefined;
    this.add(w, {
      node: node.name,
      namespace: `pod ${pod.namespace}/${pod.name}`,
      device: 'eth0',
      before: p,
      action: 'send',
      ...(route ? { rule: renderRoute(route), routeUsed: route } : {}),
      explain: onLink
        ? `The pod sends straight onto its node's bridge: ${ip(p.dst)} is on its own subnet.`
        : `The pod's route sends the packet to its gateway ${node.gateway} (cni0 on ${node.name}) through its eth0.`,
    });
    const veth = vethName(pod.namespace, pod.name);
    const sameBridge = onLink && byIp(this.dp.cluster, ip(p.dst)).kind === 'pod';
    this.add(w, {
      node: node.name,
      namespace: 'host',
      device: `${veth} → cni0`,
      before: p,
      action: 'bridge',
      explain: `The packet leaves the pod through its veth pair (${veth} on the node) and enters the cni0 bridge${sameBridge ? ", which switches it to the destination pod's veth" : ''}.`,
    });
    if (sameBridge) return this.deliverLocal(w, node, p);
    return this.inNode(w, node, p, false);
  }

  private vteps: Map<number, RealizedNode> | undefined;
  /** The node whose flannel.1 has this address (its PodCIDR's network address). */
  private vtepOwner(a: number): RealizedNode | undefined {
    if (!this.vteps) {
      this.vteps = new Map();
      for (const n of this.dp.cluster.nodes) if (n.podCIDR) this.vteps.set(ipOf(n.podCIDR.split('/')[0]!), n);
    }
    return this.vteps.get(a);
  }

  inNode(w: Walk, nd: RealizedNode, p: Pkt, own: boolean): Walk {
    return hostStack(this, w, nd, p, own);
  }

  route(w: Walk, nd: RealizedNode, p: Pkt, r: Route): Walk {
    const line = renderRoute(r);
    const dev = r.dev;
    const at = { node: nd.name, namespace: 'host', before: p, deviceAfterAddresses: true, routeUsed: r };
    if (dev === 'cni0') {
      this.add(w, {
        ...at,
        device: 'cni0',
        action: 'route',
        rule: line,
        explain: `${ip(p.dst)} is in ${nd.name}'s own PodCIDR ${nd.podCIDR}: the route sends it onto the cni0 bridge.`,
      });
      return this.deliverLocal(w, nd, p);
    }
    const target = byIp(this.dp.cluster, ip(p.dst));
    // Over VXLAN the next node is the one whose flannel.1 holds the route's gateway (flannel's neighbour and fdb entries).
    const remote =
      dev === 'flannel.1' && r.via !== undefined
        ? this.vtepOwner(r.via)
        : target.kind === 'pod' || target.kind === 'node'
          ? target.node
          : undefined;
    if (dev === 'flannel.1' && remote) {
      const outer = { src: nd.ip, dst: remote.ip, proto: 'UDP 8472 (VXLAN, VNI 1)' };
      this.add(w, {
        ...at,
        device: 'flannel.1',
        action: 'encapsulate',
        rule: line,
        outer,
        explain: `The route points at flannel.1, the VXLAN device: the packet is wrapped in a UDP datagram from ${nd.ip} to ${remote.ip} (port 8472); the pod addresses inside do not change.`,
      });
      this.add(w, {
        node: remote.name,
        namespace: 'host',
        device: 'eth0 → flannel.1',
        before: p,
        action: 'decapsulate',
        outer,
        explain: `${remote.name} receives the UDP datagram on eth0; its flannel.1 device unwraps the original packet.`,
      });
      return this.inNode(w, remote, p, false);
    }
    if (dev === 'eth0') {
      const gw = r.via !== undefined ? byIp(this.dp.cluster, ip(r.via)) : undefined;
      const gwNode = gw?.kind === 'node' ? gw.node : undefined;
      const onLinkNode = target.kind === 'node' && r.scope === 'link' ? target.node : undefined;
      const next = gwNode ?? onLinkNode;
      if (next) {
        this.add(w, {
          ...at,
          device: 'eth0',
          action: 'route',
          rule: line,
          explain: gwNode
            ? `${ip(p.dst)} belongs to ${gwNode.name}'s PodCIDR ${gwNode.podCIDR}: the route added for it sends the packet over the node network to ${gwNode.ip}, unchanged.`
            : `${ip(p.dst)} is on the node network: the packet goes out of eth0 directly.`,
        });
        const forNext = target.kind === 'node' && target.node.name === next.name;
        this.add(w, {
          node: next.name,
          namespace: 'host',
          device: 'eth0',
          before: p,
          action: 'receive',
          explain: `${next.name} receives the packet on eth0${forNext ? '' : ' and forwards it (IP forwarding is on)'}.`,
        });
        return this.inNode(w, next, p, false);
      }
      if (target.kind === 'service') {
        // A ClusterIP is virtual: without a kube-proxy rule for this port nothing answers for it.
        const ports = target.service.ports.map((x) => `${x.port}/${x.protocol}`).join(', ');
        const reason = `${ip(p.dst)} is the ClusterIP of ${target.service.namespace}/${target.service.name}, which has no port ${p.dport}/${p.proto} (it serves ${ports || 'no ports'}); no kube-proxy rule matches, so the packet follows the default route and is lost`;
        this.add(w, { ...at, device: 'eth0', action: 'drop', rule: line, explain: `${reason}.` });
        return this.end(w, 'unreachable', reason);
      }
      if (target.kind === 'pod' || this.inPodNetwork(p.dst)) {
        // A pod address with no route of its own: the default gateway knows nothing of PodCIDRs.
        const owner = target.kind === 'pod' ? target.pod.node : undefined;
        const reason = `${nd.name} has no route to ${ip(p.dst)}${owner ? ` (${owner}'s PodCIDR)` : ''}: the packet follows the default route to the node network's gateway, which does not know pod addresses, and is lost${this.dp.cluster.cluster.cni === 'host-gw' ? '; host-gw needs every node on one L2 network' : ''}`;
        this.add(w, { ...at, device: 'eth0', action: 'drop', rule: line, explain: `${reason}.` });
        return this.end(w, 'unreachable', reason);
      }
      // Leaving the cluster (flannel has already masqueraded pod sources in POSTROUTING).
      this.add(w, {
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
      return this.end(w, 'delivered', `left the cluster towards ${ip(p.dst)} through ${nd.name}'s default gateway`);
    }
    this.add(w, {
      ...at,
      device: dev,
      action: 'drop',
      rule: line,
      explain: `The route leads to ${dev}, but no node answers for ${ip(p.dst)} there.`,
    });
    return this.end(w, 'unreachable', `no node owns ${ip(p.dst)}`);
  }

  deliverLocal(w: Walk, nd: RealizedNode, p: Pkt): Walk {
    const dst = ip(p.dst);
    const pod = nd.pods.find((x) => x.ip === dst && !x.hostNetwork);
    if (!pod) {
      this.add(w, {
        node: nd.name,
        namespace: 'host',
        device: 'cni0',
        before: p,
        action: 'drop',
        explain: `No pod on ${nd.name} has ${dst}: nothing answers ARP on the bridge.`,
      });
      return this.end(w, 'unreachable', `no pod has ${dst}`);
    }
    const veth = vethName(pod.namespace, pod.name);
    const listens =
      pod.ports.length === 0 || pod.ports.some((x) => x.containerPort === p.dport && x.protocol === p.proto);
    const to = hp(p.dst, p.dport);
    this.add(w, {
      node: nd.name,
      namespace: `pod ${pod.namespace}/${pod.name}`,
      device: 'eth0',
      before: p,
      action: listens ? 'deliver' : 'refuse',
      explain: listens
        ? `The bridge hands the packet to ${veth}, whose other end is eth0 in pod ${pod.name}: delivered to ${to}${pod.ports.length === 0 ? ' (the pod declares no ports; we assume something listens)' : ''}.`
        : `The packet reaches pod ${pod.name}, but nothing listens on ${p.proto} ${p.dport} there (it declares ${pod.ports.map((x) => `${x.containerPort}/${x.protocol}`).join(', ')}): ${p.proto === 'TCP' ? 'the kernel answers with a TCP reset' : 'the kernel answers with ICMP port unreachable'}.`,
    });
    w.delivered = { pod, node: nd };
    return listens
      ? this.end(w, 'delivered', `delivered to pod ${pod.namespace}/${pod.name} at ${to}`)
      : this.end(
          w,
          'unreachable',
          `connection refused: pod ${pod.namespace}/${pod.name} does not listen on ${p.proto} ${p.dport}`,
        );
  }

  deliverNode(w: Walk, node: RealizedNode, p: Pkt): Walk {
    return deliverToNode(this, w, node, p);
  }

  /** A process in a node's root namespace (kube-apiserver, a hostNetwork pod) answers from a given address. */
  fromNodeStack(w: Walk, node: RealizedNode, p: Pkt, pod?: RealizedPod): Walk {
    this.add(w, {
      node: node.name,
      namespace: 'host',
      device: 'OUTPUT',
      before: p,
      action: 'send',
      explain: pod
        ? `hostNetwork pod ${pod.name} answers from ${ip(p.src)}, ${node.name}'s own address: its packets are the node's (nat and filter OUTPUT).`
        : `${node.name} answers from ${ip(p.src)}, a process in its root namespace.`,
    });
    return this.inNode(w, node, p, true);
  }

  /** A reply after conntrack restored its addresses on `nd`: on to the client (a pod, the node itself, or out of the cluster). */
  continueReply(w: Walk, nd: RealizedNode, p: Pkt, client: Endpoint): Walk {
    const rootClient = client.kind === 'node' || (client.kind === 'pod' && client.pod.hostNetwork);
    if (rootClient && client.node.name === nd.name) return this.deliverNode(w, nd, p);
    if (client.kind === 'external') {
      this.add(w, {
        node: nd.name,
        namespace: 'host',
        device: 'eth0',
        before: p,
        action: 'route',
        leavesTo: { kind: 'external client', ip: ip(p.dst) },
        explain: `The reply leaves ${nd.name} towards the client ${ip(p.dst)}.`,
      });
      return this.end(w, 'delivered', `the reply reaches ${hp(p.dst, p.dport)}`);
    }
    return this.inNode(w, nd, p, false);
  }
}
