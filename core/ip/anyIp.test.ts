import { describe, expect, it } from 'vitest';
import { containsAny, formatHostPort, hostOf, parseAny, parseAnyCidr, type AnyCidr, type IpAddr } from './anyIp';
import { renderRule } from '../dataplane/iptablesRule';

const ip = (t: string): IpAddr => (parseAny(t) as { value: IpAddr }).value;
const cidr = (t: string): AnyCidr => (parseAnyCidr(t) as { value: AnyCidr }).value;

describe('addresses of either family', () => {
  it('never matches across families', () => {
    expect(containsAny(cidr('0.0.0.0/0'), ip('fd00::1'))).toBe(false);
    expect(containsAny(cidr('::/0'), ip('10.0.0.1'))).toBe(false);
    expect(containsAny(cidr('fd00:10:244::/56'), ip('fd00:10:244:1::5'))).toBe(true);
    expect(containsAny(cidr('fd00:10:244::/56'), ip('fd00:10:245::5'))).toBe(false);
    expect(containsAny(cidr('10.244.0.0/16'), ip('10.244.3.9'))).toBe(true);
  });

  it('reads an address without a prefix as a single-address block', () => {
    expect(cidr('fd00::1')).toEqual({ base: (0xfd00n << 112n) | 1n, prefix: 128 });
    expect(cidr('10.96.0.10')).toEqual({ base: 0x0a60000a, prefix: 32 });
  });

  it('brackets an IPv6 address before its port, as kube-proxy and ip6tables-save print it', () => {
    expect(formatHostPort(ip('fd00:10:244:1::5'), 80)).toBe('[fd00:10:244:1::5]:80');
    expect(formatHostPort(ip('10.244.1.5'), 80)).toBe('10.244.1.5:80');
    expect(hostOf('[fd00:10:244:1::5]:80')).toBe('fd00:10:244:1::5');
    expect(hostOf('10.244.1.5:80')).toBe('10.244.1.5');
    expect(hostOf('fd00::5')).toBe('fd00::5');
    expect(hostOf('10.244.1.5')).toBe('10.244.1.5');
  });

  it('prints an IPv6 rule as ip6tables-save does', () => {
    const rule = {
      dst: { cidr: cidr('fd00:10:96::a'), negate: false },
      proto: 'udp' as const,
      matches: [],
      target: { kind: 'DNAT' as const, ip: ip('fd00:10:244:1::5'), port: 53 },
    };
    expect(renderRule('KUBE-SEP-X', rule)).toBe(
      '-A KUBE-SEP-X -d fd00:10:96::a/128 -p udp -j DNAT --to-destination [fd00:10:244:1::5]:53',
    );
  });
});
