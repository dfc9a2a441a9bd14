// IPv6 ClusterIPs: the IPv6 entry of spec.clusterIPs for every Service whose ipFamilies include IPv6, from the API
// server's IPv6 allocator. The built-in kubernetes and kube-dns are SingleStack in the primary family: IPv4 in an
// IPv4-first dual-stack cluster; in an IPv6 single-stack or IPv6-first one they hold the range's ::1 and ::a.
import { formatCidr6, formatIp6, parseIp6, type Cidr6 } from '../ip/cidr6';
import { ClusterIpAllocator6 } from '../ipam/family6';
import type { ClusterSpec, IpFamily, IpFamilyPolicy, ServiceDecl, Warning } from '../api/types';

const svcKey = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;

/**
 * The families a Service ends with. The scenario's Services were defaulted when parsed (serviceFamilies.ts); the
 * built-ins carry none: the API server's kubernetes Service and kubeadm's kube-dns manifest
 * (cmd/kubeadm/app/phases/addons/dns/manifests.go: clusterIP from the first service range, no ipFamilyPolicy)
 * default to SingleStack in the primary family (IPv6 in an IPv6 single-stack cluster).
 */
export const familiesOf = (
  s: ServiceDecl,
  spec: ClusterSpec,
): { ipFamilyPolicy: IpFamilyPolicy; ipFamilies: IpFamily[] } => ({
  ipFamilyPolicy: s.ipFamilyPolicy ?? 'SingleStack',
  ipFamilies: s.ipFamilies ?? [!spec.serviceSubnet || spec.secondary?.primary ? 'IPv6' : 'IPv4'],
});

/** kubeadm's GetAPIServerVirtualIP and GetDNSIP: the first and the tenth address of the (first) service range. */
export const builtInClusterIp6 = (range: Cidr6, key: string): bigint | undefined =>
  key === 'default/kubernetes' ? range.base + 1n : key === 'kube-system/kube-dns' ? range.base + 10n : undefined;

/**
 * Requested IPv6 addresses first, then the dynamic picks, as for IPv4 (realizeServices.ts). A live cluster's
 * Services hold the IPv6 ClusterIP they had (`carried`: "namespace/name" -> spec.clusterIPs); spec.clusterIPs is immutable.
 */
export function allocateClusterIps6(
  spec: ClusterSpec,
  services: ServiceDecl[],
  warnings: Warning[],
  carried?: ReadonlyMap<string, { clusterIPs?: readonly string[] }>,
) {
  const out = new Map<ServiceDecl, string | null>();
  if (!spec.secondary) return out;
  const range = spec.secondary.serviceSubnet;
  const ips = new ClusterIpAllocator6(range);
  const wants = services.filter((s) => s.clusterIP !== 'None' && familiesOf(s, spec).ipFamilies.includes('IPv6'));
  // IPv6 is the primary family: the built-ins hold their kubeadm addresses before anything else.
  if (!spec.serviceSubnet || spec.secondary.primary)
    for (const s of wants) {
      const fixed = builtInClusterIp6(range, svcKey(s));
      if (fixed !== undefined && ips.reserve(fixed, 0) === undefined) out.set(s, formatIp6(fixed));
    }
  const fail = (s: ServiceDecl, code: string, message: string) => {
    warnings.push({ code, message: `Service ${svcKey(s)}: ${message}`, subject: `svc/${svcKey(s)}` });
    out.set(s, null);
  };
  for (const s of wants) {
    const had = carried?.get(svcKey(s))?.clusterIPs?.find((ip) => ip.includes(':'));
    const p = had === undefined ? undefined : parseIp6(had);
    if (!out.has(s) && p?.ok && ips.reserve(p.value, 0) === undefined) out.set(s, formatIp6(p.value));
  }
  for (const s of wants) {
    if (out.has(s)) continue;
    const at = s.clusterIPs?.findIndex((ip) => ip.includes(':')) ?? -1;
    if (at < 0) continue;
    const requested = s.clusterIPs![at]!;
    const p = parseIp6(requested);
    const err = p.ok ? ips.reserve(p.value, at) : `spec.clusterIPs[${at}]: Invalid value: "${requested}": ${p.message}`;
    if (err) fail(s, 'ClusterIPNotAllocated', err);
    else out.set(s, formatIp6((p as { value: bigint }).value));
  }
  for (const s of wants) {
    if (out.has(s)) continue;
    const ip = ips.allocateFor(svcKey(s));
    if (ip === undefined)
      fail(
        s,
        'ServiceRangeExhausted',
        `failed to allocate a service IP: range is full (${formatCidr6(range)})${spec.serviceSubnet ? '; it keeps only its IPv4 ClusterIP' : ''}`,
      );
    else out.set(s, formatIp6(ip));
  }
  return out;
}
