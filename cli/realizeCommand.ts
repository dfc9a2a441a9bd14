// `k8snet realize [file]`: nodes, pods and Services as Kubernetes and the CNI would make them.
import { parseCidr, cidrSize, formatIp, lastAddress } from '../core/ip/cidr';
import { formatCount } from '../core/ip/explain';
import { formatBigCount } from '../core/ip/explain6';
import { cidrSize6, formatIp6, lastAddress6, parseCidr6 } from '../core/ip/cidr6';
import type { RealizedCluster, RealizedService } from '../core/api/types';
import { nodeMaskSizes, primaryFamily } from '../core/api/familyFields';
import { parse, printJson, table } from './args';
import { historyFiles, LIVE_OPTIONS, realizeLive } from './live';

export const REALIZE_HELP = `Usage: k8snet realize [scenario-file] [--json]

Realize a scenario (the built-in default when no file is given): each node's
IP, PodCIDR and cni0 gateway, every pod with its IP, every Service with its
ClusterIP, ports, NodePorts and endpoints, and the warnings.

  k8snet realize
  k8snet realize public/scenarios/vxlan.yaml --json`;

/** The DESIGN.md JSON contract (additions allowed, no renames). */
export function realizeJson(r: RealizedCluster) {
  const { name, podCIDR, serviceCIDR, nodeCIDRMaskSize, cni, kubeProxyMode } = r.cluster;
  return {
    cluster: {
      name,
      podCIDR,
      serviceCIDR,
      nodeCIDRMaskSize,
      cni,
      kubeProxyMode,
      nodeSubnet: r.cluster.nodeSubnet,
      dnsIP: r.cluster.dnsIP,
      // Dual-stack additions; the fields above stay the primary (IPv4) family.
      ...(r.cluster.podCIDRs
        ? {
            ipFamily: r.cluster.ipFamily,
            podCIDRs: r.cluster.podCIDRs,
            serviceCIDRs: r.cluster.serviceCIDRs,
            nodeCIDRMaskSizeIPv6: r.cluster.nodeCIDRMaskSizeIPv6,
          }
        : {}),
    },
    nodes: r.nodes.map((n) => ({
      name: n.name,
      role: n.role,
      ip: n.ip,
      podCIDR: n.podCIDR,
      gateway: n.gateway,
      podCIDRs: n.podCIDRs ?? (n.podCIDR ? [n.podCIDR] : []),
      ...(n.gateways ? { gateways: n.gateways, ips: n.ips } : {}),
      pods: n.pods.map((p) => ({
        namespace: p.namespace,
        name: p.name,
        ip: p.ip,
        ips: p.ips ?? (p.ip ? [p.ip] : []),
        phase: p.phase,
        ...(p.reason ? { reason: p.reason } : {}),
      })),
    })),
    pendingPods: r.pods
      .filter((p) => p.node === null)
      .map((p) => ({ namespace: p.namespace, name: p.name, reason: p.reason })),
    services: r.services.map((s) => ({
      namespace: s.namespace,
      name: s.name,
      type: s.type,
      clusterIP: s.headless ? 'None' : s.clusterIP,
      clusterIPs: s.clusterIPs ?? (s.headless ? ['None'] : s.clusterIP ? [s.clusterIP] : []),
      ...(s.ipFamilies ? { ipFamilyPolicy: s.ipFamilyPolicy, ipFamilies: s.ipFamilies } : {}),
      ports: s.ports.map((p) => ({
        name: p.name,
        protocol: p.protocol,
        port: p.port,
        targetPort: p.targetPort,
        nodePort: p.nodePort,
      })),
      endpoints: s.endpoints.map(endpointJson),
      ...(s.secondaryEndpoints ? { secondaryEndpoints: s.secondaryEndpoints.map(endpointJson) } : {}),
    })),
    warnings: r.warnings.map((w) => ({ code: w.code, message: w.message })),
    notModelled: (r.notModelled ?? []).map((n) => ({
      apiVersion: n.apiVersion,
      kind: n.kind,
      ...(n.namespace !== undefined ? { namespace: n.namespace } : {}),
      name: n.name,
      ...(n.note ? { note: n.note } : {}),
    })),
  };
}

/** An endpoint as JSON; `family` is its EndpointSlice's addressType. */
const endpointJson = (e: RealizedService['endpoints'][number]) => ({
  ip: e.ip,
  port: e.port,
  node: e.node,
  pod: e.pod,
  family: e.family ?? (e.ip.includes(':') ? 'IPv6' : 'IPv4'),
  ...(e.portName ? { portName: e.portName } : {}),
  ...(e.hostname ? { hostname: e.hostname } : {}),
});

/** The objects accepted but not modelled, one line each: a note, never an error. */
function notModelledText(r: RealizedCluster): string[] {
  const list = r.notModelled ?? [];
  if (list.length === 0) return [];
  return [
    '',
    `Not modelled (${list.length} accepted object${list.length === 1 ? '' : 's'} that do not shape the network here):`,
    ...list.map(
      (n) =>
        `  ${n.kind} ${n.namespace !== undefined ? `${n.namespace}/` : ''}${n.name} (${n.apiVersion})${n.note ? `: ${n.note}` : ''}`,
    ),
  ];
}

const portsText = (s: RealizedService) =>
  s.ports.map((p) => `${p.port}${p.nodePort !== null ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',') || '<none>';

function rangeText(cidr: string): string {
  if (cidr.includes(':')) {
    const p6 = parseCidr6(cidr);
    if (!p6.ok) return cidr;
    const v = p6.value;
    return `${cidr} (${formatIp6(v.base)}–${formatIp6(lastAddress6(v))}, ${formatBigCount(cidrSize6(v))} addresses)`;
  }
  const p = parseCidr(cidr);
  if (!p.ok) return cidr;
  return `${cidr} (${formatIp(p.value.base)}–${formatIp(lastAddress(p.value))}, ${formatCount(cidrSize(p.value))} addresses)`;
}

/** As kubectl get endpoints: the first three, then "+ N more...". */
function endpointsText(s: RealizedService): string {
  // net.JoinHostPort, as kubectl prints them: an IPv6 address in brackets.
  const all = [...new Set(s.endpoints.map((e) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`)))];
  if (all.length === 0) return '<none>';
  return all.slice(0, 3).join(',') + (all.length > 3 ? ` + ${all.length - 3} more...` : '');
}

/** Both families, primary first, comma-separated as kubectl prints lists; single-stack: the one value. */
const both = (list: string[] | undefined, one: string | null) =>
  list ? (list.length > 0 ? list.join(',') : '<none>') : (one ?? '<none>');

export function realizeText(r: RealizedCluster): string {
  const c = r.cluster;
  const dual = c.ipFamily === 'dual';
  const first = primaryFamily(c);
  const masks = nodeMaskSizes(c);
  const stack = dual
    ? ` (dual-stack: ${first} primary, then ${first === 'IPv6' ? 'IPv4' : 'IPv6'})`
    : c.ipFamily === 'ipv6'
      ? ' (IPv6 single-stack)'
      : '';
  const pad = '\n               ';
  const ranges = (list: string[] | undefined, one: string, after = '') =>
    (list ?? [one]).map((x, i) => rangeText(x) + (i === 0 ? after : '')).join(pad);
  const out: string[] = [
    `Cluster ${c.name}${stack}`,
    `  PodCIDR      ${ranges(c.podCIDRs, c.podCIDR)}`,
    `  Services     ${ranges(c.serviceCIDRs, c.serviceCIDR, `, cluster DNS ${c.dnsIP}`)}`,
    `  node network ${c.nodeSubnets?.join(', ') ?? c.nodeSubnet}, node mask /${masks[0]}${dual ? ` (${first === 'IPv6' ? 'IPv4' : 'IPv6'} /${masks[1]})` : ''}, CNI ${c.cni}, kube-proxy ${c.kubeProxyMode}`,
    '',
    table([
      dual
        ? ['NODE', 'ROLE', 'IPS (eth0)', 'PODCIDRS', 'CNI0 GATEWAYS', 'PODS']
        : ['NODE', 'ROLE', 'IP (eth0)', 'PODCIDR', 'CNI0 GATEWAY', 'PODS'],
      ...r.nodes.map((n) => [
        n.name,
        n.role,
        both(n.ips, n.ip),
        both(n.podCIDRs, n.podCIDR),
        both(n.gateways, n.gateway),
        String(n.pods.length),
      ]),
    ]),
    '',
    table([
      ['NAMESPACE', 'POD', dual ? 'IPS' : 'IP', 'NODE', 'STATUS'],
      ...r.pods.map((p) => [p.namespace, p.name, both(p.ips, p.ip), p.node ?? '<none>', p.phase]),
    ]),
    '',
    table([
      ['NAMESPACE', 'SERVICE', 'TYPE', dual ? 'CLUSTER-IPS' : 'CLUSTER-IP', 'PORT(S)', 'ENDPOINTS'],
      ...r.services.map((s) => [
        s.namespace,
        s.name,
        s.type,
        s.headless ? 'None' : both(s.clusterIPs, s.clusterIP),
        portsText(s),
        endpointsText(s),
      ]),
    ]),
  ];
  out.push('', r.warnings.length === 0 ? 'No warnings.' : 'Warnings:');
  for (const w of r.warnings) out.push(`  [${w.code}] ${w.message}`);
  out.push(...notModelledText(r));
  return out.join('\n');
}

export function realizeCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, ...LIVE_OPTIONS });
  if (values.help) return void console.log(REALIZE_HELP);
  const r = realizeLive(positionals[0], historyFiles(values));
  if (values.json) printJson(realizeJson(r));
  else console.log(realizeText(r));
}
