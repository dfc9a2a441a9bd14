// The calculator for IPv6: exact sizes (bigints, printed with separators), the prefix
// boundary in the address's hex groups, how many /N fit (a /64 per node is the default).
import { cidrSize6, formatCidr6, formatIp6, groupsOf6, lastAddress6, subnetCount6, type Cidr6 } from './cidr6';

/** 4722366482869645213696n -> "4,722,366,482,869,645,213,696". */
export function formatBigCount(n: bigint): string {
  return n.toLocaleString('en-US');
}

export interface Cidr6Explanation {
  family: 'IPv6';
  cidr: string;
  network: string;
  lastAddress: string;
  /** CNI host-local's range: the network address + 1 to the last address (IPv6 has no broadcast). */
  firstUsable: string;
  lastUsable: string;
  prefix: number;
  /** Exact decimal strings: 2^(128 - prefix) does not fit a JSON number. */
  size: string;
  usable: string;
  hex: {
    /** The network address as eight 4-digit groups. */
    groups: string[];
    /** "fd00:0010:0244:00|00:0000:0000:0000:0000": network digits, then host digits (4 bits a digit). */
    marked: string;
    /** Where the prefix ends inside the groups: on a hex-digit boundary when prefix % 4 is 0. */
    boundaryGroup: number;
    boundaryBit: number;
  };
  fits: { prefix: number; count: string; addresses: string }[];
}

/** Node-sized blocks: the next 16 prefixes (cidrset's limit on mask minus cluster prefix) and /64. */
function fitPrefixes(c: Cidr6, alsoPrefix?: number): number[] {
  const out = new Set<number>();
  for (let p = c.prefix + 1; p <= Math.min(c.prefix + 16, 128); p++) out.add(p);
  if (c.prefix <= 64) out.add(64);
  if (alsoPrefix !== undefined && alsoPrefix >= c.prefix && alsoPrefix <= 128) out.add(alsoPrefix);
  return [...out].sort((a, b) => a - b);
}

export function explainCidr6(c: Cidr6, alsoPrefix?: number): Cidr6Explanation {
  const groups = groupsOf6(c.base).map((g) => g.toString(16).padStart(4, '0'));
  const digits = groups.join('');
  // The bar goes between hex digits; a prefix inside a digit marks the digit that holds it.
  const at = Math.ceil(c.prefix / 4);
  // At a group boundary the bar takes the colon's place: "2001:0db8:0000:0000|0000:…".
  let marked = '';
  for (let d = 0; d < digits.length; d++) {
    if (d === at) marked += '|';
    else if (d > 0 && d % 4 === 0) marked += ':';
    marked += digits[d];
  }
  if (at === digits.length) marked += '|';
  const size = cidrSize6(c);
  const single = c.prefix === 128;
  return {
    family: 'IPv6',
    cidr: formatCidr6(c),
    network: formatIp6(c.base),
    lastAddress: formatIp6(lastAddress6(c)),
    firstUsable: formatIp6(single ? c.base : c.base + 1n),
    lastUsable: formatIp6(lastAddress6(c)),
    prefix: c.prefix,
    size: size.toString(),
    usable: (single ? 1n : size - 1n).toString(),
    hex: { groups, marked, boundaryGroup: Math.floor(c.prefix / 16), boundaryBit: c.prefix % 16 },
    fits: fitPrefixes(c, alsoPrefix).map((p) => ({
      prefix: p,
      count: subnetCount6(c, p).toString(),
      addresses: (1n << BigInt(128 - p)).toString(),
    })),
  };
}
