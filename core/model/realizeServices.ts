// Services: ClusterIPs, NodePorts and endpoints.
import { formatIp, parseIp } from '../ip/cidr';
import { ClusterIpAllocator, dnsServiceIp, kubernetesServiceIp } from '../ipam/serviceIps';
import { NodePortAllocator } from '../ipam/nodePorts';
import { matchesLabels } from './labels';
import { APISERVER_PORT } from './systemObjects';
import type {
  ClusterSpec, Labels, RealizedEndpoint, RealizedPod, RealizedService, RealizedServicePort, ServiceDecl, Warning,
} from './types';

const svcKey = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;

/** Endpoints for one service port, sorted by "ip:port" as kube-proxy's EndpointSliceCache does (byEndpoint). */
function endpointsFor(svc: ServiceDecl, port: RealizedServicePort, pods: RealizedPod[]): RealizedEndpoint[] {
  const out: RealizedEndpoint[] = [];
  for (const pod of pods) {
    let target: number | undefined;
    if (typeof port.targetPort === 'number') target = port.targetPort;
    else target = pod.ports.find((p) => p.name === port.targetPort && p.protocol === port.protocol)?.containerPort;
    if (target === undefined) continue; // a named port the pod does not declare: not an endpoint
    out.push({ ip: pod.ip!, port: target, portName: port.name, protocol: port.protocol, node: pod.node!, pod: pod.name, namespace: svc.namespace });
  }
  return out.sort(byEndpointString);
}

/** Orders endpoints as the strings "ip:port" would sort, without building the strings. */
export function byEndpointString(a: RealizedEndpoint, b: RealizedEndpoint): number {
  const x = a.ip;
  const y = b.ip;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x.charCodeAt(i) - y.charCodeAt(i);
    if (d !== 0) return d;
  }
  // One address is a prefix of the other: the shorter one continues with ':' (58).
  if (x.length !== y.length) return x.length < y.length ? 58 - y.charCodeAt(n) : x.charCodeAt(n) - 58;
  const px = String(a.port);
  const py = String(b.port);
  return px < py ? -1 : px > py ? 1 : 0;
}


export interface ServiceInputs {
  spec: ClusterSpec;
  /** Built-ins first (kubernetes, kube-dns), then the user's, in document order. */
  services: ServiceDecl[];
  /** Running pods with an IP, per namespace. */
  runningByNamespace: Map<string, RealizedPod[]>;
  /** Endpoints of the kubernetes Service: the control-plane node IPs. */
  apiServerIps: string[];
  apiServerNodes: string[];
  warnings: Warning[];
}

export function realizeServices(inp: ServiceInputs): RealizedService[] {
  const { spec, services, warnings } = inp;
  const ips = new ClusterIpAllocator(spec.serviceSubnet);
  const ports = new NodePortAllocator();
  const clusterIPs = new Map<ServiceDecl, number | null>();
  const fixed = new Map<string, number>([
    ['default/kubernetes', kubernetesServiceIp(spec.serviceSubnet)],
    ['kube-system/kube-dns', dnsServiceIp(spec.serviceSubnet)],
  ]);

  // Pass 1: requested addresses (and the two built-ins) are reserved before any
  // dynamic choice, so a dynamic pick can never steal an address someone asked for.
  for (const s of services) {
    if (s.clusterIP === 'None') { clusterIPs.set(s, null); continue; }
    const want = fixed.get(svcKey(s)) ?? (s.clusterIP !== undefined ? parseIp(s.clusterIP) : undefined);
    if (want === undefined) continue;
    const ip = typeof want === 'number' ? want : want.ok ? want.value : undefined;
    if (ip === undefined) { clusterIPs.set(s, null); continue; }
    const err = ips.reserve(ip);
    if (err) {
      warnings.push({ code: 'ClusterIPNotAllocated', message: `Service ${svcKey(s)}: ${err}`, subject: `svc/${svcKey(s)}` });
      clusterIPs.set(s, null);
    } else clusterIPs.set(s, ip);
  }
  for (const s of services) {
    if (clusterIPs.has(s)) continue;
    const ip = ips.allocateFor(svcKey(s));
    if (ip === undefined) {
      warnings.push({ code: 'ServiceRangeExhausted', message: `Service ${svcKey(s)}: failed to allocate a service IP: range is full (${formatIp(spec.serviceSubnet.base)}/${spec.serviceSubnet.prefix})`, subject: `svc/${svcKey(s)}` });
      clusterIPs.set(s, null);
    } else clusterIPs.set(s, ip);
  }

  // NodePorts: requested ones first, then deterministic picks, per service port.
  const wantsNodePorts = (s: ServiceDecl) => s.type === 'NodePort' || s.type === 'LoadBalancer';
  const nodePorts = new Map<string, number | null>();
  for (const s of services) {
    if (!wantsNodePorts(s)) continue;
    s.ports.forEach((p, i) => {
      if (p.nodePort === undefined) return;
      const err = ports.reserve(p.nodePort);
      if (err) warnings.push({ code: 'NodePortNotAllocated', message: `Service ${svcKey(s)}: spec.ports[${i}].nodePort: ${err}`, subject: `svc/${svcKey(s)}` });
      nodePorts.set(`${svcKey(s)}#${i}`, err ? null : p.nodePort);
    });
  }
  for (const s of services) {
    if (!wantsNodePorts(s)) continue;
    s.ports.forEach((p, i) => {
      const k = `${svcKey(s)}#${i}`;
      if (nodePorts.has(k)) return;
      const np = ports.allocateFor(`${svcKey(s)}:${p.name ?? ''}:${p.protocol}`);
      if (np === undefined) warnings.push({ code: 'NodePortRangeExhausted', message: `Service ${svcKey(s)}: no NodePort left in 30000-32767`, subject: `svc/${svcKey(s)}` });
      nodePorts.set(k, np ?? null);
    });
  }

  const byLabel = indexByLabel(inp.runningByNamespace);
  return services.map((s) => {
    const clusterIP = clusterIPs.get(s) ?? null;
    const rports: RealizedServicePort[] = s.ports.map((p, i) => ({
      name: p.name ?? '',
      protocol: p.protocol,
      port: p.port,
      targetPort: p.targetPort,
      nodePort: nodePorts.get(`${svcKey(s)}#${i}`) ?? null,
    }));
    let endpoints: RealizedEndpoint[] = [];
    if (svcKey(s) === 'default/kubernetes') {
      endpoints = inp.apiServerIps.map((ip, i) => ({ ip, port: APISERVER_PORT, portName: 'https', protocol: 'TCP', node: inp.apiServerNodes[i]!, pod: `kube-apiserver-${inp.apiServerNodes[i]!}`, namespace: 'kube-system' }));
    } else if (s.selector && Object.keys(s.selector).length > 0) {
      const selected = selectPods(byLabel, s.namespace, s.selector).filter((p) => matchesLabels(s.selector, p.labels));
      endpoints = rports.flatMap((p) => endpointsFor(s, p, selected));
    }
    if (s.selector && endpoints.length === 0 && clusterIP !== null) {
      warnings.push({ code: 'NoEndpoints', message: `Service ${svcKey(s)} has no endpoints: no running pod in namespace ${s.namespace} matches its selector${describeSelector(s.selector)}; kube-proxy rejects connections to it`, subject: `svc/${svcKey(s)}` });
    }
    return {
      namespace: s.namespace,
      name: s.name,
      type: s.type,
      clusterIP: clusterIP === null ? null : formatIp(clusterIP),
      headless: s.clusterIP === 'None',
      ...(s.selector ? { selector: s.selector } : {}),
      ports: rports,
      endpoints,
      externalTrafficPolicy: s.externalTrafficPolicy,
      internalTrafficPolicy: s.internalTrafficPolicy,
      sessionAffinity: s.sessionAffinity,
      sessionAffinityTimeout: s.sessionAffinity === 'ClientIP' ? (s.sessionAffinityTimeout ?? 10800) : null,
    };
  });
}

/** namespace -> "key=value" -> running pods carrying that label: selection without scanning every pod. */
function indexByLabel(byNs: Map<string, RealizedPod[]>): Map<string, Map<string, RealizedPod[]>> {
  const out = new Map<string, Map<string, RealizedPod[]>>();
  for (const [ns, pods] of byNs) {
    // Pods of one workload share one labels object: group by it, then index each group once.
    const groups = new Map<Labels, RealizedPod[]>();
    for (const p of pods) {
      const g = groups.get(p.labels);
      if (g) g.push(p);
      else groups.set(p.labels, [p]);
    }
    const idx = new Map<string, RealizedPod[]>();
    for (const [labels, members] of groups) {
      for (const k in labels) {
        const key = `${k}=${labels[k]}`;
        const list = idx.get(key);
        if (list) for (const m of members) list.push(m);
        else idx.set(key, members.slice());
      }
    }
    out.set(ns, idx);
  }
  return out;
}

/** The candidates for a selector: the shortest posting list among its pairs (then filtered exactly). */
function selectPods(idx: Map<string, Map<string, RealizedPod[]>>, ns: string, sel: Record<string, string>): RealizedPod[] {
  const byKey = idx.get(ns);
  if (!byKey) return [];
  let best: RealizedPod[] | undefined;
  for (const k in sel) {
    const list = byKey.get(`${k}=${sel[k]}`) ?? [];
    if (!best || list.length < best.length) best = list;
  }
  return best ?? [];
}

function describeSelector(sel: Record<string, string>): string {
  return ` (${Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',')})`;
}
