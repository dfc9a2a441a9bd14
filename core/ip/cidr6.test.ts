import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { formatCidr6, formatIp6, parseCidr6, parseIp6, subnetCount6, type Cidr6 } from './cidr6';
import { explainCidr6, formatBigCount } from './explain6';

const cidr6 = (t: string): Cidr6 => {
  const p = parseCidr6(t);
  if (!p.ok) throw new Error(p.message);
  return p.value;
};

describe('IPv6 CIDR math', () => {
  it("kind's IPv6 pod subnet fd00:10:244::/56 holds 2^72 addresses and 256 node /64s", () => {
    const x = explainCidr6(cidr6('fd00:10:244::/56'));
    expect(x.size).toBe('4722366482869645213696');
    expect(formatBigCount(BigInt(x.size))).toBe('4,722,366,482,869,645,213,696');
    expect(x.lastAddress).toBe('fd00:10:244:ff:ffff:ffff:ffff:ffff');
    expect(x.fits.find((f) => f.prefix === 64)).toEqual({
      prefix: 64,
      count: '256',
      addresses: '18446744073709551616',
    });
    expect(x.hex.marked).toBe('fd00:0010:0244:00|00:0000:0000:0000:0000');
  });

  it('a /108 PodCIDR with a /110 node mask holds four nodes', () => {
    expect(subnetCount6(cidr6('fd00:10:244::/108'), 110)).toBe(4n);
    expect(explainCidr6(cidr6('fd00:10:244::/108')).fits.find((f) => f.prefix === 110)!.count).toBe('4');
  });

  it("host-local's IPv6 range: network + 1 to the last address (lastIP drops a broadcast only for IPv4)", () => {
    // containernetworking/plugins plugins/ipam/host-local/backend/allocator/range.go: lastIP, RangeStart = NextIP(subnet).
    const x = explainCidr6(cidr6('fd00:10:244:1::/64'));
    expect([x.firstUsable, x.lastUsable]).toEqual(['fd00:10:244:1::1', 'fd00:10:244:1:ffff:ffff:ffff:ffff']);
    expect(x.usable).toBe('18446744073709551615');
  });

  it('prints addresses as RFC 5952 prescribes: lower case, no leading zeros, the longest zero run (first on a tie) as ::', () => {
    expect(formatIp6(parseOk('2001:0DB8:0000:0000:0001:0000:0000:0001'))).toBe('2001:db8::1:0:0:1');
    expect(formatIp6(parseOk('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1'); // one zero group stays 0
    expect(formatIp6(parseOk('2001:db8:0:0:1:0:0:0'))).toBe('2001:db8:0:0:1::');
    expect(formatIp6(0n)).toBe('::');
  });

  it('host bits set are cleared with a warning; bad prefixes and zones are refused with the reason', () => {
    const p = parseCidr6('2001:db8::1/64');
    expect(p.ok && formatCidr6(p.value)).toBe('2001:db8::/64');
    expect(p.ok && p.warning).toMatch(/host bits set; using 2001:db8::\/64/);
    expect(parseCidr6('fd00::/129')).toEqual({
      ok: false,
      message: '"fd00::/129" has an invalid prefix length "129" (expected 0-128)',
    });
    expect(parseCidr6('fd00::1%eth0/64').ok).toBe(false);
    expect(parseCidr6('fd00::zz/64').ok).toBe(false);
  });

  it('format then parse is the identity, and agrees with ipaddr.js (property)', () => {
    const addr = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
    fc.assert(
      fc.property(addr, (v) => {
        const text = formatIp6(v);
        expect(parseOk(text)).toBe(v);
        expect(text).toBe(ipaddr.parse(text).toString());
      }),
    );
  });

  it("prints zero runs exactly as ipaddr.js's toRFC5952String (property, groups biased to zero)", () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const v = groups.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n);
        expect(formatIp6(v)).toBe(new ipaddr.IPv6(groups).toRFC5952String());
      }),
      { numRuns: 2000 },
    );
  });

  it('the blocks that fit cover the range exactly (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }), (v, prefix) => {
        const x = explainCidr6(cidr6(`${formatIp6(v)}/${prefix}`));
        for (const f of x.fits) expect(BigInt(f.count) * BigInt(f.addresses)).toBe(BigInt(x.size));
      }),
    );
  });
});

function parseOk(t: string): bigint {
  const p = parseIp6(t);
  if (!p.ok) throw new Error(p.message);
  return p.value;
}
