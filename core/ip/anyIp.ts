// Addresses of either family where one model holds both (rules, packets): an IPv4 address is a number
// (as everywhere in core), an IPv6 address a bigint. The type tells the family; an IPv4 CIDR never
// contains an IPv6 address and an IPv6 CIDR never an IPv4 one, as iptables and ip6tables never see
// each other's packets.
import { containsIp, formatCidr, formatIp, parseCidr, parseIp } from './cidr';
import { containsIp6, formatCidr6, formatIp6, parseCidr6, parseIp6, type Cidr6 } from './cidr6';
import type { Cidr, Ipv4, Parsed } from './types';

export type IpAddr = Ipv4 | bigint;
export type AnyCidr = Cidr | Cidr6;
export type IpFamilyName = 'IPv4' | 'IPv6';

export const isIp6 = (ip: IpAddr): ip is bigint => typeof ip === 'bigint';
export const isCidr6 = (c: AnyCidr): c is Cidr6 => typeof c.base === 'bigint';
export const familyOf = (ip: IpAddr): IpFamilyName => (isIp6(ip) ? 'IPv6' : 'IPv4');
export const cidrFamily = (c: AnyCidr): IpFamilyName => (isCidr6(c) ? 'IPv6' : 'IPv4');
/** The prefix length of a single address: 32 or 128. */
export const hostPrefix = (f: IpFamilyName): number => (f === 'IPv6' ? 128 : 32);

export function containsAny(c: AnyCidr, ip: IpAddr): boolean {
  if (isCidr6(c)) return isIp6(ip) && containsIp6(c, ip);
  return !isIp6(ip) && containsIp(c, ip);
}

export const formatAny = (ip: IpAddr): string => (isIp6(ip) ? formatIp6(ip) : formatIp(ip));
export const formatAnyCidr = (c: AnyCidr): string => (isCidr6(c) ? formatCidr6(c) : formatCidr(c));

/** "ip:port" as kube-proxy, iptables and conntrack users write it: an IPv6 address in brackets. */
export const formatHostPort = (ip: IpAddr, port: number): string =>
  isIp6(ip) ? `[${formatIp6(ip)}]:${port}` : `${formatIp(ip)}:${port}`;

/** An address of either family: a colon means IPv6. */
export const parseAny = (text: string): Parsed<IpAddr> => (text.includes(':') ? parseIp6(text) : parseIp(text));

/** A CIDR of either family; an address without a prefix is a single-address block (/32, /128). */
export function parseAnyCidr(text: string): Parsed<AnyCidr> {
  const six = text.includes(':');
  const full = text.includes('/') ? text : `${text}/${six ? 128 : 32}`;
  return six ? parseCidr6(full) : parseCidr(full);
}

/** The address of an "ip:port" or "[ipv6]:port" (a bare address is its own address). */
export function hostOf(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'));
  const colons = hostPort.split(':').length - 1;
  return colons === 1 ? hostPort.slice(0, hostPort.indexOf(':')) : hostPort;
}

/**
 * The IPv6 entry of a both-family list (status.podIPs, spec.podCIDRs, spec.clusterIPs, a node's addresses or
 * gateways): the second in a dual-stack cluster, the only one in an IPv6 single-stack one; undefined when none.
 */
export const ipv6Entry = (list: readonly string[] | undefined): string | undefined =>
  list?.find((x) => x.includes(':'));

/** A primary field's value when it is IPv4 (an IPv6 single-stack cluster's primary fields hold IPv6). */
export const ipv4Only = (x: string | null | undefined): string | undefined => (x && !x.includes(':') ? x : undefined);
