// The packet tracer: a packet's path hop by hop through pod, bridge,
// kube-proxy's NAT, the node's routes, the underlay or the VXLAN overlay,
// to its destination; then the reply, un-NATed by conntrack.
import { containsIp, parseCidr, parseIp } from '../ip/cidr';
import type { Dataplane } from '../dataplane/dataplane';
import { flannelPostrouting } from '../dataplane/flannelIptables';
import { POSTROUTING_MASQUERADE } from '../dataplane/kubeProxyIptables';
import { renderRoute } from '../dataplane/routes';
import type { RealizedNode, RealizedPod } from '../api/types';
import { deviceAddress, isNodeAddress, sourceAddressFor, vethName } from '../dataplane/devices';
import { renderConntrack } from './conntrack';
import { applyPolicies } from './policyHop';
import { serviceDecision, routeFor, splitHp, type Pkt } from './nodeWalk';
import { nftServiceDecision, type NftDecision } from './nftablesWalk';
import { byIp, podByName, resolveRef, type Endpoint } from './refs';
import type { Hop, TraceLeg, TraceResult, Verdict } from './types';

/** The client's ephemeral port: fixed so the same question always gives the same answer. */
export const CLIENT_PORT = 40000;
const MAX_HOPS = 40;

export interface TraceRequest {
  from: string;
  to: string;
  port?: number;
  protocol?: 'TCP' | 'UDP';
}

const hp = (ip: string, port: number) => `${ip}:${port}`;

interface NatRecord {
  node: string;
  /** The packet as it reached this node, and as it left it. */
  orig: Pkt;
  now: Pkt;
}

/** Notes a rewrite: a second rewrite on the same node joins that node's conntrack entry. */
function recordNat(w: Walk, node: string, before: Pkt, after: Pkt): void {
  const last = w.nats[w.nats.length - 1];
  if (last && last.node === node) last.now = after;
  else w.nats.push({ node, orig: before, now: after });
}

interface Walk {
  hops: Hop[];
  verdict?: Verdict;
  reason?: string;
  /** NAT applied, one record per node that rewrote the packet (its conntrack entry), in order. */
  nats: NatRecord[];
  /** kube-proxy has DNATed the packet: no Service rule applies after that. */
  dnat?: boolean;
  delivered?: { pod?: RealizedPod; node: RealizedNode };
  /** Marked for masquerade by kube-proxy (KUBE-MARK-MASQ) on this node; KUBE-POSTROUTING applies it there. */
  /** The node whose kube-proxy marked the packet for masquerade (the mark does not leave the node). */
  masqMarkOn?: string;
  /** The rule that applies that mark, when it is not KUBE-POSTROUTING's (nftables mode). */
  masqRule?: string;
  /** The node whose POSTROUTING already masqueraded the packet. */
  masqDoneOn?: string;
  /** The reply of a tracked connection: conntrack handles it, the nat table is not consulted. */
  reply?: boolean;
}

class Tracer {
  private readonly clusterCidr;
  constructor(private readonly dp: Dataplane) {
    const c = parseCidr(dp.cluster.cluster.podCIDR);
    const cidr = c.ok ? c.value : { base: 0, prefix: 32 };
    this.clusterCidr = {
      contains: (ip: string) => {
        const p = parseIp(ip);
        return p.ok && containsIp(cidr, p.value);
      },
    };
  }

  private add(
    w: Walk,
    h: Omit<Hop, 'step' | 'srcAfter' | 'dstAfter'> & { srcAfter?: string; dstAfter?: string },
  ): void {
    w.hops.push({ step: w.hops.length + 1, ...h, srcAfter: h.srcAfter ?? h.src, dstAfter: h.dstAfter ?? h.dst });
  }

  private end(w: Walk, verdict: Verdict, reason: string): Walk {
    w.verdict ??= verdict;
    w.reason ??= reason;
    return w;
  }

  /** Sends a packet from a pod: out of its eth0, over the veth into cni0, into the node. */
  fromPod(w: Walk, pod: RealizedPod, p: Pkt): Walk {
    const routes = this.dp.podRoutes(pod);
    const ip = parseIp(p.dst);
    const route = ip.ok
      ? (routes.find((r) => r.dst !== null && containsIp(r.dst, ip.value) && r.via === undefined) ??
        routes.find((r) => r.dst !== null && containsIp(r.dst, ip.value)) ??
        routes[0])
      : routes[0];
    const node = this.dp.nodeByName(pod.node!)!;
    const onLink = route?.via === undefined;
    this.add(w, {
      node: node.name,
      namespace: `pod ${pod.namespace}/${pod.name}`,
      device: 'eth0',
      src: hp(p.src, p.sport),
      dst: hp(p.dst, p.dport),
      action: 'send',
      rule: route ? renderRoute(route) : undefined,
      explain: onLink
        ? `The pod sends straight onto its node's bridge: ${p.dst} is on its own subnet.`
        : `The pod's route sends the packet to its gateway ${node.gateway} (cni0 on ${node.name}) through its eth0.`,
    });
    const veth = hostVethName(pod);
    const sameBridge = onLink && byIp(this.dp.cluster, p.dst).kind === 'pod';
    this.add(w, {
      node: node.name,
      namespace: 'host',
      device: `${veth} → cni0`,
      src: hp(p.src, p.sport),
      dst: hp(p.dst, p.dport),
      action: 'bridge',
      explain: `The packet leaves the pod through its veth pair (${veth} on the node) and enters the cni0 bridge${sameBridge ? ", which switches it to the destination pod's veth" : ''}.`,
    });
    if (sameBridge) return this.deliverLocal(w, node, p);
    return this.inNode(w, node, p, false);
  }

  /** The node's root namespace: NAT, then routing. `own` = the node itself sends it (OUTPUT chain). */
  inNode(w: Walk, nd: RealizedNode, p: Pkt, own: boolean): Walk {
    if (w.hops.length > MAX_HOPS)
      return this.end(w, 'dropped', 'routing loop: the packet went round more than 40 hops (its TTL would expire)');
    let pkt = p;
    if (!w.dnat && !w.reply) {
      const d: NftDecision | undefined =
        this.dp.cluster.cluster.kubeProxyMode === 'nftables'
          ? nftServiceDecision(this.dp, nd, p, own)
          : serviceDecision(this.dp, nd, p, own, this.clusterCidr);
      if (d?.refused) {
        this.add(w, {
          node: nd.name,
          namespace: 'host',
          device: d.hook ?? (own ? 'OUTPUT' : 'PREROUTING'),
          src: hp(p.src, p.sport),
          dst: hp(p.dst, p.dport),
          action: d.refused.action,
          rule: [...d.lines, d.refused.line].filter(Boolean).join('\n'),
          explain: `kube-proxy: ${d.refused.reason}.`,
        });
        return this.end(w, d.refused.action === 'reject' ? 'unreachable' : 'dropped', d.refused.reason);
      }
      if (d?.chosen) {
        const to = d.chosen.endpoint;
        pkt = { ...p, dst: to.ip, dport: to.port };
        const odds =
          d.candidates.length > 1
            ? ` Each of the ${d.candidates.length} endpoints had a 1 in ${d.candidates.length} chance; this flow got ${d.chosen.address} (pod ${to.pod} on ${to.node}).`
            : ` Its only endpoint is ${d.chosen.address} (${to.pod} on ${to.node}).`;
        this.add(w, {
          node: nd.name,
          namespace: 'host',
          device: own ? 'OUTPUT (nat)' : 'PREROUTING (nat)',
          src: hp(p.src, p.sport),
          dst: hp(p.dst, p.dport),
          dstAfter: hp(pkt.dst, pkt.dport),
          action: 'dnat',
          rule: d.lines.join('\n'),
          explain: `kube-proxy's rules swap the Service address ${hp(p.dst, p.dport)} (${d.rule.spn}) for a pod: DNAT to ${d.chosen.address}.${odds}${d.rule.service.sessionAffinityTimeout !== null ? ` sessionAffinity ClientIP: the recent-list rules check for this client first; now ${p.src} is on ${d.chosen.sepChain}'s list, so for ${d.rule.service.sessionAffinityTimeout} s its new connections go to the same pod.` : ''}${d.masquerade ? ` The packet is also marked for masquerade: ${d.masqueradeWhy}.` : ''}`,
        });
        recordNat(w, nd.name, p, pkt);
        w.dnat = true;
        if (d.masquerade) w.masqMarkOn = nd.name;
        if (d.masquerade && d.masqueradeRule) w.masqRule = d.masqueradeRule;
      }
    }
    const r = routeFor(this.dp, nd, pkt.dst);
    if (!r) {
      this.add(w, {
        node: nd.name,
        namespace: 'host',
        device: '-',
        src: hp(pkt.src, pkt.sport),
        dst: hp(pkt.dst, pkt.dport),
        action: 'drop',
        explain: `${nd.name} has no route to ${pkt.dst}.`,
      });
      return this.end(w, 'unreachable', `no route to ${pkt.dst} on ${nd.name}`);
    }
    // POSTROUTING masquerade (KUBE-POSTROUTING) rewrites the source to the outgoing interface's address.
    if (w.masqMarkOn === nd.name && w.masqDoneOn !== nd.name) {
      const srcIp = deviceAddress(nd, r.route.dev);
      const before = pkt;
      pkt = { ...pkt, src: srcIp };
      w.masqDoneOn = nd.name;
      recordNat(w, nd.name, before, pkt);
      this.add(w, {
        node: nd.name,
        namespace: 'host',
        device: `POSTROUTING (nat) → ${r.route.dev}`,
        src: hp(before.src, before.sport),
        dst: hp(pkt.dst, pkt.dport),
        srcAfter: hp(pkt.src, pkt.sport),
        action: 'snat',
        rule: w.masqRule ?? POSTROUTING_MASQUERADE,
        explain: `${w.masqRule ? "kube-proxy's masquerading chain" : 'KUBE-POSTROUTING'} masquerades the marked packet: its source becomes ${srcIp}, the address of ${r.route.dev}, so the reply returns through this node.`,
      });
    }
    // FLANNEL-POSTRTG: a new connection leaving this node, unless it is addressed to the node itself.
    const local = isNodeAddress(this.dp.cluster, nd, pkt.dst);
    if (!w.reply && w.masqDoneOn !== nd.name && !local) {
      const f = flannelPostrouting(
        this.dp.cluster.cluster.podCIDR,
        nd.podCIDR,
        this.clusterCidr.contains,
        (ip) => this.inNodePods(nd, ip),
        pkt.src,
        pkt.dst,
        w.masqMarkOn === nd.name,
      );
      const srcIp = deviceAddress(nd, r.route.dev);
      if (f.masquerade && srcIp !== pkt.src) {
        const before = pkt;
        pkt = { ...pkt, src: srcIp };
        w.masqDoneOn = nd.name;
        recordNat(w, nd.name, before, pkt);
        const outside = !this.clusterCidr.contains(pkt.dst) && byIp(this.dp.cluster, pkt.dst).kind !== 'node';
        this.add(w, {
          node: nd.name,
          namespace: 'host',
          device: `POSTROUTING (nat) → ${r.route.dev}`,
          src: hp(before.src, before.sport),
          dst: hp(pkt.dst, pkt.dport),
          srcAfter: hp(pkt.src, pkt.sport),
          action: 'snat',
          rule: f.rule,
          explain: this.clusterCidr.contains(before.src)
            ? `flannel masquerades pod traffic leaving the pod network${outside ? '' : ` (here to ${pkt.dst}, which is not a pod address)`}: the source becomes ${srcIp}, the address of ${r.route.dev}; conntrack undoes it on the reply.`
            : `flannel masquerades traffic from outside the pod network to a pod on another node: the source becomes ${srcIp}, the address of ${r.route.dev}.`,
        });
      }
    }
    return this.route(w, nd, pkt, r.route.dev, r.line);
  }

  private inNodePods(nd: RealizedNode, ip: string): boolean {
    if (!nd.podCIDR) return false;
    const c = parseCidr(nd.podCIDR);
    const p = parseIp(ip);
    return c.ok && p.ok && containsIp(c.value, p.value);
  }

  private route(w: Walk, nd: RealizedNode, p: Pkt, dev: string, line: string): Walk {
    const at = { node: nd.name, namespace: 'host', src: hp(p.src, p.sport), dst: hp(p.dst, p.dport) };
    if (dev === 'cni0') {
      this.add(w, {
        ...at,
        device: 'cni0',
        action: 'route',
        rule: line,
        explain: `${p.dst} is in ${nd.name}'s own PodCIDR ${nd.podCIDR}: the route sends it onto the cni0 bridge.`,
      });
      return this.deliverLocal(w, nd, p);
    }
    const target = byIp(this.dp.cluster, p.dst);
    const remote = target.kind === 'pod' || target.kind === 'node' ? target.node : undefined;
    if (dev === 'flannel.1' && remote) {
      const rd = remote;
      this.add(w, {
        ...at,
        device: 'flannel.1',
        action: 'encapsulate',
        rule: line,
        outer: { src: nd.ip, dst: remote.ip, proto: 'UDP 8472 (VXLAN, VNI 1)' },
        explain: `The route points at flannel.1, the VXLAN device: the packet is wrapped in a UDP datagram from ${nd.ip} to ${remote.ip} (port 8472); the pod addresses inside do not change.`,
      });
      this.add(w, {
        node: remote.name,
        namespace: 'host',
        device: 'eth0 → flannel.1',
        src: at.src,
        dst: at.dst,
        action: 'decapsulate',
        outer: { src: nd.ip, dst: remote.ip, proto: 'UDP 8472 (VXLAN, VNI 1)' },
        explain: `${remote.name} receives the UDP datagram on eth0; its flannel.1 device unwraps the original packet.`,
      });
      return this.inNode(w, rd, p, false);
    }
    if (dev === 'eth0') {
      const via = / via (\S+) /.exec(line)?.[1];
      const hop = via ? byIp(this.dp.cluster, via) : undefined;
      const gwNode = hop?.kind === 'node' ? hop.node : undefined;
      const onLinkNode = target.kind === 'node' && line.includes('scope link') ? target.node : undefined;
      const next = gwNode ?? onLinkNode;
      if (next) {
        this.add(w, {
          ...at,
          device: 'eth0',
          action: 'route',
          rule: line,
          explain: gwNode
            ? `${p.dst} belongs to ${gwNode.name}'s PodCIDR ${gwNode.podCIDR}: the route added for it sends the packet over the node network to ${gwNode.ip}, unchanged.`
            : `${p.dst} is on the node network: the packet goes out of eth0 directly.`,
        });
        const forNext = target.kind === 'node' && target.node.name === next.name;
        this.add(w, {
          node: next.name,
          namespace: 'host',
          device: 'eth0',
          src: at.src,
          dst: at.dst,
          action: 'receive',
          explain: `${next.name} receives the packet on eth0${forNext ? '' : ' and forwards it (IP forwarding is on)'}.`,
        });
        // A NodePort on the next node's address: its own kube-proxy rules (PREROUTING, dst-type LOCAL) take it.
        const nodePort = !w.dnat && !w.reply && this.dp.services.byNodePort.has(`${p.proto}|${p.dport}`);
        if (forNext && !nodePort) return this.deliverNode(w, next, p);
        return this.inNode(w, next, p, false);
      }
      if (target.kind === 'node' && target.node.name === nd.name) return this.deliverNode(w, nd, p);
      if (target.kind === 'service') {
        // A ClusterIP is virtual: without a kube-proxy rule for this port nothing answers for it.
        const ports = target.service.ports.map((x) => `${x.port}/${x.protocol}`).join(', ');
        const reason = `${p.dst} is the ClusterIP of ${target.service.namespace}/${target.service.name}, which has no port ${p.dport}/${p.proto} (it serves ${ports || 'no ports'}); no kube-proxy rule matches, so the packet follows the default route and is lost`;
        this.add(w, { ...at, device: 'eth0', action: 'drop', rule: line, explain: `${reason}.` });
        return this.end(w, 'unreachable', reason);
      }
      if (target.kind === 'pod' || this.clusterCidr.contains(p.dst)) {
        // A pod address with no route of its own: the default gateway knows nothing of PodCIDRs.
        const owner = target.kind === 'pod' ? target.pod.node : undefined;
        const reason = `${nd.name} has no route to ${p.dst}${owner ? ` (${owner}'s PodCIDR)` : ''}: the packet follows the default route to the node network's gateway, which does not know pod addresses, and is lost${this.dp.cluster.cluster.cni === 'host-gw' ? '; host-gw needs every node on one L2 network' : ''}`;
        this.add(w, { ...at, device: 'eth0', action: 'drop', rule: line, explain: `${reason}.` });
        return this.end(w, 'unreachable', reason);
      }
      // Leaving the cluster (flannel has already masqueraded pod sources in POSTROUTING).
      const out = p;
      this.add(w, {
        node: nd.name,
        namespace: 'host',
        device: 'eth0',
        src: hp(out.src, out.sport),
        dst: hp(out.dst, out.dport),
        action: 'route',
        rule: line,
        explain: `${p.dst} is outside the cluster: the default route sends the packet to the node network's gateway.`,
      });
      return this.end(w, 'delivered', `left the cluster towards ${p.dst} through ${nd.name}'s default gateway`);
    }
    this.add(w, {
      ...at,
      device: dev,
      action: 'drop',
      rule: line,
      explain: `The route leads to ${dev}, but no node answers for ${p.dst} there.`,
    });
    return this.end(w, 'unreachable', `no node owns ${p.dst}`);
  }

  private deliverLocal(w: Walk, nd: RealizedNode, p: Pkt): Walk {
    const pod = nd.pods.find((x) => x.ip === p.dst && !x.hostNetwork);
    if (!pod) {
      this.add(w, {
        node: nd.name,
        namespace: 'host',
        device: 'cni0',
        src: hp(p.src, p.sport),
        dst: hp(p.dst, p.dport),
        action: 'drop',
        explain: `No pod on ${nd.name} has ${p.dst}: nothing answers ARP on the bridge.`,
      });
      return this.end(w, 'unreachable', `no pod has ${p.dst}`);
    }
    const veth = hostVethName(pod);
    const listens =
      pod.ports.length === 0 || pod.ports.some((x) => x.containerPort === p.dport && x.protocol === p.proto);
    this.add(w, {
      node: nd.name,
      namespace: `pod ${pod.namespace}/${pod.name}`,
      device: 'eth0',
      src: hp(p.src, p.sport),
      dst: hp(p.dst, p.dport),
      action: listens ? 'deliver' : 'refuse',
      explain: listens
        ? `The bridge hands the packet to ${veth}, whose other end is eth0 in pod ${pod.name}: delivered to ${hp(p.dst, p.dport)}${pod.ports.length === 0 ? ' (the pod declares no ports; we assume something listens)' : ''}.`
        : `The packet reaches pod ${pod.name}, but nothing listens on ${p.proto} ${p.dport} there (it declares ${pod.ports.map((x) => `${x.containerPort}/${x.protocol}`).join(', ')}): ${p.proto === 'TCP' ? 'the kernel answers with a TCP reset' : 'the kernel answers with ICMP port unreachable'}.`,
    });
    w.delivered = { pod, node: nd };
    return listens
      ? this.end(w, 'delivered', `delivered to pod ${pod.namespace}/${pod.name} at ${hp(p.dst, p.dport)}`)
      : this.end(
          w,
          'unreachable',
          `connection refused: pod ${pod.namespace}/${pod.name} does not listen on ${p.proto} ${p.dport}`,
        );
  }

  private deliverNode(w: Walk, node: RealizedNode, p: Pkt): Walk {
    this.add(w, {
      node: node.name,
      namespace: 'host',
      device: 'eth0',
      src: hp(p.src, p.sport),
      dst: hp(p.dst, p.dport),
      action: 'deliver',
      explain: `The packet is for ${node.name} itself (${p.dst}).`,
    });
    w.delivered = { node };
    return this.end(w, 'delivered', `delivered to node ${node.name} at ${hp(p.dst, p.dport)}`);
  }

  /** A process in a node's root namespace (kube-apiserver, a hostNetwork pod) answers from a given address. */
  fromNodeStack(w: Walk, node: RealizedNode, p: Pkt): Walk {
    this.add(w, {
      node: node.name,
      namespace: 'host',
      device: 'OUTPUT',
      src: hp(p.src, p.sport),
      dst: hp(p.dst, p.dport),
      action: 'send',
      explain: `${node.name} answers from ${p.src}, a process in its root namespace.`,
    });
    return this.inNode(w, node, p, true);
  }

  /** A reply after conntrack restored its addresses on `nd`: on to the client (a pod, the node itself, or out of the cluster). */
  continueReply(w: Walk, nd: RealizedNode, p: Pkt, client: Endpoint): Walk {
    if (client.kind === 'node' && client.node.name === nd.name) return this.deliverNode(w, nd, p);
    if (client.kind === 'external') {
      this.add(w, {
        node: nd.name,
        namespace: 'host',
        device: 'eth0',
        src: hp(p.src, p.sport),
        dst: hp(p.dst, p.dport),
        action: 'route',
        explain: `The reply leaves ${nd.name} towards the client ${p.dst}.`,
      });
      return this.end(w, 'delivered', `the reply reaches ${hp(p.dst, p.dport)}`);
    }
    return this.inNode(w, nd, p, false);
  }

  /** Starts a packet wherever its source lives. */
  start(from: Endpoint, p: Pkt): Walk {
    const w: Walk = { hops: [], nats: [] };
    if (from.kind === 'pod') return this.fromPod(w, from.pod, p);
    if (from.kind === 'node') {
      const nd = from.node;
      const r = routeFor(this.dp, nd, p.dst);
      // The node's own packets take the route's preferred source, else the outgoing device's address
      // (flannel.1 holds the node's PodCIDR network address).
      const src = r ? sourceAddressFor(nd, r.route) : from.node.ip;
      const pkt = { ...p, src: byIp(this.dp.cluster, p.dst).kind === 'service' ? from.node.ip : src };
      this.add(w, {
        node: nd.name,
        namespace: 'host',
        device: 'OUTPUT',
        src: hp(pkt.src, pkt.sport),
        dst: hp(pkt.dst, pkt.dport),
        action: 'send',
        explain: `${nd.name} itself (a process in its root namespace) sends the packet from ${pkt.src}.`,
      });
      return this.inNode(w, nd, pkt, true);
    }
    // An external client: its packet arrives on the eth0 of the node it is addressed to.
    const target = byIp(this.dp.cluster, p.dst);
    if (target.kind !== 'node') {
      this.add(w, {
        node: 'external',
        namespace: 'external',
        device: '-',
        src: hp(p.src, p.sport),
        dst: hp(p.dst, p.dport),
        action: 'drop',
        explain: `${p.dst} is not reachable from outside: only node addresses (NodePorts) are; pod and Service addresses are internal to the cluster.`,
      });
      return this.end(
        w,
        'unreachable',
        `${p.dst} is not routable from outside the cluster; use a NodePort on a node address`,
      );
    }
    this.add(w, {
      node: target.node.name,
      namespace: 'host',
      device: 'eth0',
      src: hp(p.src, p.sport),
      dst: hp(p.dst, p.dport),
      action: 'receive',
      explain: `The client's packet arrives on ${target.node.name}'s eth0.`,
    });
    const nd = target.node;
    if (!this.dp.services.byNodePort.has(`${p.proto}|${p.dport}`)) return this.deliverNode(w, target.node, p);
    return this.inNode(w, nd, { ...p }, false);
  }
}

/** The host side of a pod's veth pair: "veth" + 8 hex characters, stable per pod (CNI names them randomly). */
export const hostVethName = (pod: RealizedPod) => vethName(pod.namespace, pod.name);

function leg(w: Walk): TraceLeg {
  return { verdict: w.verdict ?? 'dropped', reason: w.reason ?? 'the packet went nowhere', hops: w.hops };
}

function defaultPort(to: Endpoint): number {
  if (to.port !== undefined) return to.port;
  if (to.kind === 'service' || to.kind === 'dns') return to.service.ports[0]?.port ?? 80;
  if (to.kind === 'pod') return to.pod.ports[0]?.containerPort ?? 80;
  return 80;
}

export type TraceOutcome = { ok: true; result: TraceResult } | { ok: false; message: string };

/** Traces one connection (and its DNS lookup, and its reply). Never throws on a bad request: returns a message. */
export function trace(dp: Dataplane, req: TraceRequest): TraceOutcome {
  if (req.port !== undefined && (!Number.isInteger(req.port) || req.port < 1 || req.port > 65535)) {
    return { ok: false, message: `--port: "${req.port}" must be a whole number from 1 to 65535` };
  }
  // A Pending pod has no network namespace yet: that is a verdict about the cluster, not a bad request.
  const pendingFrom = pendingPod(dp, req.from);
  const pending = pendingFrom ?? pendingPod(dp, req.to);
  if (pending) {
    const reason = `pod ${pending.namespace}/${pending.name} is Pending and has no IP yet (${pending.reason ?? 'not scheduled'}), so no packet can ${pendingFrom ? 'leave' : 'reach'} it`;
    return {
      ok: true,
      result: { verdict: 'unreachable', reason, hops: [], protocol: req.protocol ?? 'TCP', conntrack: [] },
    };
  }
  const from = resolveRef(dp.cluster, req.from);
  if (!from.ok) return { ok: false, message: `--from: ${from.message}` };
  // A pod's resolv.conf searches <its namespace>.svc.<domain> first: from a pod, "web" is web.<namespace>.svc.<domain>.
  const short = from.endpoint.kind === 'pod' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(req.to.trim());
  const searched =
    short && from.endpoint.kind === 'pod'
      ? `${req.to.trim()}.${from.endpoint.pod.namespace}.svc.${dp.cluster.cluster.clusterDomain}`
      : undefined;
  const to = searched
    ? (() => {
        const r = resolveRef(dp.cluster, searched);
        return r.ok ? r : resolveRef(dp.cluster, req.to);
      })()
    : resolveRef(dp.cluster, req.to);
  if (!to.ok) return { ok: false, message: `--to: ${to.message}` };
  if (from.endpoint.kind === 'service' || from.endpoint.kind === 'dns')
    return { ok: false, message: '--from: a Service is not a source; trace from a pod, a node or external' };
  // Default protocol: the Service port's, when the destination is a Service port; TCP otherwise.
  const wantPort = req.port ?? to.endpoint.port;
  const svc = to.endpoint.kind === 'service' || to.endpoint.kind === 'dns' ? to.endpoint.service : undefined;
  const svcPort = svc?.ports.find((p) => wantPort === undefined || p.port === wantPort);
  const protocol = req.protocol ?? (svcPort?.protocol === 'UDP' ? 'UDP' : 'TCP');
  const tracer = new Tracer(dp);
  // NetworkPolicy judges each leg's first packet where it lands; a denied leg has no reply.
  const judged = (leg: Walk, proto: 'TCP' | 'UDP'): Walk => {
    const j = applyPolicies(dp, leg, from.endpoint, proto);
    if (j === leg) return leg;
    const out: Walk = { ...leg, hops: j.hops };
    if (j.verdict) out.verdict = j.verdict;
    if (j.reason) out.reason = j.reason;
    if (j.delivered) out.delivered = j.delivered;
    else delete out.delivered;
    return out;
  };
  const src = 'ip' in from.endpoint ? from.endpoint.ip : '0.0.0.0';
  let dns: TraceResult['dns'];
  let target = to.endpoint;
  if (target.kind === 'dns') {
    // The lookup first: the pod's resolv.conf points at kube-dns's ClusterIP.
    const dnsIp = dp.cluster.cluster.dnsIP;
    const query = judged(
      tracer.start(from.endpoint, { src, sport: CLIENT_PORT + 1, dst: dnsIp, dport: 53, proto: 'UDP' }),
      'UDP',
    );
    const svc = target.service;
    const answer = svc.headless ? [...new Set(svc.endpoints.map((e) => e.ip))] : svc.clusterIP ? [svc.clusterIP] : [];
    dns = { name: target.name, answer, query: leg(query) };
    // kubelet writes the DNS address into every pod's resolv.conf whether or not kube-dns got it: without it nobody answers.
    const kubeDns = dp.cluster.services.find((x) => x.namespace === 'kube-system' && x.name === 'kube-dns');
    if (kubeDns?.clusterIP !== dnsIp) {
      const why = kubeDns
        ? `the kube-dns Service has no ClusterIP ${dnsIp} (see its warning), so no kube-proxy rule sends the query to CoreDNS`
        : `there is no kube-dns Service at ${dnsIp}`;
      return {
        ok: true,
        result: {
          ...leg(query),
          verdict: 'unreachable',
          reason: `DNS lookup failed: the pod asks ${dnsIp} (its resolv.conf nameserver) and no DNS server answers: ${why}`,
          protocol,
          dns: { ...dns, answer: [] },
          conntrack: [],
        },
      };
    }
    if (query.verdict !== 'delivered' || answer.length === 0) {
      return {
        ok: true,
        result: {
          ...leg(query),
          verdict: query.verdict === 'delivered' ? 'unreachable' : (query.verdict ?? 'dropped'),
          reason: answer.length === 0 ? `DNS: ${target.name} has no address` : `DNS lookup failed: ${query.reason}`,
          protocol,
          dns,
          conntrack: [],
        },
      };
    }
    target = {
      ...byIp(dp.cluster, answer[0]!),
      ...(target.port !== undefined ? { port: target.port } : {}),
    } as Endpoint;
  }
  const dst = 'ip' in target ? target.ip : '';
  const pkt: Pkt = {
    src,
    sport: CLIENT_PORT,
    dst,
    dport: req.port ?? defaultPort(to.endpoint.kind === 'dns' ? to.endpoint : target),
    proto: protocol,
  };
  const w = judged(tracer.start(from.endpoint, pkt), protocol);
  const result: TraceResult = { ...leg(w), protocol, conntrack: [], ...(dns ? { dns } : {}) };
  const server = w.delivered;
  if (w.verdict === 'delivered' && server && w.hops[0]) {
    // The reply: from the server back to whoever the server saw, then conntrack restores the original addresses.
    const last = w.hops[w.hops.length - 1]!;
    const [seenSrcIp, seenSrcPort] = splitHp(last.srcAfter);
    const [serverIp, serverPort] = splitHp(last.dstAfter);
    const reply: Pkt = { src: serverIp, sport: serverPort, dst: seenSrcIp, dport: seenSrcPort, proto: protocol };
    let rw = server.pod
      ? tracer.fromPod({ hops: [], nats: [], reply: true }, server.pod, reply)
      : tracer.fromNodeStack({ hops: [], nats: [], reply: true }, server.node, reply);
    // Back through every node that rewrote the request, last first: each node's conntrack restores what that node changed.
    let from_ = 0;
    for (let i = w.nats.length - 1; i >= 0; i--) {
      const rec = w.nats[i]!;
      const at = rw.hops.findIndex((h, k) => k >= from_ && h.node === rec.node && h.namespace === 'host');
      const natNode = dp.nodeByName(rec.node);
      if (at < 0 || !natNode) break;
      const h = rw.hops[at]!;
      const back: Pkt = {
        src: rec.orig.dst,
        sport: rec.orig.dport,
        dst: rec.orig.src,
        dport: rec.orig.sport,
        proto: protocol,
      };
      rw = { hops: rw.hops.slice(0, at + 1), nats: [], reply: true };
      rw.hops.push({
        step: at + 2,
        node: h.node,
        namespace: 'host',
        device: 'conntrack',
        src: h.srcAfter,
        dst: h.dstAfter,
        srcAfter: hp(back.src, back.sport),
        dstAfter: hp(back.dst, back.dport),
        action: 'un-nat',
        explain: `conntrack on ${rec.node} recognises the reply of the tracked connection and reverses its NAT: the packet is addressed ${hp(back.src, back.sport)} → ${hp(back.dst, back.dport)} again, as it was when it reached ${rec.node}.`,
      });
      from_ = at + 2;
      rw = i === 0 ? tracer.continueReply(rw, natNode, back, from.endpoint) : tracer.inNode(rw, natNode, back, false);
    }
    for (const rec of w.nats) {
      result.conntrack.push(
        renderConntrack({
          proto: protocol,
          orig: rec.orig,
          reply: { src: rec.now.dst, sport: rec.now.dport, dst: rec.now.src, dport: rec.now.sport },
        }),
      );
    }
    result.reply = {
      verdict: rw.verdict === 'delivered' || rw.hops.length > 0 ? 'delivered' : 'dropped',
      reason: `the reply reaches ${hp(pkt.src, pkt.sport)}`,
      hops: rw.hops.map((h) =>
        h.action === 'deliver' || h.action === 'refuse'
          ? { ...h, action: 'deliver', explain: `The reply reaches the client at ${hp(pkt.src, pkt.sport)}.` }
          : h,
      ),
    };
  }
  return { ok: true, result };
}

function pendingPod(dp: Dataplane, ref: string): RealizedPod | undefined {
  const m = /^pod\/([^/]+)\/([^/]+)$/.exec(ref.trim());
  if (!m) return undefined;
  const p = podByName(dp.cluster, m[1]!, m[2]!);
  return p && p.ip === null ? p : undefined;
}
