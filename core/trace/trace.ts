// The packet tracer: a packet's path hop by hop through pod, bridge,
// kube-proxy's NAT, the node's routes, the underlay or the VXLAN overlay,
// to its destination; then the reply, un-NATed by conntrack. The node's own
// tables decide each step (hostStack.ts walks them).
import { familyOf, formatAny, parseAny, type IpAddr, type IpFamilyName } from '../ip/anyIp';
import type { Dataplane } from '../dataplane/dataplane';
import type { RealizedPod } from '../api/types';
import { clientDns } from './clientDns';
import { clusterIp } from '../api/familyFields';
import { primaryFamily } from '../api/familyFields';
import { renderConntrack } from './conntrack';
import type { Walk } from './hostStack';
import { applyPolicies } from './policyHop';
import { hp } from './ruleHops';
import { byIp, podByName, resolveRef, type Endpoint } from './refs';
import { Tracer } from './tracer';
import { dnsAnswer, endpointAddress, missingIpv6Tables, requestFamily } from './traceFamily';
import { start } from './traceStart';
import type { Pkt, TraceLeg, TraceResult } from './types';

/** The client's ephemeral port: fixed so the same question always gives the same answer. */
export const CLIENT_PORT = 40000;

export interface TraceRequest {
  from: string;
  to: string;
  port?: number;
  protocol?: 'TCP' | 'UDP';
  /** The packet's family in a dual-stack cluster; default: the destination literal's, else the cluster's primary. */
  family?: IpFamilyName;
}

const ipOf = (s: string): IpAddr => {
  const p = parseAny(s);
  return p.ok ? p.value : 0;
};

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
  const fam = requestFamily(dp, req);
  if (!fam.ok) return { ok: false, message: fam.message };
  const family = fam.family;
  const primary = primaryFamily(dp.cluster.cluster);
  const srcAt = endpointAddress(from.endpoint, family, primary);
  if (!srcAt.ok)
    return { ok: true, result: { verdict: 'unreachable', reason: srcAt.reason, hops: [], protocol, conntrack: [] } };
  const src = ipOf(srcAt.ip);
  const recent = new Map<string, Set<IpAddr>>();
  const begin = (p: Pkt) => start(tracer, tracer.newWalk(false, recent), from.endpoint, p);
  let dns: TraceResult['dns'];
  let target = to.endpoint;
  if (target.kind === 'dns') {
    // The lookup first, to the nameserver the client's resolv.conf names (kube-dns's ClusterIP for ClusterFirst).
    const resolver = clientDns(dp.cluster, from.endpoint, target.name);
    if (!resolver.ok) {
      const query: TraceLeg = { verdict: 'unreachable', reason: resolver.reason, hops: [] };
      const dnsNone = { name: target.name, answer: [], query };
      return { ok: true, result: { ...query, protocol, dns: dnsNone, conntrack: [] } };
    }
    const dnsIp = resolver.nameserver;
    // The query goes over the nameserver's family (kubelet's clusterDNS: kube-dns's ClusterIP, of the cluster's
    // primary family) and asks for A or, for an IPv6 connection, AAAA.
    const dnsFamily = familyOf(ipOf(dnsIp));
    const client = endpointAddress(from.endpoint, dnsFamily);
    if (!client.ok) {
      const query: TraceLeg = { verdict: 'unreachable', reason: `DNS lookup failed: ${client.reason}`, hops: [] };
      return { ok: true, result: { ...query, protocol, dns: { name: target.name, answer: [], query }, conntrack: [] } };
    }
    const query = judged(
      begin({ src: ipOf(client.ip), sport: CLIENT_PORT + 1, dst: ipOf(dnsIp), dport: 53, proto: 'UDP' }),
      'UDP',
    );
    const { answer, none } = dnsAnswer(target.service, family, primary);
    dns = { name: target.name, answer, query: leg(query) };
    // kubelet writes the DNS address into every pod's resolv.conf whether or not kube-dns got it: without it nobody answers.
    const kubeDns = dp.cluster.services.find((x) => x.namespace === 'kube-system' && x.name === 'kube-dns');
    if (!kubeDns || clusterIp(kubeDns, dnsFamily) !== dnsIp) {
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
          reason:
            answer.length === 0
              ? `DNS: ${target.name} ${none ?? 'has no address'}`
              : `DNS lookup failed: ${query.reason}`,
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
  const dstAt = endpointAddress(target, family, primary);
  if (!dstAt.ok)
    return {
      ok: true,
      result: {
        verdict: 'unreachable',
        reason: dstAt.reason,
        hops: [],
        protocol,
        conntrack: [],
        ...(dns ? { dns } : {}),
      },
    };
  const dst = ipOf(dstAt.ip);
  const pkt: Pkt = {
    src,
    sport: CLIENT_PORT,
    dst,
    dport: req.port ?? defaultPort(to.endpoint.kind === 'dns' ? to.endpoint : target),
    proto: protocol,
  };
  const missing = family === 'IPv6' ? missingIpv6Tables(dp, from.endpoint, target, pkt.dport) : undefined;
  if (missing) return { ok: false, message: missing };
  const w = judged(begin(pkt), protocol);
  const result: TraceResult = { ...leg(w), protocol, conntrack: [], ...(dns ? { dns } : {}) };
  // conntrack confirms an entry once the packet leaves the last hook (delivered, or out of the cluster).
  if (w.verdict === 'delivered')
    for (const rec of w.nats) {
      result.conntrack.push(
        renderConntrack({
          proto: protocol,
          orig: {
            src: formatAny(rec.orig.src),
            sport: rec.orig.sport,
            dst: formatAny(rec.orig.dst),
            dport: rec.orig.dport,
          },
          reply: {
            src: formatAny(rec.now.dst),
            sport: rec.now.dport,
            dst: formatAny(rec.now.src),
            dport: rec.now.sport,
          },
        }),
      );
    }
  const server = w.delivered;
  if (w.verdict === 'delivered' && server && w.hops[0]) {
    // The reply: from the server back to whoever the server saw, then conntrack restores the original addresses.
    const last = w.hops[w.hops.length - 1]!.packet!.after;
    const reply: Pkt = { src: last.dst, sport: last.dport, dst: last.src, dport: last.sport, proto: protocol };
    let rw =
      server.pod && !server.pod.hostNetwork
        ? tracer.fromPod(tracer.newWalk(true, recent), server.pod, reply)
        : tracer.fromNodeStack(tracer.newWalk(true, recent), server.node, reply, server.pod);
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
      rw = { ...tracer.newWalk(true, recent), hops: rw.hops.slice(0, at + 1) };
      tracer.add(rw, {
        node: h.node,
        namespace: 'host',
        device: 'conntrack',
        before: h.packet!.after,
        after: back,
        action: 'un-nat',
        explain: `conntrack on ${rec.node} recognises the reply of the tracked connection and reverses its NAT: the packet is addressed ${hp(back.src, back.sport)} → ${hp(back.dst, back.dport)} again, as it was when it reached ${rec.node}.`,
      });
      from_ = at + 2;
      rw = i === 0 ? tracer.continueReply(rw, natNode, back, from.endpoint) : tracer.inNode(rw, natNode, back, false);
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
