import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsIp, formatCidr, formatIp, lastAddress, overlaps, parseCidr, parseIp } from '../ip/cidr';
import type { Cidr } from '../ip/types';
import { HostLocalRange } from './hostLocal';
import { CidrSet, validateNodeMask } from './nodeCidrs';
import { NodePortAllocator, nodePortRangeOffset } from './nodePorts';
import {
  ClusterIpAllocator,
  dnsServiceIp,
  kubernetesServiceIp,
  serviceIpBands,
  serviceRangeOffset,
} from './serviceIps';

const c = (t: string): Cidr => {
  const p = parseCidr(t);
  if (!p.ok) throw new Error(p.message);
  return p.value;
};
const ip = (t: string) => {
  const p = parseIp(t);
  if (!p.ok) throw new Error(p.message);
  return p.value;
};

describe('node PodCIDRs (kube-controller-manager cidrset)', () => {
  it('carves consecutive /24s from 10.32.0.0/14: node A 10.32.0.0/24, node B 10.32.1.0/24 (the talk)', () => {
    const s = new CidrSet(c('10.32.0.0/14'), 24);
    expect(s.capacity).toBe(1024);
    expect([s.allocateNext(), s.allocateNext()].map((x) => formatCidr(x!))).toEqual(['10.32.0.0/24', '10.32.1.0/24']);
  });

  it('a node keeps a block of the old mask: Occupy marks every block it overlaps, Release frees them', () => {
    // getBeginningAndEndIndices: a /24 under a /23 mask takes its /23; a /22 under a /24 mask takes four /24s.
    const wider = new CidrSet(c('10.244.0.0/21'), 23);
    wider.occupy(c('10.244.2.0/24'));
    expect(formatCidr(wider.allocateNext()!)).toBe('10.244.0.0/23');
    expect(formatCidr(wider.allocateNext()!)).toBe('10.244.4.0/23');
    const narrower = new CidrSet(c('10.244.0.0/21'), 24);
    narrower.occupy(c('10.244.0.0/22'));
    expect(narrower.allocatedCount).toBe(4);
    expect(formatCidr(narrower.allocateNext()!)).toBe('10.244.4.0/24');
    narrower.release(c('10.244.0.0/22'));
    expect(narrower.allocatedCount).toBe(1);
  });

  it('occupied blocks are skipped; a released block is reused only after the candidate wraps', () => {
    const s = new CidrSet(c('10.244.0.0/22'), 24);
    expect(s.occupy(c('10.244.1.0/24'))).toBeUndefined();
    // Occupy sets the bits of every block the CIDR overlaps and counts only bits it changed (cidr_set.go).
    expect(s.occupy(c('10.244.1.0/24'))).toBeUndefined();
    expect(s.occupy(c('10.244.1.0/25'))).toBeUndefined();
    expect(s.allocatedCount).toBe(1);
    expect(s.occupy(c('10.245.0.0/24'))).toBe('cidr 10.245.0.0/24 is out the range of cluster cidr 10.244.0.0/22');
    const a = s.allocateNext()!;
    const b = s.allocateNext()!;
    expect([a, b].map(formatCidr)).toEqual(['10.244.0.0/24', '10.244.2.0/24']);
    s.release(a);
    expect(formatCidr(s.allocateNext()!)).toBe('10.244.3.0/24');
    expect(formatCidr(s.allocateNext()!)).toBe('10.244.0.0/24');
    expect(s.allocateNext()).toBeUndefined();
  });

  it('refuses node masks shorter than the cluster CIDR or more than 16 bits longer (cidrset clusterSubnetMaxDiff)', () => {
    expect(validateNodeMask(c('10.32.0.0/14'), 12)).toContain('larger than the cluster CIDR');
    expect(validateNodeMask(c('10.0.0.0/8'), 25)).toContain('too big');
    expect(validateNodeMask(c('10.0.0.0/8'), 24)).toBeUndefined();
    expect(() => new CidrSet(c('10.0.0.0/8'), 25)).toThrow(/too big/);
  });

  it('property: every block is inside the cluster CIDR and disjoint from the others', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 28 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 300 }),
        (prefix, extra, n) => {
          const cluster = c(`10.0.0.0/${prefix}`);
          const s = new CidrSet(cluster, Math.min(32, prefix + extra));
          const got: Cidr[] = [];
          for (let i = 0; i < n; i++) {
            const x = s.allocateNext();
            if (!x) break;
            got.push(x);
          }
          expect(got.length).toBe(Math.min(n, s.capacity));
          for (const [i, a] of got.entries()) {
            expect(containsIp(cluster, a.base) && containsIp(cluster, lastAddress(a))).toBe(true);
            if (i > 0) expect(overlaps(a, got[i - 1]!)).toBe(false);
          }
          expect(new Set(got.map(formatCidr)).size).toBe(got.length);
        },
      ),
    );
  });
});

describe('pod IPs (CNI host-local behind the bridge plugin)', () => {
  it('on 10.32.1.0/24: gateway 10.32.1.1, pods from 10.32.1.2 to 10.32.1.254, 253 of them', () => {
    const r = new HostLocalRange(c('10.32.1.0/24'));
    expect(formatIp(r.gateway)).toBe('10.32.1.1');
    expect(r.capacity).toBe(253);
    const all: number[] = [];
    for (let x = r.allocate(); x !== undefined; x = r.allocate()) all.push(x);
    expect(all.length).toBe(253);
    expect(formatIp(all[0]!)).toBe('10.32.1.2');
    expect(formatIp(all.at(-1)!)).toBe('10.32.1.254');
    // host-local's error text when the range set is exhausted (allocator.go).
    expect(r.exhaustedMessage).toBe('no IP addresses available in range set: 10.32.1.1-10.32.1.254');
  });

  it('a /26 gives 61 pod addresses', () => {
    expect(new HostLocalRange(c('10.32.0.0/26')).capacity).toBe(61);
  });

  it('a freed address is reused only after the range wraps (lastReservedIP)', () => {
    const r = new HostLocalRange(c('10.0.0.0/29')); // .2-.6 for pods
    const a = r.allocate()!;
    r.allocate();
    r.release(a);
    expect(formatIp(r.allocate()!)).toBe('10.0.0.4');
    r.allocate();
    r.allocate();
    expect(formatIp(r.allocate()!)).toBe('10.0.0.2');
    expect(r.allocate()).toBeUndefined();
  });

  it('property: no address twice, never network, broadcast or gateway, always inside', () => {
    fc.assert(
      fc.property(fc.integer({ min: 22, max: 30 }), fc.array(fc.boolean(), { maxLength: 600 }), (prefix, ops) => {
        const subnet = c(`10.32.4.0/${prefix}`);
        const r = new HostLocalRange(subnet);
        const live = new Set<number>();
        for (const alloc of ops) {
          if (alloc || live.size === 0) {
            const x = r.allocate();
            if (x === undefined) {
              expect(live.size).toBe(r.capacity);
              continue;
            }
            expect(live.has(x)).toBe(false);
            expect(containsIp(subnet, x)).toBe(true);
            expect([subnet.base, lastAddress(subnet), r.gateway]).not.toContain(x);
            live.add(x);
          } else {
            const first = live.values().next().value!;
            live.delete(first);
            r.release(first);
          }
        }
      }),
    );
  });
});

describe('Service ClusterIPs (apiserver ipallocator)', () => {
  it('kubernetes gets 10.96.0.1 and kube-dns 10.96.0.10 in 10.96.0.0/12 (kubeadm)', () => {
    expect(formatIp(kubernetesServiceIp(c('10.96.0.0/12')))).toBe('10.96.0.1');
    expect(formatIp(dnsServiceIp(c('10.96.0.0/12')))).toBe('10.96.0.10');
  });

  it('static band min(max(16, size/16), 256): 256 for a /12, 16 for a /24, none for a /28', () => {
    expect(serviceRangeOffset(c('10.96.0.0/12'))).toBe(256);
    expect(serviceRangeOffset(c('10.96.0.0/24'))).toBe(16);
    expect(serviceRangeOffset(c('10.96.0.0/28'))).toBe(0);
    expect(serviceIpBands(c('10.96.0.0/12')).dynamicBand.first).toBe('10.96.1.1');
  });

  it('requested addresses are checked like the apiserver does', () => {
    const a = new ClusterIpAllocator(c('10.96.0.0/12'));
    expect(a.reserve(ip('10.96.0.1'))).toBeUndefined();
    expect(a.reserve(ip('10.96.0.1'))).toBe(
      'spec.clusterIP: Invalid value: "10.96.0.1": provided IP is already allocated',
    );
    expect(a.reserve(ip('10.0.0.1'))).toContain(
      'provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    expect(a.reserve(ip('10.96.0.0'))).toContain('not in the valid range');
    expect(a.reserve(ip('10.111.255.255'))).toContain('not in the valid range');
  });

  it('dynamic picks land in the upper band, are stable per key, and fill the whole range before failing', () => {
    const a = new ClusterIpAllocator(c('10.96.0.0/12'));
    const x = a.allocateFor('default/web')!;
    expect(x).toBeGreaterThanOrEqual(ip('10.96.1.1'));
    expect(new ClusterIpAllocator(c('10.96.0.0/12')).allocateFor('default/web')).toBe(x);
    const small = new ClusterIpAllocator(c('10.96.0.0/28'));
    const got = new Set<number>();
    for (let i = 0; i < 14; i++) got.add(small.allocateFor(`ns/s${i}`)!);
    expect(got.size).toBe(14);
    expect(small.allocateFor('ns/one-more')).toBeUndefined();
  });
});

describe('NodePorts (apiserver portallocator)', () => {
  it('default range 30000-32767 keeps a static band of 86 ports (2768/32)', () => {
    expect(nodePortRangeOffset(2768)).toBe(86);
    const a = new NodePortAllocator();
    expect(a.staticBandLast).toBe(30085);
    expect(a.allocateFor('default/web:http')).toBeGreaterThan(30085);
  });

  it('requested ports are checked like the apiserver does', () => {
    const a = new NodePortAllocator();
    expect(a.reserve(30080)).toBeUndefined();
    expect(a.reserve(30080)).toBe('Invalid value: 30080: provided port is already allocated');
    expect(a.reserve(8080)).toBe(
      'Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it('property: never a port twice, never outside the range', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 300 }), (keys) => {
        const a = new NodePortAllocator();
        const seen = new Set<number>();
        for (const k of keys) {
          const p = a.allocateFor(k)!;
          expect(p).toBeGreaterThanOrEqual(30000);
          expect(p).toBeLessThanOrEqual(32767);
          expect(seen.has(p)).toBe(false);
          seen.add(p);
        }
      }),
    );
  });
});

describe('host-local capacity by PodCIDR text', () => {
  it('a /24 holds 253 pods (network, gateway and broadcast never handed out); none for no PodCIDR', async () => {
    const { podCidrCapacity } = await import('./hostLocal');
    expect(podCidrCapacity('10.32.1.0/24')).toBe(253);
    expect(podCidrCapacity('10.32.1.0/30')).toBe(1);
    expect(podCidrCapacity(null)).toBe(0);
    expect(podCidrCapacity('nonsense')).toBe(0);
  });
});
