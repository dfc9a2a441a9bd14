// A Service's spec.ipFamilyPolicy, spec.ipFamilies and spec.clusterIPs: validated as
// ValidateServiceClusterIPsRelatedFields (pkg/apis/core/validation/validation.go) and defaulted as the API server's
// initIPFamilyFields (pkg/registry/core/service/storage/alloc.go) does on create.
import { parseIp } from '../ip/cidr';
import { containsIp6, formatCidr6, parseIp6 } from '../ip/cidr6';
import { join, type DocReader, type Obj } from './docReader';
import type { IpFamily, IpFamilyPolicy, SecondaryFamilySpec } from '../api/types';

const POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'] as const;

export interface ServiceFamilies {
  ipFamilyPolicy: IpFamilyPolicy;
  ipFamilies: IpFamily[];
  /** spec.clusterIPs as requested (clusterIP first); absent when none was. */
  clusterIPs?: string[];
}

const familyOf = (ip: string): IpFamily => (ip.includes(':') ? 'IPv6' : 'IPv4');

/**
 * The Service's families after the API server's defaults, or undefined when it would reject the Service (the errors
 * are reported). `clusterIP` is spec.clusterIP as given; `secondary` the cluster's IPv6 ranges (undefined: the
 * cluster is IPv4 single-stack); `hasIpv4` false in an IPv6 single-stack cluster (its Services default to IPv6).
 */
export function parseServiceFamilies(
  r: DocReader,
  spec: Obj,
  clusterIP: string | undefined,
  hasSelector: boolean,
  secondary: SecondaryFamilySpec | undefined,
  hasIpv4 = true,
): ServiceFamilies | undefined {
  const errors = r.errors.length;
  const given = r.oneOf(spec, 'ipFamilyPolicy', 'spec', POLICIES);
  const families: IpFamily[] = [];
  (r.arr(spec, 'ipFamilies', 'spec') ?? []).forEach((f, i) => {
    const p = join('spec.ipFamilies', i);
    if (f !== 'IPv4' && f !== 'IPv6') return r.error(p, f, `Unsupported value: supported values: "IPv4", "IPv6"`);
    if (families.includes(f)) return r.error(p, f, 'Duplicate value');
    families.push(f);
  });
  const ips = (r.arr(spec, 'clusterIPs', 'spec') ?? []).map((v, i) => {
    if (typeof v !== 'string') r.error(join('spec.clusterIPs', i), v, 'must be a string');
    return String(v);
  });
  // NormalizeClusterIPs (pkg/registry/core/service/strategy.go): clusterIP alone becomes clusterIPs [clusterIP].
  if (ips.length === 0 && clusterIP) ips.push(clusterIP);
  else if (clusterIP && ips[0] !== clusterIP) r.error('spec.clusterIPs', ips, 'first value must match `clusterIP`');
  const headless = ips[0] === 'None';
  if (headless && ips.length > 1) r.error('spec.clusterIPs', ips, "'None' must be the first and only value");
  if (ips.length > 2) r.error('spec.clusterIPs', ips, 'may only hold up to 2 values');
  const real = headless ? [] : ips;
  for (const [i, ip] of real.entries()) {
    const ok = ip.includes(':') ? parseIp6(ip).ok : parseIp(ip).ok;
    if (!ok) r.error(join('spec.clusterIPs', i), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
  }
  if (real.length === 2 && familyOf(real[0]!) === familyOf(real[1]!))
    r.error('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family');
  real.forEach((ip, i) => {
    const f = families[i];
    if (f && f !== familyOf(ip))
      r.error(join('spec.clusterIPs', i), ip, `expected an ${f} value as indicated by \`ipFamilies[${i}]\``);
  });
  if (r.errors.length > errors) return undefined;

  // initIPFamilyFields on create: no policy means SingleStack, except headless without a selector (RequireDualStack).
  const policy: IpFamilyPolicy = given ?? (headless && !hasSelector ? 'RequireDualStack' : 'SingleStack');
  const bad = (path: string, value: unknown, message: string) => void r.error(path, value, message);
  if (policy === 'SingleStack' && real.length === 2)
    return bad(
      'spec.ipFamilyPolicy',
      policy,
      "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
    );
  if (policy === 'SingleStack' && families.length === 2)
    return bad(
      'spec.ipFamilyPolicy',
      policy,
      "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
    );
  // The cluster's families, primary first: its Services default to the primary one.
  const configured: IpFamily[] = !hasIpv4
    ? ['IPv6']
    : secondary?.primary
      ? ['IPv6', 'IPv4']
      : secondary
        ? ['IPv4', 'IPv6']
        : ['IPv4'];
  const dual = configured.length === 2;
  // Families inferred from the requested clusterIPs.
  for (const [i, ip] of real.entries()) {
    if (i < families.length) continue;
    const f = familyOf(ip);
    if (!configured.includes(f)) return bad(join('spec.clusterIPs', i), ips, `${f} is not configured on this cluster`);
    families.push(f);
  }
  const headlessSelectorless = headless && !hasSelector;
  if (!headlessSelectorless) {
    if (policy === 'RequireDualStack' && !dual)
      return bad('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services');
    for (const [i, f] of families.entries())
      if (!configured.includes(f)) return bad(join('spec.ipFamilies', i), f, 'not configured on this cluster');
  }
  if (families.length === 0) families.push(configured[0]!);
  // Headless without a selector gets the other family even on a single-stack cluster; others only on a dual one.
  if (policy !== 'SingleStack' && families.length === 1 && (headlessSelectorless || dual))
    families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  const at6 = real.findIndex((ip) => ip.includes(':'));
  const v6 = at6 >= 0 ? parseIp6(real[at6]!) : undefined;
  if (v6?.ok && secondary && !containsIp6(secondary.serviceSubnet, v6.value))
    return bad(
      at6 === 0 && !spec.clusterIPs ? 'spec.clusterIP' : `spec.clusterIPs[${at6}]`,
      real[at6],
      `provided IP is not in the valid range. The range of valid IPs is ${formatCidr6(secondary.serviceSubnet)}`,
    );
  return { ipFamilyPolicy: policy, ipFamilies: families, ...(ips.length > 0 ? { clusterIPs: ips } : {}) };
}
