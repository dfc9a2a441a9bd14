// Which family a trace runs in, and each endpoint's address in it. A dual-stack cluster's objects hold
// one address per family (podIPs, InternalIPs, clusterIPs); a trace walks one family's tables end to end,
// as a connection does (the DNS query aside: it goes to the nameserver the pod's resolv.conf names, in its family).
import { parseIp } from '../ip/cidr';
import { parseIp6 } from '../ip/cidr6';
import type { IpFamilyName } from '../ip/anyIp';
import type { Dataplane } from '../dataplane/dataplane';
import type { RealizedService } from '../api/types';
import { endpointsIn, primaryFamily } from '../api/familyFields';
import { clusterIp, nodeIp, podIp } from '../api/familyFields';
import { EXTERNAL_CLIENT_IP, EXTERNAL_CLIENT_IP6, type Endpoint } from './refs';

/** The family of an address literal in a ref (IP, IP:PORT, IPv6, [IPv6]:PORT); undefined for names and refs. */
export function literalFamily(ref: string): IpFamilyName | undefined {
  const r = ref.trim();
  const host = /^\[(.*)\](?::\d+)?$/.exec(r)?.[1] ?? (r.split(':').length > 2 ? r : r.split(':')[0]!);
  // Refs and names are not addresses: ipaddr.js's parsers are slow to say so (a trace's hot path).
  if (!/^[0-9a-fA-F:.]+$/.test(host)) return undefined;
  if (parseIp6(host).ok && host.includes(':')) return 'IPv6';
  return parseIp(host).ok ? 'IPv4' : undefined;
}

export type FamilyChoice = { ok: true; family: IpFamilyName } | { ok: false; message: string };

/**
 * The family asked for, else the destination literal's, else the cluster's primary (its first pod range's: IPv4,
 * or IPv6 in an IPv6 single-stack or IPv6-first dual-stack cluster).
 */
export function requestFamily(dp: Dataplane, req: { from: string; to: string; family?: IpFamilyName }): FamilyChoice {
  const to = literalFamily(req.to);
  const from = literalFamily(req.from);
  // An IPv6 single-stack cluster's only family is IPv6.
  const v6only = dp.cluster.cluster.ipFamily === 'ipv6';
  const family = req.family ?? to ?? from ?? primaryFamily(dp.cluster.cluster);
  if (family === 'IPv4' && v6only)
    return {
      ok: false,
      message: `IPv4: this cluster is IPv6 single-stack (ipFamily: ipv6): no pod, node or Service has an IPv4 address${to === 'IPv4' || from === 'IPv4' ? `; "${to === 'IPv4' ? req.to : req.from}" cannot be reached` : ''}`,
    };
  for (const [flag, ref, f] of [
    ['--to', req.to, to],
    ['--from', req.from, from],
  ] as const)
    if (f !== undefined && f !== family)
      return {
        ok: false,
        message: `${flag}: "${ref}" is an ${f} address, but the trace is over ${family}${family === 'IPv6' ? ' (-6)' : ''}; a packet keeps one family end to end`,
      };
  if (family === 'IPv6' && !dp.cluster.cluster.podCIDRs)
    return {
      ok: false,
      message: 'IPv6: this cluster is single-stack (IPv4); set networking.ipFamily: dual to trace over IPv6',
    };
  return { ok: true, family };
}

export type AddressOf = { ok: true; ip: string } | { ok: false; reason: string };

/** Why a Service has no ClusterIP of the family, naming the flag that reaches it when that is not the default family. */
const singleStack = (s: RealizedService, f: IpFamilyName, primary: IpFamilyName) =>
  `Service ${s.namespace}/${s.name} is ${s.ipFamilyPolicy ?? 'SingleStack'} with ipFamilies [${(s.ipFamilies ?? ['IPv4']).join(', ')}]: it has no ${f} ClusterIP${f === 'IPv4' ? ' (trace it with -6)' : primary === 'IPv6' ? ' (trace it with -4)' : ''}`;

/**
 * The endpoint's address in the family: its own when it is of that family (the address a ref named), else a pod's
 * and a node's from their both-family lists, a Service's ClusterIP of that family.
 */
export function endpointAddress(e: Endpoint, f: IpFamilyName, primary: IpFamilyName = 'IPv4'): AddressOf {
  if (e.kind === 'dns') return { ok: false, reason: `${e.name} is a name` };
  if (e.ip.includes(':') === (f === 'IPv6')) return { ok: true, ip: e.ip };
  const other = f === 'IPv6' ? 'IPv4' : 'IPv6';
  if (e.kind === 'pod') {
    const ip = podIp(e.pod, f);
    return ip
      ? { ok: true, ip }
      : {
          ok: false,
          reason: `pod ${e.pod.namespace}/${e.pod.name} has no ${f} address (status.podIPs ${JSON.stringify(e.pod.ips ?? [e.pod.ip])}: its node ${e.node.name} has no ${f} PodCIDR)`,
        };
  }
  if (e.kind === 'node') {
    const ip = nodeIp(e.node, f);
    return ip ? { ok: true, ip } : { ok: false, reason: `node ${e.node.name} has no ${f} address` };
  }
  // A SingleStack Service has no ClusterIP of the other family to send the packet to.
  if (e.kind === 'service') {
    const ip = clusterIp(e.service, f);
    return ip ? { ok: true, ip } : { ok: false, reason: singleStack(e.service, f, primary) };
  }
  if (e.ip === EXTERNAL_CLIENT_IP) return { ok: true, ip: EXTERNAL_CLIENT_IP6 };
  return { ok: false, reason: `${e.ip} is an ${other} address` };
}

/** What CoreDNS answers for a Service name: A records for IPv4, AAAA for IPv6 (the ClusterIP, or a headless Service's endpoints of that family). */
export function dnsAnswer(
  s: RealizedService,
  f: IpFamilyName,
  primary: IpFamilyName = 'IPv4',
): { answer: string[]; none?: string } {
  const eps = endpointsIn(s, f);
  const answer = s.headless
    ? [...new Set(eps.filter((e) => e.ip.includes(':') === (f === 'IPv6')).map((e) => e.ip))]
    : [clusterIp(s, f)].filter((x): x is string => x !== undefined);
  if (answer.length > 0 || (f === 'IPv4' && (s.headless || !s.clusterIP))) return { answer };
  const why = s.headless
    ? `the headless Service ${s.namespace}/${s.name} has no ${f} endpoints`
    : singleStack(s, f, primary);
  const record = f === 'IPv6' ? 'AAAA' : 'A';
  return { answer, none: `has no ${record} record: ${why}, so CoreDNS answers the ${record} query with no address` };
}

/**
 * The tables an IPv6 walk would need that nothing renders yet: kube-proxy's and flannel's ip6tables rules
 * (and `table ip6 kube-proxy` in nftables mode). Without them a trace to a Service, a NodePort or out of the
 * cluster is not walked through an empty table: the message says what is missing. Pod and node addresses
 * inside the cluster need only routes.
 */
export function missingIpv6Tables(dp: Dataplane, from: Endpoint, to: Endpoint, dport: number): string | undefined {
  const anyNode = dp.cluster.nodes[0]?.name;
  const k = anyNode === undefined ? undefined : dp.kernel(anyNode);
  const nft = dp.cluster.cluster.kubeProxyMode === 'nftables';
  if (k?.table('nat', 'IPv6') && (!nft || k.nft6?.())) return undefined;
  const nodePort = dp.cluster.services.some((s) => s.ports.some((p) => p.nodePort === dport));
  const internal = from.kind === 'pod' || from.kind === 'node';
  if (internal && (to.kind === 'pod' || (to.kind === 'node' && !nodePort))) return undefined;
  const what = nft ? "kube-proxy's `table ip6 kube-proxy`" : "kube-proxy's and flannel's ip6tables rules";
  return `IPv6: a trace ${to.kind === 'service' ? 'to a Service' : to.kind === 'node' ? 'to a NodePort' : to.kind === 'external' ? 'out of the cluster' : 'from outside the cluster'} walks ${what}, which this version does not render yet; over IPv6, pod → pod, node → pod and pod → node (not a NodePort) are traced`;
}
