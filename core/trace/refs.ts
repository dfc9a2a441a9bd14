// What a user can name as a trace's source or destination.
import { parseIp } from '../ip/cidr';
import { containsAny, familyOf, parseAny, parseAnyCidr, type IpAddr } from '../ip/anyIp';
import { formatIp6, parseIp6 } from '../ip/cidr6';
import { podByIp6 } from './podByIp6';
import { endpointNamed, serviceNamed } from './serviceNames';
import { podStoreOf } from '../store/packedCluster';
import type { RealizedCluster, RealizedNode, RealizedPod, RealizedService } from '../api/types';
import { nodeGateway, nodePodCidr, podIp } from '../api/familyFields';

/** TEST-NET-3 (RFC 5737): the documentation address an "external" client uses. */
export const EXTERNAL_CLIENT_IP = '203.0.113.10';
/** The IPv6 documentation prefix 2001:db8::/32 (RFC 3849): an "external" client over IPv6. */
export const EXTERNAL_CLIENT_IP6 = '2001:db8::10';

export type Endpoint =
  | { kind: 'pod'; ip: string; pod: RealizedPod; node: RealizedNode; port?: number }
  | { kind: 'node'; ip: string; node: RealizedNode; port?: number }
  | { kind: 'service'; ip: string; service: RealizedService; port?: number }
  | { kind: 'external'; ip: string; port?: number }
  | { kind: 'dns'; name: string; service: RealizedService; port?: number };

export type Resolved = { ok: true; endpoint: Endpoint } | { ok: false; message: string };
const fail = (message: string): Resolved => ({ ok: false, message });

interface Index {
  /** ClusterIPs and node addresses; pods are looked up through `pods`. */
  byIp: Map<string, Endpoint>;
  pods: PodLookup;
  services: Map<string, RealizedService>;
  nodes: Map<string, RealizedNode>;
}

/** Pods by name and by address: through realize's columns, or maps for a cluster built by hand. */
interface PodLookup {
  byName(namespace: string | undefined, name: string): RealizedPod | undefined;
  /** Every pod of that name, whatever its namespace. */
  everyNamed(name: string): RealizedPod[];
  /** The Running pod on the pod network (not hostNetwork) holding the address. */
  byIp(ip: string): RealizedPod | undefined;
}

function podLookup(c: RealizedCluster): PodLookup {
  const store = podStoreOf(c);
  if (store) {
    const at = (i: number) => (i < 0 ? undefined : store.pod(i));
    return {
      byName: (ns, name) => at(store.indexOfName(ns, name)),
      everyNamed: (name) => store.indexesOfName(name).map((i) => store.pod(i)),
      byIp: (ip) => {
        const a = parseIp(ip);
        return a.ok ? at(store.indexOfIp(a.value)) : undefined;
      },
    };
  }
  const names = new Map(c.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  // IPv4 addresses only: IPv6 ones are found through their node's IPv6 PodCIDR (podByIp6).
  const ips = new Map<string, RealizedPod>();
  for (const p of c.pods) if (!p.hostNetwork && podIp(p, 'IPv4')) ips.set(podIp(p, 'IPv4')!, p);
  return {
    byName: (ns, name) => (ns !== undefined ? names.get(`${ns}/${name}`) : c.pods.find((p) => p.name === name)),
    everyNamed: (name) => c.pods.filter((p) => p.name === name),
    byIp: (ip) => ips.get(ip),
  };
}

const indexes = new WeakMap<RealizedCluster, Index>();

/** Address and name lookups, built once per realized cluster: a trace never scans 150,000 pods. */
function indexOf(c: RealizedCluster): Index {
  let ix = indexes.get(c);
  if (ix) return ix;
  const nodes = new Map(c.nodes.map((n) => [n.name, n]));
  const byIpMap = new Map<string, Endpoint>();
  for (const s of c.services)
    for (const ip of s.clusterIPs ?? (s.clusterIP ? [s.clusterIP] : []))
      byIpMap.set(ip, { kind: 'service', ip, service: s });
  // A dual-stack node's InternalIPs: the primary (node.ip) and the other family's.
  for (const n of c.nodes)
    for (const ip of [n.ip, ...(n.ips ?? [])]) if (ip) byIpMap.set(ip, { kind: 'node', ip, node: n });
  ix = {
    byIp: byIpMap,
    pods: podLookup(c),
    services: new Map(c.services.map((s) => [`${s.namespace}/${s.name}`, s])),
    nodes,
  };
  indexes.set(c, ix);
  return ix;
}

/** A pod's address wins over a node's or a ClusterIP it might share. */
function atAddress(c: RealizedCluster, ip: string): Endpoint | undefined {
  const ix = indexOf(c);
  const pod = ip.includes(':') ? podByIp6(c, ip) : ix.pods.byIp(ip);
  if (pod) return { kind: 'pod', ip, pod, node: ix.nodes.get(pod.node!)! };
  return ix.byIp.get(ip);
}

/** An address literal with its port: IP, IP:PORT, an IPv6 address, or [IPv6]:PORT. */
function literal(r: string): { host: string; port?: number } {
  const br = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(r);
  if (br) return { host: br[1]!, ...(br[2] !== undefined ? { port: Number(br[2]) } : {}) };
  // A bare IPv6 address takes no port (its last group would read as one).
  if (r.split(':').length > 2) return { host: r };
  const m = /^(.*?)(?::(\d+))?$/.exec(r)!;
  return { host: m[1]!, ...(m[2] !== undefined ? { port: Number(m[2]) } : {}) };
}

/** Resolves pod/NS/NAME, node/NAME, svc/NS/NAME, external, an IP, IP:PORT ([IPv6]:PORT) or a Service DNS name. */
export function resolveRef(c: RealizedCluster, ref: string): Resolved {
  const r = ref.trim();
  if (r === 'external' || r === 'internet') return { ok: true, endpoint: { kind: 'external', ip: EXTERNAL_CLIENT_IP } };
  const [kind, ...rest] = r.split('/');
  if (kind === 'pod' || kind === 'po') {
    const [ns, name] = rest.length === 1 ? ['default', rest[0]] : rest;
    const pod = ns === undefined || name === undefined ? undefined : indexOf(c).pods.byName(ns, name);
    return pod ? podEndpoint(c, pod) : fail(`no pod ${ns}/${name}`);
  }
  if (kind === 'node' || kind === 'no') {
    const node = indexOf(c).nodes.get(rest.join('/'));
    return node
      ? { ok: true, endpoint: { kind: 'node', ip: node.ip, node } }
      : fail(`no node ${rest.join('/')} (nodes: ${c.nodes.map((n) => n.name).join(', ')})`);
  }
  if (kind === 'svc' || kind === 'service') {
    const [ns, name] = rest.length === 1 ? ['default', rest[0]] : rest;
    const service = indexOf(c).services.get(`${ns}/${name}`);
    return service ? serviceEndpoint(c, service) : fail(`no Service ${ns}/${name}`);
  }
  const lit = literal(r);
  const port = lit.port;
  const six = parseIp6(lit.host);
  // RFC 5952 text, so an address the user wrote uncompressed still finds what holds it.
  const host = six.ok && lit.host.includes(':') ? formatIp6(six.value) : lit.host;
  const ip = host.includes(':') ? six : parseIp(host);
  if (ip.ok) return { ok: true, endpoint: { ...byIp(c, host), ...(port !== undefined ? { port } : {}) } as Endpoint };
  const service = serviceByName(c, host) ?? endpointNamed(indexOf(c).services, c.cluster.clusterDomain, host);
  if (service)
    return { ok: true, endpoint: { kind: 'dns', name: host, service, ...(port !== undefined ? { port } : {}) } };
  const named = asKubectlTypesIt(c, r);
  if (named) return named;
  return fail(
    `"${ref}" is not a pod/NS/NAME, node/NAME, svc/NS/NAME, an IP, IP:PORT or a Service DNS name in this cluster`,
  );
}

function podEndpoint(c: RealizedCluster, pod: RealizedPod): Resolved {
  if (pod.ip === null || pod.node === null)
    return fail(`pod ${pod.namespace}/${pod.name} is Pending and has no IP: ${pod.reason ?? ''}`);
  return { ok: true, endpoint: { kind: 'pod', ip: pod.ip, pod, node: indexOf(c).nodes.get(pod.node)! } };
}

/**
 * A ref as kubectl users write names: NS/NAME (a pod, else a Service), or a bare NAME — a pod when exactly one
 * namespace has one of that name, else a node. undefined when nothing is called that.
 */
function asKubectlTypesIt(c: RealizedCluster, r: string): Resolved | undefined {
  const ix = indexOf(c);
  const parts = r.split('/');
  if (parts.length === 2 && parts[0] && parts[1]) {
    const pod = ix.pods.byName(parts[0], parts[1]);
    if (pod) return podEndpoint(c, pod);
    const s = ix.services.get(r);
    return s ? serviceEndpoint(c, s) : undefined;
  }
  if (parts.length !== 1) return undefined;
  const pods = ix.pods.everyNamed(r);
  if (pods.length === 1) return podEndpoint(c, pods[0]!);
  if (pods.length > 1)
    return fail(
      `"${r}" names a pod in ${pods.length} namespaces (${pods.map((p) => p.namespace).join(', ')}): write NAMESPACE/${r}`,
    );
  const node = ix.nodes.get(r);
  return node ? { ok: true, endpoint: { kind: 'node', ip: node.ip, node } } : undefined;
}

function serviceEndpoint(c: RealizedCluster, s: RealizedService): Resolved {
  return s.clusterIP === null
    ? headless(c, s)
    : { ok: true, endpoint: { kind: 'service', ip: s.clusterIP, service: s } };
}

function headless(c: RealizedCluster, s: RealizedService): Resolved {
  const ep = s.endpoints[0];
  if (!ep) return fail(`Service ${s.namespace}/${s.name} is headless and has no endpoints`);
  return { ok: true, endpoint: byIp(c, ep.ip) };
}

/** What lives at an address: a pod, a node, a ClusterIP, or the outside world. */
export function byIp(c: RealizedCluster, ip: string): Endpoint {
  return atAddress(c, ip) ?? { kind: 'external', ip };
}

/** NAME.NS.svc.<domain>, NAME.NS.svc, NAME.NS (the search path a pod's resolv.conf gives). */
export const serviceByName = (c: RealizedCluster, name: string): RealizedService | undefined =>
  serviceNamed(indexOf(c).services, c.cluster.clusterDomain, name);

/**
 * What a search box finds: a node, pod or Service by name, any address it
 * holds, or a ref as the CLI takes it. Returns a selection ref
 * ("node/NAME", "pod/NS/NAME", "svc/NS/NAME") or a message.
 */
export function findObject(
  c: RealizedCluster,
  query: string,
): { ok: true; ref: string; what: string } | { ok: false; message: string } {
  const q = query.trim();
  if (!q) return { ok: false, message: 'type a node, pod or Service name, or an IP address' };
  const ix = indexOf(c);
  if (ix.nodes.has(q)) return { ok: true, ref: `node/${q}`, what: `node ${q}` };
  // The address a query names: IP, IP:PORT, an IPv6 address or [IPv6]:PORT.
  const ip = literal(q).host;
  const addr = parseAny(ip);
  const family = addr.ok ? familyOf(addr.value) : undefined;
  const hit = atAddress(c, ip);
  if (hit?.kind === 'pod')
    return { ok: true, ref: `pod/${hit.pod.namespace}/${hit.pod.name}`, what: `pod ${hit.pod.name} has ${ip}` };
  if (hit?.kind === 'node') return { ok: true, ref: `node/${hit.node.name}`, what: `node ${hit.node.name} has ${ip}` };
  if (hit?.kind === 'service')
    return {
      ok: true,
      ref: `svc/${hit.service.namespace}/${hit.service.name}`,
      what: `Service ${hit.service.namespace}/${hit.service.name} has ${ip}`,
    };
  const gw = family && c.nodes.find((n) => nodeGateway(n, family) === ip);
  if (gw) return { ok: true, ref: `node/${gw.name}`, what: `${ip} is cni0 on node ${gw.name}` };
  const slash = q.indexOf('/');
  const pod =
    (slash > 0 ? ix.pods.byName(q.slice(0, slash), q.slice(slash + 1)) : undefined) ??
    ix.pods.byName('default', q) ??
    ix.pods.byName(undefined, q);
  if (pod) return { ok: true, ref: `pod/${pod.namespace}/${pod.name}`, what: `pod ${pod.namespace}/${pod.name}` };
  const svc = ix.services.get(q) ?? ix.services.get(`default/${q}`) ?? c.services.find((s) => s.name === q);
  if (svc) return { ok: true, ref: `svc/${svc.namespace}/${svc.name}`, what: `Service ${svc.namespace}/${svc.name}` };
  const r = resolveRef(c, q);
  if (r.ok) {
    const e = r.endpoint;
    if (e.kind === 'pod') return { ok: true, ref: `pod/${e.pod.namespace}/${e.pod.name}`, what: `pod ${e.pod.name}` };
    if (e.kind === 'node') return { ok: true, ref: `node/${e.node.name}`, what: `node ${e.node.name}` };
    if (e.kind === 'service' || e.kind === 'dns')
      return {
        ok: true,
        ref: `svc/${e.service.namespace}/${e.service.name}`,
        what: `Service ${e.service.namespace}/${e.service.name}`,
      };
  }
  const owner = addr.ok && family ? c.nodes.find((n) => inCidr(addr.value, nodePodCidr(n, family))) : undefined;
  if (owner && family)
    return {
      ok: true,
      ref: `node/${owner.name}`,
      what: `${ip} is free in node ${owner.name}'s PodCIDR ${nodePodCidr(owner, family)}`,
    };
  return { ok: false, message: `nothing in the cluster is called or has the address "${q}"` };
}

function inCidr(a: IpAddr, cidr: string | undefined): boolean {
  const c = cidr === undefined ? undefined : parseAnyCidr(cidr);
  return !!c?.ok && containsAny(c.value, a);
}

/** The pod a selection ref ("pod/NS/NAME") names, if it is in the cluster. */
export function podBySelection(c: RealizedCluster, ref: string): RealizedPod | undefined {
  const [kind, ns, name] = ref.split('/');
  return kind === 'pod' && ns !== undefined && name !== undefined ? podByName(c, ns, name) : undefined;
}

/** A pod by namespace and name, from the per-cluster index (no scan of 150,000 pods). */
export function podByName(c: RealizedCluster, namespace: string, name: string): RealizedPod | undefined {
  return indexOf(c).pods.byName(namespace, name);
}
