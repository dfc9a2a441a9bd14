// Traces over IPv6 in a kind dual-stack cluster (networking.ipFamily: dual, kind's default ranges): the same
// walker as IPv4 over the node's `ip -6 route`, the pod's IPv6 table and flannel's IPv6 devices.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane } from '../dataplane/dataplane';
import { trace, type TraceRequest } from './trace';
import type { Hop, TraceResult } from './types';

const dualCluster = (cni: string, more = '') => {
  const p = parseScenario(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: dual, cni: ${cni}}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web4}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
${more}`);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};

const hostGw = dualCluster('host-gw');
const vxlan = dualCluster('vxlan');
const webPods = (dp: typeof hostGw) => dp.cluster.pods.filter((p) => p.name.startsWith('web-'));

function run(dp: typeof hostGw, req: TraceRequest): TraceResult {
  const r = trace(dp, req);
  if (!r.ok) throw new Error(r.message);
  return r.result;
}
const line = (h: Hop) => `${h.node} | ${h.namespace} | ${h.device} | ${h.action} | ${h.src} → ${h.dst}`;

describe('pod → pod over IPv6', () => {
  const [a, b, c] = webPods(hostGw);
  it('the scenario spreads web over both workers, each pod with its IPv6 address second in podIPs', () => {
    expect([a, b, c].map((p) => `${p!.node} ${p!.ips!.join(' ')}`)).toEqual([
      'kind-worker 10.244.1.2 fd00:10:244:1::2',
      'kind-worker2 10.244.2.2 fd00:10:244:2::2',
      'kind-worker 10.244.1.3 fd00:10:244:1::3',
    ]);
  });

  it('same node: the pod route for its own /64 puts it on cni0, which switches it to the other veth', () => {
    const r = run(hostGw, { from: `pod/default/${a!.name}`, to: `pod/default/${c!.name}`, family: 'IPv6' });
    expect(r.verdict).toBe('delivered');
    expect(r.hops.map(line)).toEqual([
      `kind-worker | pod default/${a!.name} | eth0 | send | [fd00:10:244:1::2]:40000 → [fd00:10:244:1::3]:8080`,
      `kind-worker | host | veth${r.hops[1]!.device.slice(4, 12)} → cni0 | bridge | [fd00:10:244:1::2]:40000 → [fd00:10:244:1::3]:8080`,
      `kind-worker | pod default/${c!.name} | eth0 | deliver | [fd00:10:244:1::2]:40000 → [fd00:10:244:1::3]:8080`,
    ]);
    expect(r.hops[0]!.rule).toBe('fd00:10:244:1::/64 dev eth0 proto kernel metric 256 pref medium');
    expect(r.reason).toBe(`delivered to pod default/${c!.name} at [fd00:10:244:1::3]:8080`);
    expect(r.reply!.hops.map((h) => h.action)).toEqual(['send', 'bridge', 'deliver']);
  });

  it("host-gw: the pod's route to the IPv6 cluster CIDR, then the node's route via the other node's IPv6 address", () => {
    const r = run(hostGw, { from: `pod/default/${a!.name}`, to: `pod/default/${b!.name}`, family: 'IPv6' });
    expect(r.hops.map(line)).toEqual([
      `kind-worker | pod default/${a!.name} | eth0 | send | [fd00:10:244:1::2]:40000 → [fd00:10:244:2::2]:8080`,
      `kind-worker | host | ${r.hops[1]!.device} | bridge | [fd00:10:244:1::2]:40000 → [fd00:10:244:2::2]:8080`,
      'kind-worker | host | eth0 | route | [fd00:10:244:1::2]:40000 → [fd00:10:244:2::2]:8080',
      'kind-worker2 | host | eth0 | receive | [fd00:10:244:1::2]:40000 → [fd00:10:244:2::2]:8080',
      'kind-worker2 | host | cni0 | route | [fd00:10:244:1::2]:40000 → [fd00:10:244:2::2]:8080',
      `kind-worker2 | pod default/${b!.name} | eth0 | deliver | [fd00:10:244:1::2]:40000 → [fd00:10:244:2::2]:8080`,
    ]);
    expect(r.hops.map((h) => h.rule).filter(Boolean)).toEqual([
      'fd00:10:244::/56 via fd00:10:244:1::1 dev eth0 metric 1024 pref medium',
      'fd00:10:244:2::/64 via fc00:f853:ccd:e793::4 dev eth0 metric 1024 pref medium',
      'fd00:10:244:2::/64 dev cni0 proto kernel metric 256 pref medium',
    ]);
    expect(r.hops[0]!.explain).toContain('to its gateway fd00:10:244:1::1 (cni0 on kind-worker)');
    expect(r.hops[2]!.explain).toContain("kind-worker2's PodCIDR fd00:10:244:2::/64");
  });

  it('VXLAN: flannel-v6.1 wraps the packet in UDP 8472 between the nodes’ IPv6 addresses', () => {
    const [x, y] = webPods(vxlan);
    const r = run(vxlan, { from: `pod/default/${x!.name}`, to: `pod/default/${y!.name}`, family: 'IPv6' });
    expect(r.hops.map((h) => `${h.node} | ${h.device} | ${h.action}`)).toEqual([
      'kind-worker | eth0 | send',
      `kind-worker | ${r.hops[1]!.device} | bridge`,
      'kind-worker | flannel-v6.1 | encapsulate',
      'kind-worker2 | eth0 → flannel-v6.1 | decapsulate',
      'kind-worker2 | cni0 | route',
      'kind-worker2 | eth0 | deliver',
    ]);
    expect(r.hops[2]!.rule).toBe(
      'fd00:10:244:2::/64 via fd00:10:244:2:: dev flannel-v6.1 metric 1024 onlink pref medium',
    );
    expect(r.hops[2]!.outer).toEqual({
      src: 'fc00:f853:ccd:e793::3',
      dst: 'fc00:f853:ccd:e793::4',
      proto: 'UDP 8472 (VXLAN, VNI 1)',
    });
  });

  it('an IPv6 literal in --to picks IPv6 without asking, written uncompressed or in brackets with a port', () => {
    const r = run(hostGw, { from: `pod/default/${a!.name}`, to: '[fd00:10:244:2:0:0:0:2]:8080' });
    expect(r.hops.at(-1)!.dst).toBe('[fd00:10:244:2::2]:8080');
    expect(r.verdict).toBe('delivered');
  });

  it('a port nothing listens on is refused: UDP gets ICMPv6 port unreachable', () => {
    const r = run(hostGw, {
      from: `pod/default/${a!.name}`,
      to: `pod/default/${b!.name}`,
      port: 9,
      protocol: 'UDP',
      family: 'IPv6',
    });
    expect(r.verdict).toBe('unreachable');
    expect(r.hops.at(-1)!.action).toBe('refuse');
    expect(r.hops.at(-1)!.explain).toContain('the kernel answers with ICMPv6 port unreachable');
  });
});

describe('node → pod over IPv6', () => {
  it("the node's own packet leaves from its eth0 IPv6 address, flannel's IPv6 masquerade rule gives it a new port, the reply comes back to it", () => {
    const [a] = webPods(hostGw);
    const req = { from: 'node/kind-control-plane', to: `pod/default/${a!.name}` };
    const r = run(hostGw, { ...req, family: 'IPv6' });
    const port = /\]:(\d+)$/.exec(r.hops[1]!.srcAfter)![1];
    expect(r.hops.map(line)).toEqual([
      'kind-control-plane | host | OUTPUT | send | [fc00:f853:ccd:e793::2]:40000 → [fd00:10:244:1::2]:8080',
      'kind-control-plane | host | POSTROUTING (nat) → eth0 | snat | [fc00:f853:ccd:e793::2]:40000 → [fd00:10:244:1::2]:8080',
      `kind-control-plane | host | eth0 | route | [fc00:f853:ccd:e793::2]:${port} → [fd00:10:244:1::2]:8080`,
      `kind-worker | host | eth0 | receive | [fc00:f853:ccd:e793::2]:${port} → [fd00:10:244:1::2]:8080`,
      `kind-worker | host | cni0 | route | [fc00:f853:ccd:e793::2]:${port} → [fd00:10:244:1::2]:8080`,
      `kind-worker | pod default/${a!.name} | eth0 | deliver | [fc00:f853:ccd:e793::2]:${port} → [fd00:10:244:1::2]:8080`,
    ]);
    // The rule that decided is flannel's IPv6 masquerade rule, as iptables --node prints it in its IPv6 section.
    expect(r.hops[1]!.rule).toBe(
      '-A FLANNEL-POSTRTG ! -s fd00:10:244::/56 -d fd00:10:244::/56 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    );
    expect(r.reply!.hops.map((h) => `${h.node} ${h.device} ${h.action}`)).toEqual([
      'kind-worker eth0 send',
      `kind-worker ${r.reply!.hops[1]!.device} bridge`,
      'kind-worker eth0 route',
      'kind-control-plane eth0 receive',
      'kind-control-plane conntrack un-nat',
      'kind-control-plane eth0 deliver',
    ]);
    expect(r.reply!.hops[2]!.rule).toBe('fc00:f853:ccd:e793::/64 dev eth0 proto kernel metric 256 pref medium');
    expect(r.reply!.hops.at(-1)!.dst).toBe('[fc00:f853:ccd:e793::2]:40000');
    // The IPv4 trace of the same question takes the same steps.
    const four = run(hostGw, { ...req, family: 'IPv4' });
    expect(four.hops.map((h) => h.action)).toEqual(r.hops.map((h) => h.action));
  });
});

describe('pod → Service by name over IPv6', () => {
  it('a SingleStack IPv4 Service has no AAAA record: the A-record query is traced, and the reason says why', () => {
    const [a] = webPods(hostGw);
    const r = run(hostGw, { from: `pod/default/${a!.name}`, to: 'web4', family: 'IPv6' });
    expect(r.verdict).toBe('unreachable');
    expect(r.reason).toBe(
      'DNS: web4.default.svc.cluster.local has no AAAA record: Service default/web4 is SingleStack with ipFamilies [IPv4]: it has no IPv6 ClusterIP, so CoreDNS answers the AAAA query with no address',
    );
    // The query itself goes to kube-dns's IPv4 ClusterIP, the nameserver in the pod's resolv.conf.
    expect(r.dns!.query.hops[0]!.dst).toBe('10.96.0.10:53');
    expect(r.dns!.answer).toEqual([]);
  });
});

describe('requests over IPv6 that cannot be traced say why', () => {
  const [a] = webPods(hostGw);
  it('a single-stack cluster', () => {
    const p = parseScenario('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
    if (!p.ok) throw new Error('bad');
    const r = trace(buildDataplane(realize(p.scenario)), {
      from: 'node/kind-control-plane',
      to: 'external',
      family: 'IPv6',
    });
    expect(r).toEqual({
      ok: false,
      message: 'IPv6: this cluster is single-stack (IPv4); set networking.ipFamily: dual to trace over IPv6',
    });
  });
  it('an IPv4 literal in a -6 trace', () => {
    const r = trace(hostGw, { from: `pod/default/${a!.name}`, to: '10.244.2.2', family: 'IPv6' });
    expect(r.ok ? '' : r.message).toBe(
      '--to: "10.244.2.2" is an IPv4 address, but the trace is over IPv6 (-6); a packet keeps one family end to end',
    );
  });
});

describe('property: an IPv6 trace between two pods of a dual-stack cluster mirrors the IPv4 trace', () => {
  it('the same hops in the same places with the same actions (flannel-v6.1 where IPv4 has flannel.1)', () => {
    const clusters = [hostGw, vxlan];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom<'TCP' | 'UDP'>('TCP', 'UDP'),
        fc.constantFrom(8080, 9),
        (ci, i, j, protocol, port) => {
          const dp = clusters[ci]!;
          const pods = dp.cluster.pods.filter((p) => p.ip !== null && !p.hostNetwork);
          const from = pods[i % pods.length]!;
          const to = pods[j % pods.length]!;
          const req = {
            from: `pod/${from.namespace}/${from.name}`,
            to: `pod/${to.namespace}/${to.name}`,
            port,
            protocol,
          };
          const four = run(dp, { ...req, family: 'IPv4' });
          const six = run(dp, { ...req, family: 'IPv6' });
          const shape = (r: TraceResult) => [
            r.verdict,
            ...r.hops.map(
              (h) => `${h.node} ${h.namespace} ${h.device.replace('flannel-v6.1', 'flannel.1')} ${h.action}`,
            ),
            ...(r.reply?.hops ?? []).map(
              (h) => `reply ${h.node} ${h.device.replace('flannel-v6.1', 'flannel.1')} ${h.action}`,
            ),
          ];
          expect(shape(six)).toEqual(shape(four));
          // ...and every address in the IPv6 trace is IPv6.
          for (const h of [...six.hops, ...(six.reply?.hops ?? [])])
            expect(`${h.src} ${h.dst}`).toMatch(/^\[.*\]:\d+ \[.*\]:\d+$/);
        },
      ),
      { numRuns: 60 },
    );
  });
});
