// Services: ClusterIPs, NodePorts and endpoints.
import { formatIp, parseIp } from '../ip/cidr';
import { inFamily } from '../api/familyFields';
import { ClusterIpAllocator, dnsServiceIp, kubernetesServiceIp } from '../ipam/serviceIps';
import { NodePortAllocator } from '../ipam/nodePorts';
import { APISERVER_PORT } from './systemObjects';
import { sliceEndpoints, slicesByService } from './endpointSlices';
import { allocateClusterIps6, familiesOf } from './realizeServices6';
import { SelectedGroups, type SelectedBefore } from './selectedGroups';
import { targetPortOn, type PackedService } from '../store/packedCluster';
import type { PodGroup } from '../store/podStore';
import type { CarriedService } from './liveState';
import type {
  ClusterSpec,
  EndpointSliceDecl,
  RealizedEndpoint,
  RealizedService,
  RealizedServicePort,
  ServiceDecl,
  Warning,
} from '../api/types';

const svcKey = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;

export interface ServiceInputs {
  spec: ClusterSpec;
  /** Built-ins first (kubernetes, kube-dns), then the user's, in document order. */
  services: ServiceDecl[];
  /** Every pod group (workloads and bare Pods), in creation order. */
  groups: PodGroup[];
  /** Endpoints of the kubernetes Service: the control-plane node IPs. */
  apiServerIps: string[];
  apiServerNodes: string[];
  /** EndpointSlices (and mirrored Endpoints) given in the scenario. */
  endpointSlices: readonly EndpointSliceDecl[];
  warnings: Warning[];
  /** A live cluster: the addresses its Services already hold ("namespace/name"), kept while they exist. */
  carried?: ReadonlyMap<string, CarriedService>;
  /** A live cluster: its groups and Services before the edit, whose selections an unchanged Service keeps. */
  before?: SelectedBefore;
}

/**
 * IPv4 ClusterIPs (none in an IPv6 single-stack cluster): a live cluster's Services keep theirs, then requested
 * addresses and the two built-ins, then dynamic picks.
 */
function allocateClusterIps(inp: ServiceInputs): Map<ServiceDecl, number | null> {
  const { spec, services, warnings } = inp;
  const clusterIPs = new Map<ServiceDecl, number | null>();
  const range = spec.serviceSubnet;
  if (!range) return clusterIPs;
  // A SingleStack IPv6 Service in a dual-stack cluster gets no IPv4 address.
  const v4 = services.filter((s) => familiesOf(s, spec).ipFamilies.includes('IPv4'));
  const ips = new ClusterIpAllocator(range);
  const fixed = new Map<string, number>([
    ['default/kubernetes', kubernetesServiceIp(range)],
    ['kube-system/kube-dns', dnsServiceIp(range)],
  ]);

  // A live cluster: a Service that already exists holds its address (spec.clusterIP is immutable), so a
  // new Service asking for it is refused as the apiserver would ("provided IP is already allocated").
  for (const s of v4) {
    const had = inp.carried?.get(svcKey(s));
    const text = had && inFamily('IPv4', had.clusterIP, had.clusterIPs);
    const kept = text ? parseIp(text) : undefined;
    if (kept?.ok && ips.reserve(kept.value) === undefined) clusterIPs.set(s, kept.value);
  }
  // Pass 1: requested addresses (and the two built-ins) are reserved before any
  // dynamic choice, so a dynamic pick can never steal an address someone asked for.
  for (const s of v4) {
    if (clusterIPs.has(s)) continue;
    if (s.clusterIP === 'None') {
      clusterIPs.set(s, null);
      continue;
    }
    // The IPv4 address asked for: spec.clusterIP, or spec.clusterIPs' IPv4 entry (the second of [IPv6, IPv4]).
    const asked = inFamily('IPv4', s.clusterIP, s.clusterIPs);
    const want =
      (s.namespace === 'default' || s.namespace === 'kube-system' ? fixed.get(svcKey(s)) : undefined) ??
      (asked !== undefined ? parseIp(asked) : undefined);
    if (want === undefined) continue;
    const ip = typeof want === 'number' ? want : want.ok ? want.value : undefined;
    if (ip === undefined) {
      clusterIPs.set(s, null);
      continue;
    }
    const err = ips.reserve(ip);
    if (err) {
      warnings.push({
        code: 'ClusterIPNotAllocated',
        message: `Service ${svcKey(s)}: ${err}`,
        subject: `svc/${svcKey(s)}`,
      });
      clusterIPs.set(s, null);
    } else clusterIPs.set(s, ip);
  }
  for (const s of v4) {
    if (clusterIPs.has(s)) continue;
    const ip = ips.allocateFor(svcKey(s));
    if (ip === undefined) {
      warnings.push({
        code: 'ServiceRangeExhausted',
        message: `Service ${svcKey(s)}: failed to allocate a service IP: range is full (${formatIp(range.base)}/${range.prefix})`,
        subject: `svc/${svcKey(s)}`,
      });
      clusterIPs.set(s, null);
    } else clusterIPs.set(s, ip);
  }

  return clusterIPs;
}

export function realizeServices(inp: ServiceInputs): PackedService[] {
  const { spec, services, warnings } = inp;
  const clusterIPs = allocateClusterIps(inp);
  const ports = new NodePortAllocator();

  // NodePorts: requested ones first, then deterministic picks, per service port.
  const wantsNodePorts = (s: ServiceDecl) => s.type === 'NodePort' || s.type === 'LoadBalancer';
  // Per Service, per port: the NodePort (null when none could be had); undefined until decided.
  const nodePorts = new Map<ServiceDecl, (number | null | undefined)[]>();
  for (const s of services) {
    if (wantsNodePorts(s))
      nodePorts.set(
        s,
        s.ports.map((): number | null | undefined => undefined),
      );
  }
  // A live cluster: a port that asks for no particular NodePort keeps the one it holds.
  for (const [s, chosen] of nodePorts) {
    const had = inp.carried?.get(svcKey(s))?.ports;
    s.ports.forEach((p, i) => {
      const name = p.name ?? '';
      const kept =
        p.nodePort === undefined ? had?.find((h) => h.name === name && h.protocol === p.protocol) : undefined;
      if (kept?.nodePort && ports.reserve(kept.nodePort) === undefined) chosen[i] = kept.nodePort;
    });
  }
  for (const [s, chosen] of nodePorts) {
    s.ports.forEach((p, i) => {
      if (p.nodePort === undefined) return;
      const err = ports.reserve(p.nodePort);
      if (err)
        warnings.push({
          code: 'NodePortNotAllocated',
          message: `Service ${svcKey(s)}: spec.ports[${i}].nodePort: ${err}`,
          subject: `svc/${svcKey(s)}`,
        });
      chosen[i] = err ? null : p.nodePort;
    });
  }
  for (const [s, chosen] of nodePorts) {
    s.ports.forEach((p, i) => {
      if (chosen[i] !== undefined) return;
      const np = ports.allocateFor(`${svcKey(s)}:${p.name ?? ''}:${p.protocol}`);
      if (np === undefined)
        warnings.push({
          code: 'NodePortRangeExhausted',
          message: `Service ${svcKey(s)}: no NodePort left in 30000-32767`,
          subject: `svc/${svcKey(s)}`,
        });
      chosen[i] = np ?? null;
    });
  }

  const clusterIPs6 = allocateClusterIps6(spec, services, warnings, inp.carried);
  const selected = new SelectedGroups(inp.groups, inp.before);
  const slices = slicesByService(inp.endpointSlices, services, warnings);
  return services.map((s, k): PackedService => {
    const ip4 = clusterIPs.get(s);
    const ip6 = clusterIPs6.get(s) ?? null;
    const families = familiesOf(s, spec);
    const v4 = ip4 === undefined || ip4 === null ? null : formatIp(ip4);
    // The primary family's address: ipFamilies[0]'s (IPv6 for [IPv6], [IPv6, IPv4] and in an IPv6 cluster).
    const clusterIP = families.ipFamilies[0] === 'IPv4' ? v4 : ip6;
    const rports: RealizedServicePort[] = s.ports.map((p, i) => ({
      name: p.name ?? '',
      protocol: p.protocol,
      port: p.port,
      targetPort: p.targetPort,
      nodePort: nodePorts.get(s)?.[i] ?? null,
    }));
    let fixed: RealizedEndpoint[] | undefined;
    let groups: number[] | undefined;
    if (s.namespace === 'default' && s.name === 'kubernetes') {
      fixed = inp.apiServerIps.map((ip, i) => ({
        ip,
        port: APISERVER_PORT,
        portName: 'https',
        protocol: 'TCP',
        node: inp.apiServerNodes[i]!,
        pod: `kube-apiserver-${inp.apiServerNodes[i]!}`,
        namespace: 'kube-system',
        ...(families.ipFamilies[0] === 'IPv6' ? { family: 'IPv6' as const } : {}),
      }));
    } else {
      const given = slices.get(svcKey(s));
      if (given) fixed = sliceEndpoints(s.namespace, rports, given);
      if (s.selector && Object.keys(s.selector).length > 0) groups = selected.of(k, s.namespace, s.selector);
    }
    // The endpoints themselves are listed on first read; whether there are any is known now.
    const anyEndpoint =
      (fixed?.length ?? 0) > 0 ||
      (groups ?? []).some((gi) => {
        const g = inp.groups[gi]!;
        return g.running > 0 && rports.some((p) => targetPortOn(p, g.spec.ports) !== undefined);
      });
    if (s.selector && !anyEndpoint && clusterIP !== null) {
      // Pods that match but lack the named port are a different mistake from a selector that matches nothing.
      const matched = (groups ?? []).some((gi) => inp.groups[gi]!.running > 0);
      const named = rports.filter((p) => typeof p.targetPort === 'string').map((p) => `"${p.targetPort}"`);
      const why =
        matched && named.length > 0
          ? `its running pods match the selector${describeSelector(s.selector)} but none declares a container port named ${named.join(' or ')} (targetPort)`
          : `no running pod in namespace ${s.namespace} matches its selector${describeSelector(s.selector)}`;
      warnings.push({
        code: 'NoEndpoints',
        message: `Service ${svcKey(s)} has no endpoints: ${why}; kube-proxy rejects connections to it`,
        subject: `svc/${svcKey(s)}`,
      });
    }
    const service: Omit<RealizedService, 'endpoints'> = {
      namespace: s.namespace,
      name: s.name,
      type: s.type,
      clusterIP,
      headless: s.clusterIP === 'None',
      ...(s.selector ? { selector: s.selector } : {}),
      ports: rports,
      externalTrafficPolicy: s.externalTrafficPolicy,
      internalTrafficPolicy: s.internalTrafficPolicy,
      sessionAffinity: s.sessionAffinity,
      sessionAffinityTimeout: s.sessionAffinity === 'ClientIP' ? (s.sessionAffinityTimeout ?? 10800) : null,
    };
    if (spec.secondary) {
      // Dual-stack: both families' fields in ipFamilies' order; each family's EndpointSlice is listed from the same
      // pods. IPv6 single-stack: the one IPv6 family, spec.clusterIPs [clusterIP].
      Object.assign(service, families, {
        clusterIPs: service.headless
          ? ['None']
          : families.ipFamilies.map((f) => (f === 'IPv4' ? v4 : ip6)).filter((ip): ip is string => !!ip),
      });
    }
    const both = families.ipFamilies.length === 2;
    const dual = spec.secondary && both && groups ? { dual: true } : {};
    const first6 = both && families.ipFamilies[0] === 'IPv6' ? { ipv6First: true } : {};
    const only6 = families.ipFamilies.length === 1 && families.ipFamilies[0] === 'IPv6' ? { ipv6Only: true } : {};
    return { service, ...(fixed ? { fixed } : {}), ...(groups ? { groups } : {}), ...dual, ...first6, ...only6 };
  });
}

function describeSelector(sel: Record<string, string>): string {
  return ` (${Object.entries(sel)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')})`;
}
