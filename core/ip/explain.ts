// The teacher's CIDR calculator: every number a class asks about, next to
// the math that gives it.
import {
  cidrSize,
  firstUsable,
  formatCidr,
  formatIp,
  lastAddress,
  lastUsable,
  maskOf,
  subnetCount,
  usableCount,
} from './cidr';
import type { Cidr } from './types';

/** 262144 -> "262,144". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

const octets = (ip: number) => [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255];
const bits8 = (n: number) => n.toString(2).padStart(8, '0');

export interface CidrExplanation {
  cidr: string;
  network: string;
  lastAddress: string;
  firstUsable: string;
  lastUsable: string;
  netmask: string;
  prefix: number;
  size: number;
  usable: number;
  binary: {
    /** The network address, 8 bits per octet. */
    octets: string[];
    mask: string[];
    /** Where the mask ends: octet 0-3 and bit 0-7 within it (prefix 32 -> octet 4). */
    boundaryOctet: number;
    boundaryBit: number;
    /** "00001010.001000|00.00000000.00000000": network bits, then host bits. */
    marked: string;
  };
  /** How many node-sized blocks fit, for the usual node masks (and any asked for), with each block's size. */
  fits: { prefix: number; count: number; addresses: number }[];
}

export function explainCidr(c: Cidr, alsoPrefix?: number): CidrExplanation {
  const net = octets(c.base).map(bits8);
  const flat = net.join('');
  const withBar = flat.slice(0, c.prefix) + '|' + flat.slice(c.prefix);
  // Re-insert the octet dots around the bar.
  let marked = '';
  let bit = 0;
  for (const ch of withBar) {
    if (ch !== '|' && bit > 0 && bit % 8 === 0) marked += '.';
    marked += ch;
    if (ch !== '|') bit++;
  }
  const prefixes = new Set<number>();
  for (let p = Math.max(c.prefix, 16); p <= 28; p++) prefixes.add(p);
  if (alsoPrefix !== undefined && alsoPrefix >= c.prefix && alsoPrefix <= 32) prefixes.add(alsoPrefix);
  const fits = [...prefixes]
    .sort((a, b) => a - b)
    .map((p) => ({ prefix: p, count: subnetCount(c, p), addresses: 2 ** (32 - p) }));
  return {
    cidr: formatCidr(c),
    network: formatIp(c.base),
    lastAddress: formatIp(lastAddress(c)),
    firstUsable: formatIp(firstUsable(c)),
    lastUsable: formatIp(lastUsable(c)),
    netmask: formatIp(maskOf(c.prefix)),
    prefix: c.prefix,
    size: cidrSize(c),
    usable: usableCount(c),
    binary: {
      octets: net,
      mask: octets(maskOf(c.prefix)).map(bits8),
      boundaryOctet: Math.floor(c.prefix / 8),
      boundaryBit: c.prefix % 8,
      marked,
    },
    fits,
  };
}

/** "1,024 /24 blocks fit in 10.32.0.0/14". */
export function howManyFit(outer: Cidr, newPrefix: number): string {
  const n = subnetCount(outer, newPrefix);
  if (n === 0) return `a /${newPrefix} is larger than ${formatCidr(outer)}: none fit`;
  return `${formatCount(n)} /${newPrefix} block${n === 1 ? '' : 's'} fit in ${formatCidr(outer)}`;
}
