import { describe, expect, it } from 'vitest';
import { formatCidr6, formatIp6, parseCidr6, type Cidr6 } from '../ip/cidr6';
import { CidrSet6, ClusterIpAllocator6, HostLocalRange6, validateNodeMask6 } from './family6';

const c6 = (t: string): Cidr6 => {
  const p = parseCidr6(t);
  if (!p.ok) throw new Error(p.message);
  return p.value;
};

// pkg/controller/nodeipam/ipam/cidrset/cidr_set.go: indexToCIDRBlock and AllocateNext; its tests use the same blocks.
describe('CidrSet6 (cidrset for IPv6)', () => {
  it('hands out consecutive /64s from a /56, the index in the bits between the masks', () => {
    const s = new CidrSet6(c6('fd00:10:244::/56'), 64);
    expect(s.capacity).toBe(256);
    expect([1, 2, 3].map(() => formatCidr6(s.allocateNext()!))).toEqual([
      'fd00:10:244::/64',
      'fd00:10:244:1::/64',
      'fd00:10:244:2::/64',
    ]);
    expect(formatCidr6(s.blockAt(255))).toBe('fd00:10:244:ff::/64');
  });

  it('works on both halves of the address: node masks past bit 64 and ones straddling it', () => {
    const right = new CidrSet6(c6('2001:db8::/112'), 120);
    right.allocateNext();
    expect(formatCidr6(right.allocateNext()!)).toBe('2001:db8::100/120');
    const straddle = new CidrSet6(c6('2001:db8::/60'), 72);
    expect(formatCidr6(straddle.blockAt(0x1ff))).toBe('2001:db8:0:1:ff00::/72');
  });

  it('occupies pinned blocks, resumes after the last one handed out and says when it is full', () => {
    const s = new CidrSet6(c6('fd00::/63'), 64);
    expect(s.occupy(c6('fd00::/64'))).toBeUndefined();
    expect(s.occupy(c6('fd00::/64'))).toBeUndefined();
    expect(s.occupy(c6('fd00:1::/64'))).toBe('cidr fd00:1::/64 is out the range of cluster cidr fd00::/63');
    expect(formatCidr6(s.allocateNext()!)).toBe('fd00:0:0:1::/64');
    expect(s.allocateNext()).toBeUndefined();
  });

  it('refuses a node mask more than 16 bits longer than the cluster mask (clusterSubnetMaxDiff)', () => {
    expect(validateNodeMask6(c6('fd00::/48'), 64)).toBeUndefined();
    expect(validateNodeMask6(c6('fd00::/47'), 64)).toMatch(/^New CIDR set failed; the node CIDR size is too big/);
    expect(() => new CidrSet6(c6('fd00::/40'), 64)).toThrow('difference is greater than 16');
  });
});

// containernetworking/plugins host-local: range.go Canonicalize (gateway network+1, RangeEnd the last address).
describe('HostLocalRange6', () => {
  it('skips the network address and the gateway, and uses the last address (IPv6 has no broadcast)', () => {
    const r = new HostLocalRange6(c6('fd00::/126'));
    expect(r.capacity).toBe(2n);
    expect([r.allocate(), r.allocate(), r.allocate()]).toEqual([2, 3, undefined]);
    expect(formatIp6(r.address(3))).toBe('fd00::3');
  });
});

// pkg/registry/core/service/ipallocator/bitmap.go NewBitmapAllocatorRange for IPv6.
describe('ClusterIpAllocator6', () => {
  it('caps the bitmap at 65,536 addresses less the network address, and dynamic picks avoid the lower band', () => {
    expect(new ClusterIpAllocator6(c6('fd00:10:96::/108')).capacity).toBe(65535);
    expect(new ClusterIpAllocator6(c6('fd00:10:96::/120')).capacity).toBe(255);
    const a = new ClusterIpAllocator6(c6('fd00:10:96::/112'));
    const ip = a.allocateFor('default/web')!;
    expect(ip - c6('fd00:10:96::/112').base).toBeGreaterThan(256n);
  });

  it("reserves requested addresses with the API server's errors", () => {
    const a = new ClusterIpAllocator6(c6('fd00:10:96::/112'));
    const base = c6('fd00:10:96::/112').base;
    expect(a.reserve(base + 0x50n)).toBeUndefined();
    expect(a.reserve(base + 0x50n)).toBe(
      'spec.clusterIPs[1]: Invalid value: "fd00:10:96::50": provided IP is already allocated',
    );
    expect(a.reserve(base + 0x10000n)).toBe(
      'spec.clusterIPs[1]: Invalid value: "fd00:10:96::1:0": provided IP is not in the valid range. The range of valid IPs is fd00:10:96::/112',
    );
  });
});
