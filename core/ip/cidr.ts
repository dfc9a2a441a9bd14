// CIDR and address math. Parsing is ipaddr.js's; core keeps IPv4 as uint32.
import ipaddr from 'ipaddr.js';
import type { Cidr, Ipv4, Parsed } from './types';

const TWO_32 = 0x1_0000_0000;

/** Parse a dotted IPv4 address. IPv6 gets a clear "not supported yet". */
export function parseIp(text: string): Parsed<Ipv4> {
  const fast = typeof text === 'string' ? dottedQuad(text) : -1;
  if (fast >= 0) return { ok: true, value: fast };
  const t = String(text).trim();
  if (t.includes(':') && ipaddr.IPv6.isValid(t)) {
    return { ok: false, message: `IPv6 is not supported yet: "${t}"` };
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(t)) {
    return { ok: false, message: `"${t}" is not an IPv4 address (expected four numbers 0-255, like 10.32.0.1)` };
  }
  const b = ipaddr.IPv4.parse(t).octets;
  return { ok: true, value: toIp(b[0]!, b[1]!, b[2]!, b[3]!) };
}

/**
 * The common case without ipaddr.js's regular expressions: exactly four
 * decimal parts 0-255 without leading zeros (isValidFourPartDecimal's rule),
 * else -1 and the full parser decides (and explains). Routes and lookups
 * parse tens of thousands of addresses at 5,000 nodes.
 */
function dottedQuad(t: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= t.length; i++) {
    const ch = i < t.length ? t.charCodeAt(i) : 46;
    if (ch === 46) {
      if (digits === 0 || ++parts > 4) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (ch >= 48 && ch <= 57) {
      if (digits > 0 && part === 0) return -1; // a leading zero
      part = part * 10 + (ch - 48);
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  return parts === 4 ? value : -1;
}

/** Parse "a.b.c.d/n". Host bits set are accepted and cleared, with a warning. */
export function parseCidr(text: string): Parsed<Cidr> {
  const t = String(text).trim();
  const slash = t.indexOf('/');
  if (slash < 0) return { ok: false, message: `"${t}" is not a CIDR (expected address/prefix, like 10.32.0.0/14)` };
  const addr = parseIp(t.slice(0, slash));
  if (!addr.ok) {
    return {
      ok: false,
      message: addr.message.startsWith('IPv6')
        ? `IPv6 is not supported yet: "${t}"`
        : `"${t}" is not a CIDR: ${addr.message}`,
    };
  }
  const p = t.slice(slash + 1);
  if (!/^\d{1,2}$/.test(p) || Number(p) > 32) {
    return { ok: false, message: `"${t}" has an invalid prefix length "${p}" (expected 0-32)` };
  }
  const prefix = Number(p);
  const base = networkOf(addr.value, prefix);
  const cidr = { base, prefix };
  if (base !== addr.value) {
    return { ok: true, value: cidr, warning: `"${t}" has host bits set; using ${formatCidr(cidr)}` };
  }
  return { ok: true, value: cidr };
}

export function toIp(a: number, b: number, c: number, d: number): Ipv4 {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

/** uint32 -> "a.b.c.d" (hot path: no allocation beyond the string). */
export function formatIp(ip: Ipv4): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

/** The netmask as a uint32, e.g. /14 -> 255.252.0.0. */
export function maskOf(prefix: number): Ipv4 {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function networkOf(ip: Ipv4, prefix: number): Ipv4 {
  return (ip & maskOf(prefix)) >>> 0;
}

/** Number of addresses in the block: 2^(32-prefix). */
export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** The last address (the broadcast address for prefixes below /31). */
export function lastAddress(c: Cidr): Ipv4 {
  return c.base + cidrSize(c) - 1;
}

/** First usable host address: network+1, or the network itself for /31 and /32 (RFC 3021). */
export function firstUsable(c: Cidr): Ipv4 {
  return c.prefix >= 31 ? c.base : c.base + 1;
}

/** Last usable host address: broadcast-1, or the last address for /31 and /32. */
export function lastUsable(c: Cidr): Ipv4 {
  return c.prefix >= 31 ? lastAddress(c) : lastAddress(c) - 1;
}

/** Usable host addresses: size minus network and broadcast (below /31). */
export function usableCount(c: Cidr): number {
  return c.prefix >= 31 ? cidrSize(c) : cidrSize(c) - 2;
}

/** The n-th address of the block (0 = the network address); undefined past the end. */
export function nthAddress(c: Cidr, n: number): Ipv4 | undefined {
  if (!Number.isInteger(n) || n < 0 || n >= cidrSize(c)) return undefined;
  return c.base + n;
}

export function containsIp(c: Cidr, ip: Ipv4): boolean {
  return networkOf(ip, c.prefix) === c.base;
}

/** True when `inner` lies wholly inside `outer`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && containsIp(outer, inner.base);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return containsCidr(a, b) || containsCidr(b, a);
}

/** How many /newPrefix blocks fit in c (0 when newPrefix is shorter than c's). */
export function subnetCount(c: Cidr, newPrefix: number): number {
  return newPrefix < c.prefix || newPrefix > 32 ? 0 : 2 ** (newPrefix - c.prefix);
}

/** The index-th /newPrefix subnet of c, in address order; undefined past the end. */
export function subnetAt(c: Cidr, newPrefix: number, index: number): Cidr | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= subnetCount(c, newPrefix)) return undefined;
  return { base: c.base + index * 2 ** (32 - newPrefix), prefix: newPrefix };
}

/** Split c into its /newPrefix subnets (at most `limit`, for display). */
export function splitCidr(c: Cidr, newPrefix: number, limit = Infinity): Cidr[] {
  const n = Math.min(subnetCount(c, newPrefix), limit);
  const out: Cidr[] = [];
  for (let i = 0; i < n; i++) out.push(subnetAt(c, newPrefix, i)!);
  return out;
}

/** Compare two CIDRs by address then prefix (for stable sorting). */
export function compareCidr(a: Cidr, b: Cidr): number {
  return a.base - b.base || a.prefix - b.prefix;
}

export function ipInRange(ip: number): boolean {
  return Number.isInteger(ip) && ip >= 0 && ip < TWO_32;
}
