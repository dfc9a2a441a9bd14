import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';

const dpOf = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};
const scenario = (f: string) => readFileSync(join(__dirname, '../../public/scenarios', f), 'utf8');
const dp = dpOf(DEFAULT_SCENARIO_YAML);
const podOn = (node: string, prefix = 'web-') =>
  dp.cluster.pods.find((p) => p.node === node && p.name.startsWith(prefix))!;
const run = (from: string, to: string, extra: { port?: number; protocol?: 'TCP' | 'UDP' } = {}) => {
  const r = trace(dp, { from, to, ...extra });
  if (!r.ok) throw new Error(r.message);
  return r.result;
};

describe("trace on the talk's cluster", () => {
  const a = podOn('node-a');
  const b = podOn('node-b');

  it('pod on node A -> pod on node B: the route via 10.10.1.1, no NAT anywhere', () => {
    const r = run(`pod/default/${a.name}`, `pod/default/${b.name}`, { port: 8080 });
    expect(r.verdict).toBe('delivered');
    expect(r.hops.map((h) => h.rule).filter(Boolean)).toContain('10.32.1.0/24 via 10.10.1.1 dev eth0');
    for (const h of r.hops) {
      expect(h.src).toBe(`${a.ip}:40000`);
      expect(h.srcAfter).toBe(h.src);
      expect(h.dstAfter).toBe(h.dst);
    }
    expect(r.hops.at(-1)).toMatchObject({ node: 'node-b', namespace: `pod default/${b.name}`, action: 'deliver' });
  });

  it('pod -> Service by DNS name: the DNS hop, DNAT, delivery, and the reply un-DNATed', () => {
    const r = run(`pod/default/${a.name}`, 'web.default.svc.cluster.local');
    const web = dp.cluster.services.find((s) => s.name === 'web')!;
    expect(r.dns).toMatchObject({ name: 'web.default.svc.cluster.local', answer: [web.clusterIP] });
    expect(r.dns!.query.hops.find((h) => h.action === 'dnat')?.dst).toBe('10.96.0.10:53');
    expect(r.dns!.query.verdict).toBe('delivered');
    const dnat = r.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.dst).toBe(`${web.clusterIP}:80`);
    expect(dnat.dstAfter).toMatch(/^10\.32\.[01]\.\d+:8080$/);
    expect(dnat.rule).toMatch(/-j DNAT --to-destination 10\.32\.[01]\.\d+:8080$/);
    expect(r.verdict).toBe('delivered');
    const unnat = r.reply!.hops.find((h) => h.action === 'un-nat')!;
    expect(unnat.srcAfter).toBe(`${web.clusterIP}:80`);
    expect(r.reply!.hops.at(-1)!.src).toBe(`${web.clusterIP}:80`);
    expect(r.conntrack[0]).toMatch(
      new RegExp(`^tcp +6 431999 ESTABLISHED src=${a.ip} dst=${web.clusterIP} sport=40000 dport=80 src=10\\.32\\.`),
    );
  });

  it('a pod reaching itself through its Service is masqueraded (hairpin)', () => {
    // A flow whose DNAT picks the sending pod itself: kube-proxy's KUBE-SEP "-s <pod IP> -j KUBE-MARK-MASQ"
    // rule marks it and the reply would otherwise bypass the bridge, so the source becomes cni0's address.
    const webPods = dp.cluster.pods.filter((p) => p.name.startsWith('web-'));
    expect(webPods.length).toBe(4);
    const hairpins = webPods
      .map((p) => ({ pod: p, r: run(`pod/default/${p.name}`, 'svc/default/web') }))
      .filter(({ pod, r }) => r.hops.some((h) => h.action === 'dnat' && h.dstAfter.split(':')[0] === pod.ip));
    // The default cluster has such flows; without one this test would prove nothing.
    expect(hairpins.length).toBeGreaterThan(0);
    for (const { pod, r } of hairpins) {
      const gateway = dp.cluster.nodes.find((n) => n.name === pod.node)!.gateway;
      const snat = r.hops.find((h) => h.action === 'snat');
      expect(snat, `hairpin flow from ${pod.name} is masqueraded`).toBeDefined();
      expect(snat!.srcAfter.split(':')[0]).toBe(gateway);
    }
  });

  it("node -> pod keeps the node's address (no NAT), from cni0's address to a local pod", () => {
    const remote = run('node/node-a', `pod/default/${b.name}`, { port: 8080 });
    expect(remote.hops[0]!.src).toBe('10.10.0.1:40000');
    expect(remote.hops.every((h) => h.src === h.srcAfter && h.dst === h.dstAfter)).toBe(true);
    const local = run('node/node-a', `pod/default/${a.name}`, { port: 8080 });
    expect(local.hops[0]!.src).toBe('10.32.0.1:40000');
  });

  it('failures are verdicts with a reason: refused port, no endpoints, unreachable from outside', () => {
    expect(run(`pod/default/${a.name}`, `pod/default/${b.name}`, { port: 9999 })).toMatchObject({
      verdict: 'unreachable',
      reason: expect.stringContaining('does not listen'),
    });
    expect(run('external', `${b.ip}:8080`)).toMatchObject({ verdict: 'unreachable' });
    expect(run(`pod/default/${a.name}`, '10.96.0.10:9999')).toMatchObject({
      verdict: 'unreachable',
      reason: expect.stringContaining('has no port 9999/TCP'),
    });
    const bad = trace(dp, { from: 'pod/default/nope', to: 'svc/default/web' });
    expect(bad.ok).toBe(false);
    const none = dpOf(
      `${DEFAULT_SCENARIO_YAML}---\napiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec: {selector: {app: nothing}, ports: [{port: 80}]}\n`,
    );
    const r = trace(none, { from: `pod/default/${a.name}`, to: 'svc/default/empty' });
    expect(r.ok && r.result).toMatchObject({
      verdict: 'unreachable',
      reason: expect.stringContaining('has no endpoints'),
    });
    expect(r.ok && r.result.hops.at(-1)!.rule).toContain('-j REJECT --reject-with icmp-port-unreachable');
  });

  it('pod -> outside the cluster is masqueraded to the node address', () => {
    const r = run(`pod/default/${b.name}`, '1.1.1.1:443');
    expect(r.verdict).toBe('delivered');
    expect(r.hops.find((h) => h.action === 'snat')!.srcAfter).toBe('10.10.1.1:40000');
  });
});

describe('trace on other scenarios', () => {
  it('VXLAN: encapsulation with the outer node addresses, inner addresses unchanged', () => {
    const vx = dpOf(scenario('vxlan.yaml'));
    const [p1, p2] = [
      vx.cluster.pods.find((p) => p.node === 'overlay-worker' && p.name.startsWith('shop'))!,
      vx.cluster.pods.find((p) => p.node === 'overlay-worker2' && p.name.startsWith('shop'))!,
    ];
    const r = trace(vx, { from: `pod/default/${p1.name}`, to: `pod/default/${p2.name}`, port: 80 });
    if (!r.ok) throw new Error(r.message);
    const enc = r.result.hops.find((h) => h.action === 'encapsulate')!;
    const n1 = vx.cluster.nodes.find((n) => n.name === 'overlay-worker')!;
    const n2 = vx.cluster.nodes.find((n) => n.name === 'overlay-worker2')!;
    expect(enc.outer).toEqual({ src: n1.ip, dst: n2.ip, proto: 'UDP 8472 (VXLAN, VNI 1)' });
    expect(enc.rule).toBe(`${n2.podCIDR} via ${n2.podCIDR!.split('/')[0]} dev flannel.1 onlink`);
    expect(r.result.hops.find((h) => h.action === 'decapsulate')?.node).toBe('overlay-worker2');
    expect(r.result.verdict).toBe('delivered');
  });

  it('NodePort from outside: Cluster policy SNATs to the node; Local keeps the source or drops', () => {
    const np = dpOf(scenario('nodeport.yaml'));
    const svc = (n: string) => np.cluster.services.find((s) => s.name === n)!;
    const withPod = new Set(svc('frontend').endpoints.map((e) => e.node));
    const empty = np.cluster.nodes.find((n) => !withPod.has(n.name))!;
    const cluster = trace(np, { from: 'external', to: `${empty.ip}:30080` });
    if (!cluster.ok) throw new Error(cluster.message);
    expect(cluster.result.verdict).toBe('delivered');
    expect(cluster.result.hops.find((h) => h.action === 'snat')!.srcAfter).toBe(`${empty.ip}:40000`);
    const localPort = svc('frontend-local').ports[0]!.nodePort!;
    const dropped = trace(np, { from: 'external', to: `${empty.ip}:${localPort}` });
    expect(dropped.ok && dropped.result).toMatchObject({
      verdict: 'dropped',
      reason: expect.stringContaining('no local endpoints'),
    });
    const host = np.cluster.nodes.find((n) => withPod.has(n.name))!;
    const kept = trace(np, { from: 'external', to: `${host.ip}:${localPort}` });
    if (!kept.ok) throw new Error(kept.message);
    expect(kept.result.verdict).toBe('delivered');
    expect(kept.result.hops.at(-1)!.src).toBe('203.0.113.10:40000');
  });
});

describe('trace properties', () => {
  const refs = [
    ...dp.cluster.pods.filter((p) => p.ip).map((p) => `pod/${p.namespace}/${p.name}`),
    ...dp.cluster.nodes.map((n) => `node/${n.name}`),
    'external',
  ];
  const targets = [
    ...refs,
    ...dp.cluster.services.map((s) => `svc/${s.namespace}/${s.name}`),
    'web.default.svc.cluster.local',
    '10.99.99.99:80',
    '8.8.8.8:53',
  ];

  it('every trace ends in a verdict, within the hop limit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...refs),
        fc.constantFrom(...targets),
        fc.integer({ min: 1, max: 65535 }),
        (from, to, port) => {
          const r = trace(dp, { from, to, port });
          if (!r.ok) return;
          expect(['delivered', 'dropped', 'unreachable']).toContain(r.result.verdict);
          expect(r.result.hops.length).toBeLessThanOrEqual(45);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pod -> pod never changes source or destination', () => {
    const pods = refs.filter((r) => r.startsWith('pod/'));
    fc.assert(
      fc.property(fc.constantFrom(...pods), fc.constantFrom(...pods), (from, to) => {
        const r = trace(dp, { from, to });
        if (!r.ok) return;
        for (const h of r.result.hops) expect([h.srcAfter, h.dstAfter]).toEqual([h.src, h.dst]);
      }),
    );
  });

  it("every delivered Service trace's reply comes from the address the client sent to", () => {
    fc.assert(
      fc.property(fc.constantFrom(...refs.filter((r) => r.startsWith('pod/'))), (from) => {
        const r = trace(dp, { from, to: 'svc/default/web' });
        if (!r.ok || r.result.verdict !== 'delivered') return;
        const web = dp.cluster.services.find((s) => s.name === 'web')!;
        expect(r.result.reply!.hops.at(-1)!.src).toBe(`${web.clusterIP}:80`);
      }),
    );
  });
});

describe('finding things by name or address', () => {
  it('finds nodes, pods, Services, cni0 and free addresses; names what it cannot find', async () => {
    const { findObject } = await import('./refs');
    const { DEFAULT_SCENARIO_YAML } = await import('../scenario/defaultScenario');
    const { parseScenario } = await import('../scenario/parse');
    const { realize } = await import('../cluster/realize');
    const p = parseScenario(DEFAULT_SCENARIO_YAML);
    if (!p.ok) throw new Error('must parse');
    const c = realize(p.scenario);
    const web = c.pods.find((x) => x.ip === '10.32.1.2')!;
    expect(findObject(c, 'node-b')).toMatchObject({ ok: true, ref: 'node/node-b' });
    expect(findObject(c, '10.32.1.2')).toMatchObject({ ok: true, ref: `pod/default/${web.name}` });
    expect(findObject(c, web.name)).toMatchObject({ ok: true, ref: `pod/default/${web.name}` });
    expect(findObject(c, '10.96.0.10')).toMatchObject({ ok: true, ref: 'svc/kube-system/kube-dns' });
    expect(findObject(c, 'web.default.svc.cluster.local')).toMatchObject({ ok: true, ref: 'svc/default/web' });
    expect(findObject(c, '10.32.1.1')).toMatchObject({
      ok: true,
      ref: 'node/node-b',
      what: '10.32.1.1 is cni0 on node node-b',
    });
    expect(findObject(c, '10.32.1.77')).toMatchObject({ ok: true, ref: 'node/node-b' });
    expect(findObject(c, 'nope')).toEqual({
      ok: false,
      message: 'nothing in the cluster is called or has the address "nope"',
    });
  });
});

describe('a Pending pod', () => {
  it('is a verdict with the reason, not an error', async () => {
    const { parseScenario } = await import('../scenario/parse');
    const { realize } = await import('../cluster/realize');
    const { buildDataplane } = await import('../dataplane/dataplane');
    const p = parseScenario(
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: pend\nnodes:\n- {role: control-plane, taints: [], maxPods: 3}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n',
    );
    if (!p.ok) throw new Error(p.errors[0]!.message);
    const d = buildDataplane(realize(p.scenario));
    const pending = d.cluster.pods.find((x) => x.phase === 'Pending')!;
    const r = trace(d, { from: 'node/pend-control-plane', to: `pod/default/${pending.name}` });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.result.verdict).toBe('unreachable');
      expect(r.result.reason).toMatch(
        /is Pending and has no IP yet \(FailedScheduling: 0\/1 nodes are available: 1 Too many pods\.\)/,
      );
    }
  });
});

describe('bad requests', () => {
  it('a port outside 1-65535 is a message, not a trace', () => {
    for (const port of [0, 70000, 1.5, -1]) {
      const r = trace(dp, { from: 'external', to: 'svc/default/web', port });
      expect(r).toEqual({ ok: false, message: `--port: "${port}" must be a whole number from 1 to 65535` });
    }
  });
});

describe('DNS needs kube-dns at the address resolv.conf names', () => {
  it('a Service range too small for kube-dns: the lookup is not answered, and the trace says why', () => {
    // A /30 holds no tenth address: kube-dns gets no ClusterIP, but kubelet still points pods at 10.96.0.10.
    const small = dpOf(DEFAULT_SCENARIO_YAML.replace(/serviceSubnet: \S+/, 'serviceSubnet: 10.96.0.0/30'));
    const web = small.cluster.pods.find((p) => p.name.startsWith('web-'))!;
    const r = trace(small, { from: `pod/default/${web.name}`, to: 'web.default.svc.cluster.local' });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.verdict).toBe('unreachable');
    expect(r.result.reason).toContain('DNS lookup failed: the pod asks 10.96.0.10');
    expect(r.result.dns?.answer).toEqual([]);
  });
});

describe('names a pod resolves through its search path', () => {
  it('from a pod, "web" is web.<its namespace>.svc.cluster.local, as resolv.conf searches it', () => {
    const web = dp.cluster.pods.find((p) => p.name.startsWith('web-'))!;
    const r = trace(dp, { from: `pod/default/${web.name}`, to: 'web' });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.dns?.name).toBe('web.default.svc.cluster.local');
    expect(r.result.verdict).toBe('delivered');
    // A node's resolv.conf has no cluster search path.
    expect(trace(dp, { from: 'node/node-a', to: 'web' }).ok).toBe(false);
  });
});
