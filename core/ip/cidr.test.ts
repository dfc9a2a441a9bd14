import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  cidrSize,
  containsIp,
  firstUsable,
  formatCidr,
  formatIp,
  lastAddress,
  lastUsable,
  overlaps,
  parseCidr,
  parseIp,
  splitCidr,
  subnetAt,
  subnetCount,
} from './cidr';
import { explainCidr, formatCount, howManyFit } from './explain';
import type { Cidr } from './types';

const c = (t: string): Cidr => {
  const p = parseCidr(t);
  if (!p.ok) throw new Error(p.message);
  return p.value;
};

describe('CIDR math (the talk "Networking Model in Kubernetes")', () => {
  it('10.32.0.0/14 is 10.32.0.0-10.35.255.255, 262,144 addresses, 1,024 /24s', () => {
    const x = explainCidr(c('10.32.0.0/14'));
    expect([x.network, x.lastAddress, x.size, x.netmask]).toEqual([
      '10.32.0.0',
      '10.35.255.255',
      262144,
      '255.252.0.0',
    ]);
    expect([x.firstUsable, x.lastUsable, x.usable]).toEqual(['10.32.0.1', '10.35.255.254', 262142]);
    expect(x.fits.find((f) => f.prefix === 24)?.count).toBe(1024);
    expect(formatCount(x.size)).toBe('262,144');
    expect(x.binary.marked).toBe('00001010.001000|00.00000000.00000000');
    expect(howManyFit(c('10.32.0.0/14'), 24)).toBe('1,024 /24 blocks fit in 10.32.0.0/14');
  });

  it("the talk's second cluster: 10.4.0.0/14 is 10.4.0.0-10.7.255.255", () => {
    const x = explainCidr(c('10.4.0.0/14'));
    expect([x.network, x.lastAddress, x.size]).toEqual(['10.4.0.0', '10.7.255.255', 262144]);
  });

  it('a /24 holds 256 addresses, 254 usable', () => {
    const x = explainCidr(c('10.32.1.0/24'));
    expect([x.size, x.usable, x.firstUsable, x.lastUsable]).toEqual([256, 254, '10.32.1.1', '10.32.1.254']);
    expect(x.binary.marked).toBe('00001010.00100000.00000001|.00000000');
  });

  it('/31 and /32 have no network or broadcast address (RFC 3021)', () => {
    expect(explainCidr(c('10.0.0.0/31'))).toMatchObject({
      size: 2,
      usable: 2,
      firstUsable: '10.0.0.0',
      lastUsable: '10.0.0.1',
    });
    expect(explainCidr(c('10.0.0.7/32'))).toMatchObject({
      size: 1,
      usable: 1,
      firstUsable: '10.0.0.7',
      lastUsable: '10.0.0.7',
    });
    expect(explainCidr(c('0.0.0.0/0'))).toMatchObject({ size: 2 ** 32, lastAddress: '255.255.255.255' });
  });

  it('accepts host bits with a warning and normalises', () => {
    const p = parseCidr('10.32.5.0/14');
    expect(p.ok && formatCidr(p.value)).toBe('10.32.0.0/14');
    expect(p.ok && p.warning).toContain('using 10.32.0.0/14');
  });

  it('rejects bad input with a reason, IPv6 as not supported yet', () => {
    for (const bad of [
      '10.32.0.0',
      '10.32.0.0/33',
      '10.32.0/14',
      '10.32.0.256/24',
      'abc',
      '',
      '10.32.0.0/-1',
      '10.32.0.0/1a',
      '010.32.0.0/14x',
    ]) {
      const p = parseCidr(bad);
      expect(p.ok, bad).toBe(false);
    }
    const v6 = parseCidr('fd00::/64');
    expect(!v6.ok && v6.message).toContain('IPv6 is not supported yet');
    const v6ip = parseIp('::1');
    expect(!v6ip.ok && v6ip.message).toContain('IPv6 is not supported yet');
  });

  it('splits and indexes subnets in address order', () => {
    const p = c('10.32.0.0/14');
    expect(subnetCount(p, 24)).toBe(1024);
    expect(formatCidr(subnetAt(p, 24, 1)!)).toBe('10.32.1.0/24');
    expect(formatCidr(subnetAt(p, 24, 1023)!)).toBe('10.35.255.0/24');
    expect(subnetAt(p, 24, 1024)).toBeUndefined();
    expect(splitCidr(c('10.0.0.0/23'), 24).map(formatCidr)).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
    expect(subnetCount(p, 12)).toBe(0);
  });

  it('overlap: pod range vs service range', () => {
    expect(overlaps(c('10.32.0.0/14'), c('10.96.0.0/12'))).toBe(false);
    expect(overlaps(c('10.0.0.0/8'), c('10.96.0.0/12'))).toBe(true);
    expect(overlaps(c('10.96.0.0/12'), c('10.0.0.0/8'))).toBe(true);
  });
});

describe('CIDR properties', () => {
  const anyCidr = fc.record({ ip: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 0, max: 32 }) });

  it('format -> parse is the identity and the network address is normalised', () => {
    fc.assert(
      fc.property(anyCidr, ({ ip, prefix }) => {
        const p = parseCidr(`${formatIp(ip)}/${prefix}`);
        expect(p.ok).toBe(true);
        if (!p.ok) return;
        const again = parseCidr(formatCidr(p.value));
        expect(again.ok && again.value).toEqual(p.value);
        expect(again.ok && again.warning).toBeUndefined();
        expect(containsIp(p.value, ip)).toBe(true);
      }),
    );
  });

  it('first usable <= last usable, both inside, size = last - network + 1', () => {
    fc.assert(
      fc.property(anyCidr, ({ ip, prefix }) => {
        const p = parseCidr(`${formatIp(ip)}/${prefix}`);
        if (!p.ok) return;
        const x = p.value;
        expect(firstUsable(x)).toBeLessThanOrEqual(lastUsable(x));
        expect(containsIp(x, firstUsable(x)) && containsIp(x, lastUsable(x))).toBe(true);
        expect(lastAddress(x) - x.base + 1).toBe(cidrSize(x));
      }),
    );
  });

  it('subnets of a block are disjoint and inside it', () => {
    fc.assert(
      fc.property(anyCidr, fc.integer({ min: 0, max: 6 }), ({ ip, prefix }, extra) => {
        const p = parseCidr(`${formatIp(ip)}/${Math.min(prefix, 26)}`);
        if (!p.ok) return;
        const subs = splitCidr(p.value, Math.min(32, p.value.prefix + extra), 64);
        for (const [i, s] of subs.entries()) {
          expect(containsIp(p.value, s.base) && containsIp(p.value, lastAddress(s))).toBe(true);
          if (i > 0) expect(overlaps(s, subs[i - 1]!)).toBe(false);
        }
      }),
    );
  });
});

describe('the explainer with a node mask outside the usual list', () => {
  it('adds the asked-for mask with its count and block size', async () => {
    const { explainCidr } = await import('./explain');
    const p = parseCidr('10.32.0.0/14');
    if (!p.ok) throw new Error('must parse');
    const f = explainCidr(p.value, 30).fits.find((x) => x.prefix === 30)!;
    expect(f).toEqual({ prefix: 30, count: 65536, addresses: 4 });
    expect(explainCidr(p.value).fits.find((x) => x.prefix === 24)).toEqual({ prefix: 24, count: 1024, addresses: 256 });
  });
});

describe('parseIp agrees with ipaddr.js', () => {
  // parseIp reads plain dotted quads itself (the hot path) and leaves the rest to ipaddr.js.
  const part = fc.oneof(
    fc.integer({ min: 0, max: 300 }).map(String),
    fc.constantFrom('', '00', '01', '007', '1e2', ' 1', '-1', '0x1f', '256', '255'),
  );
  const text = fc.oneof(
    fc.array(part, { minLength: 1, maxLength: 6 }).map((ps) => ps.join('.')),
    fc.string({ maxLength: 18 }),
  );
  it('accepts exactly the four-part decimals ipaddr.js accepts, with the same value', () => {
    fc.assert(
      fc.property(text, (t) => {
        const ours = parseIp(t);
        const trimmed = t.trim();
        const valid = ipaddr.IPv4.isValidFourPartDecimal(trimmed);
        expect(ours.ok).toBe(valid);
        if (ours.ok) expect(formatIp(ours.value)).toBe(ipaddr.IPv4.parse(trimmed).toString());
      }),
      { numRuns: 3000 },
    );
  });
});
