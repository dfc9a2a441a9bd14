// IPv6 CIDR math for the calculator. 128-bit values are bigints; parsing and the
// RFC 5952 text form are ipaddr.js's. (IPv4 stays uint32 in cidr.ts: it is the hot path.)
import ipaddr from 'ipaddr.js';
import type { Parsed } from './types';

export interface Cidr6 {
  /** The network address (host bits zero). */
  readonly base: bigint;
  readonly prefix: number;
}

const ALL = (1n << 128n) - 1n;

export function parseIp6(text: string): Parsed<bigint> {
  const t = String(text).trim();
  if (!ipaddr.IPv6.isValid(t)) return { ok: false, message: `"${t}" is not an IPv6 address (like fd00:10:244::1)` };
  const a = ipaddr.IPv6.parse(t);
  if (a.zoneId) return { ok: false, message: `"${t}" has a zone (%${a.zoneId}): a CIDR has none` };
  return { ok: true, value: a.parts.reduce((v, part) => (v << 16n) | BigInt(part), 0n) };
}

/** "fd00:10:244::/56"; host bits set are accepted and cleared, with a warning, as for IPv4. */
export function parseCidr6(text: string): Parsed<Cidr6> {
  const t = String(text).trim();
  const slash = t.indexOf('/');
  if (slash < 0) return { ok: false, message: `"${t}" is not a CIDR (expected address/prefix, like fd00:10:244::/56)` };
  const addr = parseIp6(t.slice(0, slash));
  if (!addr.ok) return { ok: false, message: `"${t}" is not a CIDR: ${addr.message}` };
  const p = t.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p) || Number(p) > 128)
    return { ok: false, message: `"${t}" has an invalid prefix length "${p}" (expected 0-128)` };
  const prefix = Number(p);
  const cidr = { base: addr.value & maskOf6(prefix), prefix };
  if (cidr.base !== addr.value)
    return { ok: true, value: cidr, warning: `"${t}" has host bits set; using ${formatCidr6(cidr)}` };
  return { ok: true, value: cidr };
}

export function maskOf6(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
}

/** The eight 16-bit groups, most significant first. */
export function groupsOf6(ip: bigint): number[] {
  return Array.from({ length: 8 }, (_, i) => Number((ip >> BigInt(112 - 16 * i)) & 0xffffn));
}

/**
 * RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as "::" (the first
 * on a tie), as ipaddr.js's toRFC5952String prints it (a property test holds the two equal). Written out because
 * realize formats tens of thousands of addresses: four 32-bit words instead of sixteen bigint operations.
 */
export function formatIp6(ip: bigint): string {
  const g = new Array<number>(8);
  for (let w = 0; w < 4; w++) {
    const word = Number(BigInt.asUintN(32, ip >> BigInt(96 - 32 * w)));
    g[2 * w] = word >>> 16;
    g[2 * w + 1] = word & 0xffff;
  }
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestAt) {
      out += '::';
      i += bestLen - 1;
    } else out += (out === '' || out.endsWith(':') ? '' : ':') + g[i]!.toString(16);
  }
  return out;
}

export function formatCidr6(c: Cidr6): string {
  return `${formatIp6(c.base)}/${c.prefix}`;
}

export const cidrSize6 = (c: Cidr6): bigint => 1n << BigInt(128 - c.prefix);
export const lastAddress6 = (c: Cidr6): bigint => c.base + cidrSize6(c) - 1n;
export const subnetCount6 = (c: Cidr6, newPrefix: number): bigint =>
  newPrefix < c.prefix || newPrefix > 128 ? 0n : 1n << BigInt(newPrefix - c.prefix);

export const containsIp6 = (c: Cidr6, ip: bigint): boolean => (ip & maskOf6(c.prefix)) === c.base;
export const overlaps6 = (a: Cidr6, b: Cidr6): boolean => containsIp6(a, b.base) || containsIp6(b, a.base);
