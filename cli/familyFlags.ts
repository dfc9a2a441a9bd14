// -4 / -6 on the commands that read one family's tables (routes, trace, reach): which family the user asked for,
// checked against the cluster's families. Without either flag, routes and reach use the cluster's primary family
// (the one kind lists first); trace lets core pick from the refs (an address literal's family, else the primary).
import { primaryFamily } from '../core/api/familyFields';
import { usageError, userError } from './args';
import type { IpFamilyName } from '../core/ip/anyIp';
import type { RealizedCluster } from '../core/api/types';

export const FAMILY_OPTIONS = {
  ipv4: { type: 'boolean', short: '4' },
  ipv6: { type: 'boolean', short: '6' },
} as const;

/** The family the flags ask for; undefined when neither is given. */
export function askedFamily(values: { ipv4?: boolean; ipv6?: boolean }): IpFamilyName | undefined {
  if (values.ipv4 && values.ipv6) throw usageError('-4 and -6 together: a packet keeps one family; pick one');
  return values.ipv4 ? 'IPv4' : values.ipv6 ? 'IPv6' : undefined;
}

/** The family asked for (which the cluster must have: `what` names what is looked at), else its primary one. */
export function familyOrPrimary(
  values: { ipv4?: boolean; ipv6?: boolean },
  cluster: RealizedCluster,
  what: string,
): IpFamilyName {
  const asked = askedFamily(values);
  const c = cluster.cluster;
  if (asked === 'IPv4' && c.ipFamily === 'ipv6')
    throw userError(`-4: this cluster is IPv6 single-stack (ipFamily: ipv6): it has no IPv4 ${what}`);
  if (asked === 'IPv6' && c.ipFamily === undefined)
    throw userError(`-6: this cluster is single-stack (IPv4): set networking.ipFamily: dual for IPv6 ${what}`);
  return asked ?? primaryFamily(c);
}
