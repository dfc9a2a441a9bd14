// IPv6 traces through kube-proxy's ip6tables (iptables mode): the very tables `iptables --node` prints in its
// IPv6 section decide the DNAT, the masquerade and the REJECT; conntrack un-NATs the reply.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane } from '../dataplane/dataplane';
import { DUAL_SCENARIO } from '../dataplane/dualStack.testUtil';
import { trace, type TraceRequest } from './trace';
import type { Hop, TraceResult } from './types';

const cluster = (mode = 'iptables') => {
  const p = parseScenario(DUAL_SCENARIO(mode));
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};
const dp = cluster();
const web = dp.cluster.pods.filter((p) => p.name.startsWith('web-'));
const client = `pod/default/${web[0]!.name}`;
const svc = (name: string) => dp.cluster.services.find((s) => s.name === name)!;

function run(req: TraceRequest): TraceResult {
  const r = trace(dp, req);
  if (!r.ok) throw new Error(r.message);
  return r.result;
}
const moves = (hops: Hop[]) =>
  hops.map((h) => `${h.node} ${h.device} ${h.action} ${h.src} → ${h.dst} ⇒ ${h.srcAfter} → ${h.dstAfter}`);

describe("pod → a Service's IPv6 ClusterIP", () => {
  it('is DNATed to a pod’s IPv6 address and un-DNATed on the reply', () => {
    expect(svc('web').clusterIPs).toEqual(['10.96.39.238', 'fd00:10:96::e4d4']);
    const r = run({ from: client, to: 'svc/default/web', family: 'IPv6' });
    expect(r.verdict).toBe('delivered');
    expect(moves(r.hops)).toEqual([
      `kind-worker eth0 send [fd00:10:244:1::2]:40000 → [fd00:10:96::e4d4]:80 ⇒ [fd00:10:244:1::2]:40000 → [fd00:10:96::e4d4]:80`,
      `kind-worker ${r.hops[1]!.device} bridge [fd00:10:244:1::2]:40000 → [fd00:10:96::e4d4]:80 ⇒ [fd00:10:244:1::2]:40000 → [fd00:10:96::e4d4]:80`,
      'kind-worker PREROUTING (nat) dnat [fd00:10:244:1::2]:40000 → [fd00:10:96::e4d4]:80 ⇒ [fd00:10:244:1::2]:40000 → [fd00:10:244:1::3]:8080',
      'kind-worker cni0 route [fd00:10:244:1::2]:40000 → [fd00:10:244:1::3]:8080 ⇒ [fd00:10:244:1::2]:40000 → [fd00:10:244:1::3]:8080',
      'kind-worker eth0 deliver [fd00:10:244:1::2]:40000 → [fd00:10:244:1::3]:8080 ⇒ [fd00:10:244:1::2]:40000 → [fd00:10:244:1::3]:8080',
    ]);
    // The rules that decided are the ip6tables rules kube-proxy's IPv6 proxier wrote (iptables --node's IPv6 section).
    expect(r.hops[2]!.rule!.split('\n')).toEqual([
      '-A KUBE-SERVICES -d fd00:10:96::e4d4/128 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G',
      expect.stringMatching(
        /^-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default\/web -> \[fd00:10:244:1::3\]:8080" .*-j KUBE-SEP-/,
      ),
      expect.stringMatching(
        /^-A KUBE-SEP-\S+ -p tcp -m comment --comment "default\/web" -m tcp -j DNAT --to-destination \[fd00:10:244:1::3\]:8080$/,
      ),
    ]);
    const unNat = r.reply!.hops.find((h) => h.action === 'un-nat')!;
    expect(`${unNat.src} → ${unNat.dst} ⇒ ${unNat.srcAfter} → ${unNat.dstAfter}`).toBe(
      '[fd00:10:244:1::3]:8080 → [fd00:10:244:1::2]:40000 ⇒ [fd00:10:96::e4d4]:80 → [fd00:10:244:1::2]:40000',
    );
    expect(r.reply!.hops.at(-1)!.dst).toBe('[fd00:10:244:1::2]:40000');
    // conntrack -L's IPv6 entry, checked against conntrack-tools 1.4.7 (addresses as inet_ntop prints them).
    expect(r.conntrack).toEqual([
      'tcp      6 431999 ESTABLISHED src=fd00:10:244:1::2 dst=fd00:10:96::e4d4 sport=40000 dport=80 src=fd00:10:244:1::3 dst=fd00:10:244:1::2 sport=8080 dport=40000 [ASSURED] mark=0 use=1',
    ]);
  });

  it('by name: the DNS step answers AAAA with the IPv6 ClusterIP, then the same DNAT', () => {
    const r = run({ from: client, to: 'web', family: 'IPv6' });
    expect(r.dns!.answer).toEqual(['fd00:10:96::e4d4']);
    expect(r.dns!.query.verdict).toBe('delivered');
    expect(r.hops.find((h) => h.action === 'dnat')!.dstAfter).toBe('[fd00:10:244:1::3]:8080');
    expect(r.verdict).toBe('delivered');
  });

  it('a Service without endpoints: REJECT with icmp6-port-unreachable, from the filter rule kube-proxy wrote', () => {
    const r = run({ from: client, to: 'svc/default/empty', family: 'IPv6' });
    expect(r.verdict).toBe('unreachable');
    expect(r.hops.at(-1)!.action).toBe('reject');
    expect(r.hops.at(-1)!.rule).toBe(
      '-A KUBE-SERVICES -d fd00:10:96::a8e1/128 -p tcp -m comment --comment "default/empty has no endpoints" -m tcp --dport 82 -j REJECT --reject-with icmp6-port-unreachable',
    );
    expect(r.reason).toBe(
      "default/empty has no endpoints: no running pod matches the Service's selector, so kube-proxy rejects the connection (icmp6-port-unreachable)",
    );
  });
});

describe("external → a NodePort on a node's IPv6 address", () => {
  it('DNAT to an endpoint, masquerade to the node’s IPv6 address (Cluster policy), un-NAT on the way back', () => {
    const nodePort = svc('web').ports[0]!.nodePort!;
    const r = run({ from: 'external', to: `[fc00:f853:ccd:e793::3]:${nodePort}` });
    expect(r.hops.map((h) => `${h.node} ${h.device} ${h.action}`)).toEqual([
      'kind-worker eth0 receive',
      'kind-worker PREROUTING (nat) dnat',
      'kind-worker POSTROUTING (nat) → eth0 snat',
      'kind-worker eth0 route',
      'kind-worker2 eth0 receive',
      'kind-worker2 cni0 route',
      'kind-worker2 eth0 deliver',
    ]);
    expect(r.hops[0]!.src).toBe('[2001:db8::10]:40000');
    expect(r.hops[1]!.dstAfter).toBe('[fd00:10:244:2::2]:8080');
    expect(r.hops[2]!.srcAfter).toMatch(/^\[fc00:f853:ccd:e793::3\]:\d+$/);
    expect(r.reply!.hops.at(-1)!).toMatchObject({ action: 'route', dst: '[2001:db8::10]:40000' });
    expect(r.reply!.hops.find((h) => h.action === 'un-nat')!.srcAfter).toBe(`[fc00:f853:ccd:e793::3]:${nodePort}`);
  });
});

describe('nftables mode over IPv6', () => {
  it('`table ip6 kube-proxy` DNATs the IPv6 ClusterIP (its service-ips map and endpoint chain), conntrack un-DNATs the reply', () => {
    const nft = cluster('nftables');
    const r = trace(nft, { from: client, to: 'svc/default/web', family: 'IPv6' });
    if (!r.ok) throw new Error(r.message);
    const dnat = r.result.hops.find((h) => h.action === 'dnat')!;
    expect(`${dnat.dst} ⇒ ${dnat.dstAfter}`).toBe('[fd00:10:96::e4d4]:80 ⇒ [fd00:10:244:1::3]:8080');
    expect(dnat.rule!.split('\n')).toContain(
      'map service-ips: fd00:10:96::e4d4 . tcp . 80 : goto service-PFISGYVC-default/web/tcp/',
    );
    expect(dnat.explain).toContain(`DNAT to [fd00:10:244:1::3]:8080`);
    expect(dnat.explain).toMatch(/\(pod web-\S+ on kind-worker\)/);
    expect(r.result.reply!.hops.find((h) => h.action === 'un-nat')!.srcAfter).toBe('[fd00:10:96::e4d4]:80');
  });
});
