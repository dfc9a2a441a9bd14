// Each expected value names its upstream source: kube-proxy v1.31 pkg/proxy/iptables/proxier.go
// (syncProxyRules) or the Linux kernel's behaviour, checked in a network namespace where noted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { fnv32a } from '../api/names';
import { trace } from './trace';

const base = readFileSync(join(__dirname, '../../public/scenarios/nodeport.yaml'), 'utf8');
const itp = `${base}---
apiVersion: v1
kind: Service
metadata: {name: frontend-itp}
spec:
  internalTrafficPolicy: Local
  selector: {app: frontend}
  ports: [{name: http, port: 80, targetPort: http}]
`;
const dpOf = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};
const dp = dpOf(itp);
const svc = dp.cluster.services.find((s) => s.name === 'frontend-itp')!;
const withPod = new Set(svc.endpoints.map((e) => e.node));
const bare = dp.cluster.nodes.find((n) => !withPod.has(n.name) && n.pods.some((p) => !p.hostNetwork && p.ip))!;
const busy = dp.cluster.nodes.find((n) => withPod.has(n.name))!;
const podOn = (node: string) => bare.pods.find((p) => p.node === node && !p.hostNetwork && p.ip)!;
const ok = (r: ReturnType<typeof trace>) => {
  if (!r.ok) throw new Error(r.message);
  return r.result;
};

describe('internalTrafficPolicy Local (proxier.go: internalTrafficChain is the KUBE-SVL chain)', () => {
  it('no local endpoint: filter KUBE-SERVICES has `-j DROP` "has no local endpoints", and the trace drops in FORWARD', () => {
    const filter = dp.node(bare.name)!.filter.rules('KUBE-SERVICES');
    const line = filter.find((l) => l.includes('default/frontend-itp:http'))!;
    // proxier.go: internalTrafficFilterTarget = "DROP", comment "%s has no local endpoints"; REJECT only when !hasEndpoints.
    expect(line).toMatch(/--comment "default\/frontend-itp:http has no local endpoints" .* -j DROP$/);
    const pod = podOn(bare.name);
    const r = ok(trace(dp, { from: `pod/${pod.namespace}/${pod.name}`, to: 'svc/default/frontend-itp' }));
    expect(r.verdict).toBe('dropped');
    const drop = r.hops.at(-1)!;
    expect([drop.action, drop.device, drop.rule]).toEqual(['drop', 'FORWARD', line]);
  });

  it('with local endpoints: the `! -s <clusterCIDR> ... -j KUBE-MARK-MASQ` rule opens KUBE-SVL, and masquerades the node itself', () => {
    const rule = dp.services.rules.find((x) => x.service.name === 'frontend-itp')!;
    const svl = dp.node(busy.name)!.nat.rules(rule.svlChain!);
    expect(svl[0]).toBe(
      `-A ${rule.svlChain} ! -s ${dp.cluster.cluster.podCIDR} -d ${svc.clusterIP}/32 -p tcp -m comment --comment "default/frontend-itp:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
    );
    expect(dp.node(busy.name)!.nat.rules(rule.svcChain)).toEqual([]);
    const r = ok(trace(dp, { from: `node/${busy.name}`, to: 'svc/default/frontend-itp' }));
    const dnat = r.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.rule!.split('\n')).toContain(svl[0]);
    expect(r.hops.some((h) => h.action === 'snat' && h.rule!.includes('KUBE-POSTROUTING'))).toBe(true);
  });
});

describe('KUBE-SVL chains (kube-proxy v1.33 proxier.go syncProxyRules)', () => {
  it('a node without a local endpoint declares no KUBE-SVL chain; one with a local endpoint declares and fills it', () => {
    // proxier.go: `usesLocalPolicyChain := len(localEndpoints) > 0 && svcInfo.UsesLocalEndpoints()`, and
    // `if usesLocalPolicyChain { natChains.Write(utiliptables.MakeChainLine(localPolicyChain)) ... }`.
    const rule = dp.services.rules.find((x) => x.service.name === 'frontend-itp')!;
    const declared = (node: string) => dp.node(node)!.nat.lines().includes(`:${rule.svlChain} - [0:0]`);
    expect(declared(bare.name)).toBe(false);
    expect(declared(busy.name)).toBe(true);
    expect(dp.node(busy.name)!.nat.rules(rule.svlChain!).length).toBeGreaterThan(1);
  });
});

describe('local addresses: the local routing table comes before main', () => {
  it('node -> 127.0.0.1:<NodePort> is DNATed (route_localnet; KUBE-NODEPORTS matches --dst-type LOCAL) and never leaves through the gateway', () => {
    const np = dp.cluster.services.find((s) => s.name === 'frontend')!.ports[0]!.nodePort!;
    const r = ok(trace(dp, { from: `node/${bare.name}`, to: `127.0.0.1:${np}` }));
    expect(r.hops[0]!.src).toBe(`127.0.0.1:40000`);
    const dnat = r.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.device).toBe('OUTPUT (nat)');
    expect(r.verdict).toBe('delivered');
    expect(r.reason).not.toMatch(/gateway/);
    // KUBE-EXT marks it; KUBE-POSTROUTING masquerades it to the outgoing device's address.
    expect(r.hops.find((h) => h.action === 'snat')!.srcAfter.split(':')[0]).not.toBe('127.0.0.1');
  });

  it("node -> 127.0.0.1 on another port is delivered to the node's own stack on lo", () => {
    const r = ok(trace(dp, { from: `node/${bare.name}`, to: '127.0.0.1:8080' }));
    expect(r.verdict).toBe('delivered');
    expect(r.hops.at(-1)).toMatchObject({ action: 'deliver', device: 'lo', node: bare.name });
  });

  it("a pod -> its node's cni0 address is delivered to the node (a local address), not lost on the bridge", () => {
    const pod = podOn(bare.name);
    const r = ok(trace(dp, { from: `pod/${pod.namespace}/${pod.name}`, to: `${bare.gateway}:10250` }));
    expect(r.verdict).toBe('delivered');
    expect(r.hops.at(-1)).toMatchObject({ action: 'deliver', device: 'cni0', node: bare.name });
  });
});

describe("a node's flannel.1 address (vxlan.yaml: flannel.1 holds the PodCIDR's network address, /32)", () => {
  const vx = dpOf(readFileSync(join(__dirname, '../../public/scenarios/vxlan.yaml'), 'utf8'));
  const [a, b] = vx.cluster.nodes.filter((n) => n.pods.some((p) => p.ip && !p.hostNetwork));
  const pod = a!.pods.find((p) => p.ip && !p.hostNetwork)!;
  const flannel1 = (n: typeof a) => n!.podCIDR!.split('/')[0]!;
  it("another node's: the route via that VTEP encapsulates to it, and its local table delivers it there", () => {
    const r = ok(trace(vx, { from: `pod/${pod.namespace}/${pod.name}`, to: `${flannel1(b)}:8080` }));
    expect(r.hops.find((h) => h.action === 'encapsulate')!.outer!.dst).toBe(b!.ip);
    expect(r.hops.at(-1)).toMatchObject({ action: 'deliver', device: 'flannel.1', node: b!.name });
    expect(r.verdict).toBe('delivered');
  });
  it("its own node's: a local address, delivered to the node on flannel.1", () => {
    const r = ok(trace(vx, { from: `pod/${pod.namespace}/${pod.name}`, to: `${flannel1(a)}:8080` }));
    expect(r.hops.at(-1)).toMatchObject({ action: 'deliver', device: 'flannel.1', node: a!.name });
  });
});

describe('MASQUERADE --random-fully (nf_nat: NF_NAT_RANGE_PROTO_RANDOM_FULLY remaps the port)', () => {
  it('a pod -> outside the cluster gets a new source port, shown in the hop and the conntrack reply tuple', () => {
    const pod = podOn(bare.name);
    const r = ok(trace(dp, { from: `pod/${pod.namespace}/${pod.name}`, to: '203.0.113.10:80' }));
    const snat = r.hops.find((h) => h.action === 'snat')!;
    const port = Number(snat.srcAfter.split(':')[1]);
    expect(port).not.toBe(40000);
    expect(port).toBeGreaterThanOrEqual(1024);
    expect(snat.explain).toContain('illustrative');
    expect(r.conntrack[0]).toContain(`dport=${port} `);
    // Deterministic: the same question gives the same port.
    const again = ok(trace(dp, { from: `pod/${pod.namespace}/${pod.name}`, to: '203.0.113.10:80' }));
    expect(again.hops.find((h) => h.action === 'snat')!.srcAfter).toBe(snat.srcAfter);
  });
});

describe("the sender's own stack (checked with the kernel in a network namespace)", () => {
  it('0.0.0.0 means this host: from a node it reaches its own stack on lo, and 0.0.0.0:<NodePort> is DNATed like 127.0.0.1', () => {
    const local = ok(trace(dp, { from: `node/${bare.name}`, to: '0.0.0.0:8080' }));
    expect(local.hops[0]).toMatchObject({ device: 'lo', dstAfter: '127.0.0.1:8080' });
    expect(local.hops.at(-1)).toMatchObject({ action: 'deliver', device: 'lo' });
    const np = dp.cluster.services.find((s) => s.name === 'frontend')!.ports[0]!.nodePort!;
    const viaNodePort = ok(trace(dp, { from: `node/${bare.name}`, to: `0.0.0.0:${np}` }));
    expect(viaNodePort.hops.some((h) => h.action === 'dnat')).toBe(true);
  });

  it('255.255.255.255: TCP connect() fails with ENETUNREACH, UDP sendto() with EACCES', () => {
    const pod = podOn(bare.name);
    const tcp = ok(trace(dp, { from: `pod/${pod.namespace}/${pod.name}`, to: '255.255.255.255:80' }));
    expect([tcp.verdict, tcp.hops.length]).toEqual(['unreachable', 1]);
    expect(tcp.reason).toContain('ENETUNREACH');
    const udp = ok(trace(dp, { from: `node/${bare.name}`, to: '255.255.255.255:53', protocol: 'UDP' }));
    expect(udp.reason).toContain('EACCES');
  });

  it("a pod's 127.0.0.1 is its own loopback: delivered inside the pod", () => {
    const pod = podOn(bare.name);
    const port = pod.ports[0]?.containerPort ?? 8080;
    const r = ok(trace(dp, { from: `pod/${pod.namespace}/${pod.name}`, to: `127.0.0.1:${port}` }));
    expect(r.hops).toHaveLength(1);
    expect(r.hops[0]).toMatchObject({ action: 'deliver', device: 'lo', namespace: `pod ${pod.namespace}/${pod.name}` });
    const self = ok(trace(dp, { from: `pod/${pod.namespace}/${pod.name}`, to: `${pod.ip}:9999` }));
    expect([self.verdict, self.hops.length, self.hops[0]!.action]).toEqual(['unreachable', 1, 'refuse']);
  });
});

describe('-m statistic --mode random: one documented deterministic draw per flow', () => {
  it("the ladder sends flow F to endpoint fnv32a(F) mod n, kube-proxy's endpoint order (the choice traces have always made)", () => {
    const web = dp.cluster.services.find((s) => s.name === 'frontend')!;
    const rule = dp.services.rules.find((r) => r.service === web)!;
    expect(rule.endpoints.length).toBeGreaterThan(1);
    const pods = dp.cluster.pods.filter((p) => p.ip && !p.hostNetwork).slice(0, 6);
    const picked = new Set<string>();
    for (const pod of pods) {
      const r = ok(trace(dp, { from: `pod/${pod.namespace}/${pod.name}`, to: 'svc/default/frontend' }));
      const want = rule.endpoints[fnv32a(`${pod.ip}:40000>${web.clusterIP}:80`) % rule.endpoints.length]!.address;
      expect(r.hops.find((h) => h.action === 'dnat')!.dstAfter).toBe(want);
      picked.add(want);
    }
    expect(picked.size).toBeGreaterThan(1);
  });
});
