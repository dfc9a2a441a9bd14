// A pod's dnsPolicy and dnsConfig, validated as the API server does
// (pkg/apis/core/validation/validation.go: validateDNSPolicy, validatePodDNSConfig).
import { parseIp } from '../ip/cidr';
import { parseIp6 } from '../ip/cidr6';
import { DocReader, isObj, join, type Obj } from './docReader';
import { dns1123Subdomain } from './k8sValidation';
import type { DnsPolicy, PodDnsConfig } from '../api/types';

export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;
/** validation.MaxDNSNameservers (resolv.conf's MAXNS). */
const MAX_NAMESERVERS = 3;
/** validation.MaxDNSSearchPaths (ExpandedDNSConfig, GA since v1.28). */
const MAX_SEARCHES = 32;

const strings = (r: DocReader, o: Obj, key: string, path: string): string[] =>
  (r.arr(o, key, path) ?? []).flatMap((v, i) => {
    if (typeof v === 'string') return [v];
    r.error(join(join(path, key), i), v, 'must be a string');
    return [];
  });

/** spec.dnsPolicy and spec.dnsConfig of a pod spec at `sp`. */
export function parsePodDns(r: DocReader, spec: Obj, sp: string): { dnsPolicy?: DnsPolicy; dnsConfig?: PodDnsConfig } {
  const dnsPolicy = r.oneOf(spec, 'dnsPolicy', sp, DNS_POLICIES);
  const raw = r.obj(spec, 'dnsConfig', sp);
  const cp = join(sp, 'dnsConfig');
  if (dnsPolicy === 'None' && !raw) {
    r.error(cp, '', 'Required value: must provide `dnsConfig` when `dnsPolicy` is None');
    return { dnsPolicy };
  }
  if (!raw) return dnsPolicy ? { dnsPolicy } : {};
  const nameservers = strings(r, raw, 'nameservers', cp);
  if (dnsPolicy === 'None' && nameservers.length === 0)
    r.error(
      join(cp, 'nameservers'),
      '',
      'Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    );
  if (nameservers.length > MAX_NAMESERVERS)
    r.error(join(cp, 'nameservers'), nameservers, `must not have more than ${MAX_NAMESERVERS} nameservers`);
  nameservers.forEach((ns, i) => {
    if (!parseIp(ns).ok && !parseIp6(ns).ok)
      r.error(join(join(cp, 'nameservers'), i), ns, 'must be a valid IP address');
  });
  const searches = strings(r, raw, 'searches', cp);
  if (searches.length > MAX_SEARCHES)
    r.error(join(cp, 'searches'), searches, `must not have more than ${MAX_SEARCHES} search paths`);
  searches.forEach((s, i) => {
    // A trailing dot is allowed (an absolute domain); the rest is a DNS subdomain.
    const e = dns1123Subdomain(s.replace(/\.$/, ''));
    if (e) r.error(join(join(cp, 'searches'), i), s, e);
  });
  const options: PodDnsConfig['options'] = [];
  (r.arr(raw, 'options', cp) ?? []).forEach((o, i) => {
    const op = join(join(cp, 'options'), i);
    if (!isObj(o)) return r.error(op, o, 'must be an object with name and value');
    const name = r.str(o, 'name', op);
    if (!name) return r.error(join(op, 'name'), '', 'Required value: must not be empty');
    const value = r.str(o, 'value', op);
    options.push(value !== undefined ? { name, value } : { name });
  });
  return { ...(dnsPolicy ? { dnsPolicy } : {}), dnsConfig: { nameservers, searches, options } };
}
