// The packet's path between namespaces and nodes: out of a pod over its veth
// into cni0, through the node's stack (hostStack.ts), along the route it
// chose (cni0, the underlay, or the VXLAN overlay) to the next node or the
// destination's namespace.
import { containsAny, familyOf, formatAny, parseAnyCidr, type AnyCidr, type IpAddr } from '../ip/anyIp';
import type { Dataplane } from '../dataplane/dataplane';
import { renderAnyRoute, type AnyRoute } from '../dataplane/anyRoute';
import type { RealizedNode, RealizedPod } from '../api/types';
import { clusterPodCidr } from '../api/familyFields';
import { vethName } from '../dataplane/devices';
import { deliverToNode } from './deliverNode';
import { routeHop } from './routeHop';
import { icmpName } from './family';
import { nodeGateway, podIp } from '../api/familyFields';
import { hostStack, type HopInput, type HostContext, type Walk } from './hostStack';
import { hp } from './ruleHops';
import { byIp, type Endpoint } from './refs';
import type { Hop, Pkt, Verdict } from './types';

const ip = (n: IpAddr) => formatAny(n);
const cidrOf = (s: string | undefined): AnyCidr | undefined => {
  const c = s === undefined ? undefined : parseAnyCidr(s);
  return c?.ok ? c.value : undefined;
};

export class Tracer implements HostContext {
  /** The cluster CIDR of each family the cluster has. */
  private readonly podNetworks: AnyCidr[];
  constructor(readonly dp: Dataplane) {
    const c = dp.cluster.cluster;
    this.podNetworks = [cidrOf(clusterPodCidr(c, 'IPv4')), cidrOf(clusterPodCidr(c, 'IPv6'))].filter(
      (x): x is AnyCidr => x !== undefined,
    );
  }

  newWalk(reply = false, recent = new Map<string, Set<IpAddr>>()): Walk {
    return { hops: [], nats: [], recent, dnatOn: new Set(), ...(reply ? { reply } : {}) };
  }

  inPodNetwork(a: IpAddr): boolean {
    return this.podNetworks.some((n) => containsAny(n, a));
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
    const f = familyOf(p.dst);
    const routes: AnyRoute[] = f === 'IPv6' ? this.dp.podRoutes6(pod) : this.dp.podRoutes(pod);
    const on = (r: AnyRoute) => r.dst !== null && containsAny(r.dst, p.dst);
    // IPv6 lists the default route last (ip -6 route's order); IPv4 first.
    const route =
      routes.find((r) => on(r) && r.via === undefined) ??
      routes.find(on) ??
      (f === 'IPv6' ? routes.find((r) => r.dst === null) : undefined) ??
      routes[0];
    const node = this.dp.nodeByName(pod.node!)!;
    const onLink = route?.via === undefined;
    this.add(w, {
      node: node.name,
      namespace: `pod ${pod.namespace}/${pod.name}`,
      device: 'eth0',
      before: p,
      action: 'send',
      ...(route ? { rule: renderAnyRoute(route), routeUsed: route } : {}),
      explain: onLink
        ? `The pod sends straight onto its node's bridge: ${ip(p.dst)} is on its own subnet.`
        : `The pod's route sends the packet to its gateway ${nodeGateway(node, f)} (cni0 on ${node.name}) through its eth0.`,
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

  inNode(w: Walk, nd: RealizedNode, p: Pkt, own: boolean): Walk {
    return hostStack(this, w, nd, p, own);
  }

  route(w: Walk, nd: RealizedNode, p: Pkt, r: AnyRoute): Walk {
    return routeHop(this, w, nd, p, r);
  }

  deliverLocal(w: Walk, nd: RealizedNode, p: Pkt): Walk {
    const dst = ip(p.dst);
    const f = familyOf(p.dst);
    const pod = nd.pods.find((x) => podIp(x, f) === dst && !x.hostNetwork);
    if (!pod) {
      this.add(w, {
        node: nd.name,
        namespace: 'host',
        device: 'cni0',
        before: p,
        action: 'drop',
        explain: `No pod on ${nd.name} has ${dst}: nothing answers ${f === 'IPv6' ? 'neighbour solicitation' : 'ARP'} on the bridge.`,
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
        : `The packet reaches pod ${pod.name}, but nothing listens on ${p.proto} ${p.dport} there (it declares ${pod.ports.map((x) => `${x.containerPort}/${x.protocol}`).join(', ')}): ${p.proto === 'TCP' ? 'the kernel answers with a TCP reset' : `the kernel answers with ${icmpName(p.dst)} port unreachable`}.`,
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
