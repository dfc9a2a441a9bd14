// Traces in an IPv6-first dual-stack cluster (kind: podSubnet fd00:10:244::/56,10.244.0.0/16): the primary fields
// hold IPv6, so a trace defaults to IPv6 (names answer AAAA, the DNS query goes to kube-dns's IPv6 ClusterIP
// fd00:10:96::a as the pods' resolv.conf names it), and -4 walks the IPv4 tables the IPv4 proxier wrote.
import { describe, expect, it } from 'vitest';
import { ipv6FirstCluster as cluster, run } from './ipv6First.testUtil';
import { checkThreeRules } from './threeRules';
import type { Hop } from './types';

const moves = (hops: Hop[]) =>
  hops.map((h) => `${h.node} ${h.action} ${h.src} → ${h.dst} ⇒ ${h.srcAfter} → ${h.dstAfter}`);
const untouched = (hops: Hop[]) => hops.every((h) => h.src === h.srcAfter && h.dst === h.dstAfter);

const dp = cluster();
const service = (name: string) => dp.cluster.services.find((s) => s.name === name)!;
const web = dp.cluster.pods.filter((p) => p.name.startsWith('web-'));
const client = 'pod/default/client';

describe('IPv6-first dual-stack: the realized cluster the traces below run in', () => {
  it('holds IPv6 in the primary fields and IPv4 second in the lists', () => {
    expect(dp.cluster.cluster).toMatchObject({ podCIDR: 'fd00:10:244::/56', dnsIP: 'fd00:10:96::a' });
    expect(web.map((p) => p.ips)).toEqual([
      ['fd00:10:244:1::2', '10.244.1.2'],
      ['fd00:10:244:2::2', '10.244.2.2'],
    ]);
    expect(dp.cluster.pods.find((p) => p.name === 'client')!.ips).toEqual(['fd00:10:244:2::3', '10.244.2.3']);
    expect(service('both')).toMatchObject({
      ipFamilies: ['IPv6', 'IPv4'],
      clusterIPs: [expect.any(String), expect.any(String)],
    });
  });
});

describe('pod → pod, in both families', () => {
  it('defaults to IPv6 (the primary family) and crosses the node network untranslated', () => {
    const r = run(dp, { from: client, to: `pod/default/${web[0]!.name}` });
    expect(r.verdict).toBe('delivered');
    expect(r.hops[0]!.src).toBe('[fd00:10:244:2::3]:40000');
    expect(r.hops.at(-1)!.dst).toBe('[fd00:10:244:1::2]:8080');
    expect(r.hops.find((h) => h.action === 'route' && h.device === 'eth0')!.rule).toBe(
      'fd00:10:244:1::/64 via fc00:f853:ccd:e793::3 dev eth0 metric 1024 pref medium',
    );
    expect(untouched(r.hops)).toBe(true);
    expect(r.reply!.hops.at(-1)!.dst).toBe('[fd00:10:244:2::3]:40000');
  });

  it('-4: the pods’ IPv4 addresses over the IPv4 routes', () => {
    const r = run(dp, { from: client, to: `pod/default/${web[0]!.name}`, family: 'IPv4' });
    expect(r.verdict).toBe('delivered');
    expect(moves(r.hops).at(0)).toBe(
      'first6-worker2 send 10.244.2.3:40000 → 10.244.1.2:8080 ⇒ 10.244.2.3:40000 → 10.244.1.2:8080',
    );
    expect(r.hops.find((h) => h.action === 'route' && h.device === 'eth0')!.rule).toBe(
      '10.244.1.0/24 via 172.18.0.3 dev eth0',
    );
    expect(untouched(r.hops)).toBe(true);
  });
});

describe('pod → a Service by name', () => {
  const six = service('both').clusterIPs![0]!;
  const four = service('both').clusterIPs![1]!;

  it("asks kube-dns at its IPv6 ClusterIP for AAAA, is DNATed to a pod's IPv6 address and un-DNATed on the reply", () => {
    const r = run(dp, { from: client, to: 'both' });
    expect(r.dns!.answer).toEqual([six]);
    expect(r.dns!.query.verdict).toBe('delivered');
    expect(r.dns!.query.hops[0]).toMatchObject({ src: '[fd00:10:244:2::3]:40001', dst: '[fd00:10:96::a]:53' });
    const dnat = r.hops.find((h) => h.action === 'dnat')!;
    expect(`${dnat.dst} ⇒ ${dnat.dstAfter}`).toBe(`[${six}]:80 ⇒ [fd00:10:244:1::2]:8080`);
    expect(dnat.rule).toContain(`-A KUBE-SERVICES -d ${six}/128 -p tcp`);
    expect(r.verdict).toBe('delivered');
    const unNat = r.reply!.hops.find((h) => h.action === 'un-nat')!;
    expect(`${unNat.src} ⇒ ${unNat.srcAfter}`).toBe(`[fd00:10:244:1::2]:8080 ⇒ [${six}]:80`);
    expect(r.reply!.hops.at(-1)!.dst).toBe('[fd00:10:244:2::3]:40000');
    expect(r.conntrack).toEqual([
      `tcp      6 431999 ESTABLISHED src=fd00:10:244:2::3 dst=${six} sport=40000 dport=80 src=fd00:10:244:1::2 dst=fd00:10:244:2::3 sport=8080 dport=40000 [ASSURED] mark=0 use=1`,
    ]);
  });

  it("-4 to a PreferDualStack Service: its IPv4 ClusterIP (A, still asked over IPv6) DNATed to a pod's IPv4 address", () => {
    expect(four).toMatch(/^10\.96\./);
    const byName = run(dp, { from: client, to: 'both', family: 'IPv4' });
    expect(byName.dns!.answer).toEqual([four]);
    expect(byName.dns!.query.hops[0]).toMatchObject({ src: '[fd00:10:244:2::3]:40001', dst: '[fd00:10:96::a]:53' });
    expect(byName.dns!.query.verdict).toBe('delivered');
    const r = run(dp, { from: client, to: 'svc/default/both', family: 'IPv4' });
    expect(r.hops[0]!.src).toBe('10.244.2.3:40000');
    const dnat = r.hops.find((h) => h.action === 'dnat')!;
    expect(`${dnat.dst} ⇒ ${dnat.dstAfter}`).toMatch(new RegExp(`^${four}:80 ⇒ 10\\.244\\.[12]\\.2:8080$`));
    expect(dnat.rule).toContain(`-A KUBE-SERVICES -d ${four}/32 -p tcp`);
    expect(r.verdict).toBe('delivered');
    expect(r.reply!.hops.find((h) => h.action === 'un-nat')!.srcAfter).toBe(`${four}:80`);
    expect(r.reply!.hops.at(-1)!.dst).toBe('10.244.2.3:40000');
  });

  it('-4 to a Service of the default family (SingleStack IPv6): no A record, no IPv4 ClusterIP', () => {
    expect(service('six')).toMatchObject({ ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' });
    const byName = run(dp, { from: client, to: 'six', family: 'IPv4' });
    expect(byName).toMatchObject({ verdict: 'unreachable', dns: { answer: [] } });
    expect(byName.reason).toContain('has no A record');
    const r = run(dp, { from: client, to: 'svc/default/six', family: 'IPv4' });
    expect(r.verdict).toBe('unreachable');
    expect(r.reason).toContain('it has no IPv4 ClusterIP');
  });
});

describe('a SingleStack IPv4 Service in an IPv6-first cluster', () => {
  it('has no IPv6 ClusterIP and no AAAA record: the reason names -4, which reaches it', () => {
    const r = run(dp, { from: client, to: 'svc/default/four' });
    expect(r).toMatchObject({ verdict: 'unreachable', hops: [] });
    expect(r.reason).toBe(
      'Service default/four is SingleStack with ipFamilies [IPv4]: it has no IPv6 ClusterIP (trace it with -4)',
    );
    expect(run(dp, { from: client, to: 'four' }).reason).toBe(
      'DNS: four.default.svc.cluster.local has no AAAA record: Service default/four is SingleStack with ipFamilies [IPv4]: it has no IPv6 ClusterIP (trace it with -4), so CoreDNS answers the AAAA query with no address',
    );
    expect(run(dp, { from: client, to: 'four', family: 'IPv4' }).verdict).toBe('delivered');
  });
});

describe('pod → the kubernetes Service (SingleStack IPv6, ::1)', () => {
  it("is DNATed to the API server on the control plane's IPv6 address, named from the IPv6 proxier's endpoints", () => {
    const r = run(dp, { from: client, to: 'kubernetes.default' });
    expect(r.dns!.answer).toEqual(['fd00:10:96::1']);
    const dnat = r.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.dstAfter).toBe('[fc00:f853:ccd:e793::2]:6443');
    expect(dnat.explain).toContain(
      'Its only endpoint is [fc00:f853:ccd:e793::2]:6443 (kube-apiserver-first6-control-plane on first6-control-plane).',
    );
    expect(r.verdict).toBe('delivered');
  });
});

describe('node → pod', () => {
  it("from the node's own IPv6 address by default, its IPv4 one with -4, the address unchanged on arrival", () => {
    const to = `pod/default/${web[1]!.name}`;
    const six = run(dp, { from: 'node/first6-control-plane', to });
    expect(six.hops[0]!.src).toBe('[fc00:f853:ccd:e793::2]:40000');
    expect(six.hops.at(-1)!.src).toMatch(/^\[fc00:f853:ccd:e793::2\]:\d+$/);
    expect(six.hops.at(-1)!.dst).toBe('[fd00:10:244:2::2]:8080');
    const four = run(dp, { from: 'node/first6-control-plane', to, family: 'IPv4' });
    expect(four.hops[0]!.src).toBe('172.18.0.2:40000');
    expect(four.hops.at(-1)!.src).toMatch(/^172\.18\.0\.2:\d+$/);
    expect(four.hops.at(-1)!.dst).toBe('10.244.2.2:8080');
    expect([six.verdict, four.verdict]).toEqual(['delivered', 'delivered']);
  });
});

describe("pod → its node's own addresses", () => {
  it.each([
    ['[fd00:10:244:2::1]:22', 'cni0'],
    ['10.244.2.1:22', 'cni0'],
    ['[fc00:f853:ccd:e793::4]:22', 'eth0'],
    ['172.18.0.4:22', 'eth0'],
  ])('%s is delivered to the node on %s', (to, device) => {
    const r = run(dp, { from: `pod/default/${web[1]!.name}`, to });
    expect(r.verdict).toBe('delivered');
    expect(r.hops.at(-1)).toMatchObject({ node: 'first6-worker2', action: 'deliver', device, dst: to });
  });
});

describe("external → the NodePort on a node's IPv6 and IPv4 addresses", () => {
  it.each([
    ['[fc00:f853:ccd:e793::3]:30080', '[2001:db8::10]:40000', /^\[fd00:10:244:[12]::2\]:8080$/],
    ['172.18.0.3:30080', '203.0.113.10:40000', /^10\.244\.[12]\.2:8080$/],
  ])('%s: DNAT to an endpoint of that family, un-NAT on the way back', (to, from, endpoint) => {
    const r = run(dp, { from: 'external', to });
    expect(r.verdict).toBe('delivered');
    expect(r.hops[0]).toMatchObject({ node: 'first6-worker', action: 'receive', src: from, dst: to });
    expect(r.hops.find((h) => h.action === 'dnat')!.dstAfter).toMatch(endpoint);
    expect(r.reply!.hops.find((h) => h.action === 'un-nat')!.srcAfter).toBe(to);
    expect(r.reply!.hops.at(-1)!.dst).toBe(from);
  });
});

describe('pod → outside the cluster, and to a pod address nobody holds', () => {
  const from = `pod/default/${web[1]!.name}`;
  it.each([
    ['8.8.8.8:443', /^172\.18\.0\.4:\d+$/],
    ['[2001:4860:4860::8888]:443', /^\[fc00:f853:ccd:e793::4\]:\d+$/],
  ])("%s: flannel masquerades the pod's address of that family to the node's", (to, masqueraded) => {
    const r = run(dp, { from, to });
    expect(r.verdict).toBe('delivered');
    const snat = r.hops.find((h) => h.action === 'snat')!;
    expect(snat.srcAfter).toMatch(masqueraded);
    expect(snat.explain).toContain('flannel masquerades pod traffic leaving the pod network');
  });

  it('an IPv4 address in the IPv4 pod range with no route is lost at the default gateway', () => {
    const r = run(dp, { from, to: '10.244.9.9' });
    expect(r.verdict).toBe('unreachable');
    expect(r.reason).toContain('has no route to 10.244.9.9: the packet follows the default route');
  });
});

describe('a node with a pinned single (IPv4) podCIDR in an IPv6-first cluster', () => {
  const pinned = cluster('host-gw', 'iptables', '{role: worker, podCIDR: 10.244.9.0/24}');
  const on = (node: string) => pinned.cluster.pods.find((p) => p.node === node && p.name.startsWith('web-'))!;
  const to = `pod/default/${on('first6-worker2').name}`;
  const from = `pod/default/${on('first6-worker').name}`;

  it('gives its pods an IPv4 address only: unreachable over IPv6 (the default) with the reason, reached with -4', () => {
    expect(on('first6-worker2').ips).toEqual(['10.244.9.2']);
    const six = run(pinned, { from, to });
    expect(six.verdict).toBe('unreachable');
    expect(six.reason).toBe(
      `pod ${to.slice(4)} has no IPv6 address (status.podIPs ["10.244.9.2"]: its node first6-worker2 has no IPv6 PodCIDR)`,
    );
    expect(run(pinned, { from, to, family: 'IPv4' }).verdict).toBe('delivered');
  });

  it('the three rules are checked among the pods that have an IPv6 address', () => {
    const rules = checkThreeRules(pinned);
    expect(rules.every((r) => r.holds)).toBe(true);
    expect(rules[0]!.evidence).toMatch(/^\d+ pod pairs? across 2 nodes traced/);
  });
});

describe.each([
  ['host-gw', 'iptables'],
  ['host-gw', 'nftables'],
  ['vxlan', 'iptables'],
  ['vxlan', 'nftables'],
])('the three rules and a Service, %s and kube-proxy %s', (cni, mode) => {
  const c = cni === 'host-gw' && mode === 'iptables' ? dp : cluster(cni, mode);

  it('hold, checked over IPv6 (the primary family)', () => {
    const rules = checkThreeRules(c);
    expect(rules.map((r) => [r.rule, r.holds])).toEqual([
      ['pod to pod without NAT', true],
      ['node to pod without NAT', true],
      ['a pod sees itself at the IP others see it at', true],
    ]);
    expect(rules[0]!.evidence).toMatch(/^6 pod pairs across 3 nodes traced/);
  });

  it('a Service name reaches a pod over IPv6, and over IPv4 with -4', () => {
    const six = run(c, { from: client, to: 'both' });
    const four = run(c, { from: client, to: 'both', family: 'IPv4' });
    expect([six.verdict, four.verdict]).toEqual(['delivered', 'delivered']);
    expect(six.hops.find((h) => h.action === 'dnat')!.dstAfter).toMatch(/^\[fd00:10:244:[12]::2\]:8080$/);
    expect(four.hops.find((h) => h.action === 'dnat')!.dstAfter).toMatch(/^10\.244\.[12]\.2:8080$/);
  });
});
