import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseDocuments, parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane, renderRouteTable } from './dataplane';
import { sepChain, svcChain } from './kubeProxyChains';
import { statisticProbability } from './serviceRules';
import { renderRoute } from './routes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const fromText = (t: string) => {
  const p = parseScenario(t);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
};
const dp = buildDataplane(fromText(DEFAULT_SCENARIO_YAML));

describe('kube-proxy chain names (pkg/proxy/iptables/proxier.go: base32(sha256(...))[:16])', () => {
  it("reproduces the kube-dns and kubernetes chains seen in every real cluster's iptables-save", () => {
    // These four names appear verbatim in countless public `iptables-save` dumps
    // of kubeadm and kind clusters; they depend only on the Service port name and protocol.
    expect(svcChain('kube-system/kube-dns:dns', 'UDP')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU');
    expect(svcChain('kube-system/kube-dns:dns-tcp', 'TCP')).toBe('KUBE-SVC-ERIFXISQEP7F7OF4');
    expect(svcChain('kube-system/kube-dns:metrics', 'TCP')).toBe('KUBE-SVC-JD5MR3NA4I4DYORP');
    expect(svcChain('default/kubernetes:https', 'TCP')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(sepChain('default/kubernetes:https', 'TCP', '10.10.0.1:6443')).toMatch(/^KUBE-SEP-[A-Z2-7]{16}$/);
  });

  it('the statistic ladder is 1/n, 1/(n-1), ... as iptables-save prints it, the last jump unconditional', () => {
    expect([4, 3, 2].map(statisticProbability)).toEqual(['0.25000000000', '0.33333333349', '0.50000000000']);
    expect(statisticProbability(6)).toBe('0.16666666651');
    const web = dp.node('node-a')!.nat.rules('KUBE-SVC-' + svcChain('default/web:http', 'TCP').slice(9));
    expect(web.map((r) => r.match(/--probability (\S+)/)?.[1] ?? null)).toEqual([
      null,
      '0.25000000000',
      '0.33333333349',
      '0.50000000000',
      null,
    ]);
  });
});

describe('nat table of node-a (default scenario), line for line', () => {
  const nat = dp.node('node-a')!.nat.render();
  it("has kube-proxy's jumps and marks", () => {
    expect(nat).toContain('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(nat).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
    expect(nat).toContain(
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    );
    expect(nat).toContain(
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
    );
    expect(nat).toContain(
      '-A KUBE-SVC-TCOU7JCQXEZGVUNU ! -s 10.32.0.0/14 -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ',
    );
    expect(nat).toMatch(
      /-A KUBE-SEP-\w+ -p udp -m comment --comment "kube-system\/kube-dns:dns" -m udp -j DNAT --to-destination 10\.32\.0\.2:53/,
    );
    expect(
      nat
        .split('\n')
        .filter((l) => l.startsWith('-A KUBE-SERVICES'))
        .at(-1),
    ).toBe(
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    );
    expect(nat.startsWith('*nat\n:PREROUTING ACCEPT [0:0]\n')).toBe(true);
    expect(nat.endsWith('\nCOMMIT')).toBe(true);
  });
});

describe('routes, as `ip route` prints them (checked against a real kernel)', () => {
  it("node-a: the talk's host-gw route to node B", () => {
    expect(renderRouteTable(dp.node('node-a')!.routes)).toBe(
      [
        'default via 10.10.255.254 dev eth0 ',
        '10.10.0.0/16 dev eth0 proto kernel scope link src 10.10.0.1 ',
        '10.32.0.0/24 dev cni0 proto kernel scope link src 10.32.0.1 ',
        '10.32.1.0/24 via 10.10.1.1 dev eth0 ',
        '',
      ].join('\n'),
    );
  });

  it("a pod: default and the cluster CIDR via cni0, its /24 on eth0 (flannel's CNI config)", () => {
    const pod = dp.cluster.pods.find((p) => p.ip === '10.32.0.4')!;
    expect(dp.podRoutes(pod).map(renderRoute)).toEqual([
      'default via 10.32.0.1 dev eth0',
      '10.32.0.0/24 dev eth0 proto kernel scope link src 10.32.0.4',
      '10.32.0.0/14 via 10.32.0.1 dev eth0',
    ]);
  });

  it("vxlan: other nodes' PodCIDRs via their flannel.1 address, onlink", () => {
    const c = fromText(readFileSync(join(__dirname, '../../public/scenarios/vxlan.yaml'), 'utf8'));
    const routes = buildDataplane(c).node('overlay-worker')!.routes.map(renderRoute);
    expect(routes).toContain('10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink');
    expect(routes).toContain('10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink');
    expect(routes).toContain('10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1');
  });

  it("property: every node has exactly one route to each other node's PodCIDR, and its own on cni0", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.constantFrom('host-gw', 'vxlan'), (n, cni) => {
        const p = parseDocuments([
          {
            kind: 'Cluster',
            apiVersion: 'kind.x-k8s.io/v1alpha4',
            networking: { cni },
            nodes: Array.from({ length: n }, (_, i) => ({ role: i ? 'worker' : 'control-plane', taints: [] })),
          },
        ]);
        if (!p.ok) throw new Error('must parse');
        const c = realize(p.scenario);
        const d = buildDataplane(c);
        for (const node of c.nodes) {
          const lines = d.node(node.name)!.routes.map(renderRoute);
          for (const other of c.nodes) {
            const hits = lines.filter((l) => l.startsWith(`${other.podCIDR} `));
            expect(hits).toHaveLength(other === node ? (node.pods.length > 0 ? 1 : 0) : 1);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('the cluster route index answers as the full table does', () => {
  it('property: for any address, ClusterRoutes.lookup = longest-prefix match over nodeRoutes()', async () => {
    const { RouteLookup, nodeRoutes } = await import('./routes');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom('host-gw', 'vxlan'),
        fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 20, maxLength: 20 }),
        (n, cni, ips) => {
          const p = parseDocuments([
            {
              kind: 'Cluster',
              apiVersion: 'kind.x-k8s.io/v1alpha4',
              networking: { cni, podSubnet: '10.244.0.0/20', nodeSubnet: '172.18.0.0/24' },
              nodes: Array.from({ length: n }, (_, i) => ({ role: i ? 'worker' : 'control-plane', taints: [] })),
            },
          ]);
          if (!p.ok) throw new Error('must parse');
          const c = realize(p.scenario);
          const d = buildDataplane(c);
          const interesting = [
            ...ips,
            ...c.nodes.flatMap((x) =>
              [x.ip, x.gateway]
                .filter((v): v is string => v !== null)
                .map((v) => v.split('.').reduce((a, o) => a * 256 + Number(o), 0) + 1),
            ),
          ];
          for (const node of c.nodes) {
            const full = new RouteLookup(nodeRoutes(c, node));
            for (const ip of interesting)
              expect(renderRoute(d.routeFor(node, ip >>> 0))).toBe(renderRoute(full.lookup(ip >>> 0)!));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('devices', () => {
  it('node-a: lo, eth0 on the node network, cni0 with the gateway, one veth per pod on cni0', async () => {
    const { nodeDevices } = await import('./devices');
    const devs = nodeDevices(dp.cluster, dp.nodeByName('node-a')!);
    expect(devs.slice(0, 3).map((d) => [d.name, d.addresses[0]])).toEqual([
      ['lo', '127.0.0.1/8'],
      ['eth0', '10.10.0.1/16'],
      ['cni0', '10.32.0.1/24'],
    ]);
    const veths = devs.filter((d) => d.kind === 'veth');
    expect(veths).toHaveLength(4);
    for (const v of veths)
      expect(v).toMatchObject({ master: 'cni0', name: expect.stringMatching(/^veth[0-9a-f]{8}$/) });
    expect(devs.some((d) => d.name === 'flannel.1')).toBe(false);
  });
});

describe('the CNI routes a diagram draws', () => {
  it('one per other node, with the node it leads to', async () => {
    const { cniRoutesByNode } = await import('./cniRoutes');
    const { DEFAULT_SCENARIO_YAML } = await import('../scenario/defaultScenario');
    const { parseScenario } = await import('../scenario/parse');
    const { realize } = await import('../cluster/realize');
    const p = parseScenario(DEFAULT_SCENARIO_YAML);
    if (!p.ok) throw new Error('must parse');
    expect(cniRoutesByNode(realize(p.scenario), 'node-a')).toEqual([
      { to: 'node-b', line: '10.32.1.0/24 via 10.10.1.1 dev eth0' },
    ]);
    expect(cniRoutesByNode(realize(p.scenario), 'nope')).toEqual([]);
  });
});

describe('the CNI routes a diagram draws, per family', () => {
  it('IPv6: the node’s ip -6 route lines to the other nodes’ IPv6 PodCIDRs; none in a single-stack cluster', async () => {
    const { cniRoutesByNode } = await import('./cniRoutes');
    const { readFileSync } = await import('node:fs');
    const { parseScenario } = await import('../scenario/parse');
    const { realize } = await import('../cluster/realize');
    const p = parseScenario(readFileSync('public/scenarios/dual-stack.yaml', 'utf8'));
    if (!p.ok) throw new Error('must parse');
    const c = realize(p.scenario);
    const node = c.nodes[0]!.name;
    const v6 = cniRoutesByNode(c, node, 'IPv6');
    expect(v6.length).toBe(c.nodes.length - 1);
    for (const r of v6) {
      const to = c.nodes.find((n) => n.name === r.to)!;
      expect(r.line).toBe(`${to.podCIDRs![1]} via ${to.ips![1]} dev eth0 metric 1024 pref medium`);
    }
    expect(cniRoutesByNode(c, node, 'IPv4').map((r) => r.line)).toEqual(
      c.nodes.slice(1).map((n) => `${n.podCIDR} via ${n.ip} dev eth0`),
    );
    const single = parseScenario(readFileSync('public/scenarios/vxlan.yaml', 'utf8'));
    if (!single.ok) throw new Error('must parse');
    expect(cniRoutesByNode(realize(single.scenario), 'node-a', 'IPv6')).toEqual([]);
  });
});
