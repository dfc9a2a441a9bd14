import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsIp, firstUsable, lastAddress, overlaps, parseCidr, parseIp } from '../ip/cidr';
import type { Cidr } from '../ip/types';
import { exportScenario, parseDocuments, parseScenario } from '../scenario/parse';
import { realize } from './realize';
import type { RealizedCluster } from '../api/types';

const cidr = (t: string): Cidr => {
  const p = parseCidr(t);
  if (!p.ok) throw new Error(p.message);
  return p.value;
};
const ip = (t: string): number => {
  const p = parseIp(t);
  if (!p.ok) throw new Error(p.message);
  return p.value;
};

/** Random but valid scenarios: cluster shape, node count, workloads with random replicas. */
const scenarioDocs = fc
  .record({
    podPrefix: fc.integer({ min: 16, max: 24 }),
    maskExtra: fc.integer({ min: 0, max: 6 }),
    nodes: fc.array(fc.record({ worker: fc.boolean(), maxPods: fc.integer({ min: 1, max: 120 }) }), {
      minLength: 1,
      maxLength: 12,
    }),
    apps: fc.array(
      fc.record({ replicas: fc.integer({ min: 0, max: 40 }), svc: fc.boolean(), nodePort: fc.boolean() }),
      { maxLength: 8 },
    ),
    cni: fc.constantFrom('host-gw', 'vxlan'),
  })
  .map((g) => {
    const mask = Math.min(30, g.podPrefix + g.maskExtra);
    const docs: unknown[] = [
      {
        kind: 'Cluster',
        apiVersion: 'kind.x-k8s.io/v1alpha4',
        name: 'prop',
        networking: {
          podSubnet: `10.32.0.0/${g.podPrefix}`,
          serviceSubnet: '10.96.0.0/16',
          nodeCIDRMaskSize: mask,
          cni: g.cni,
          nodeSubnet: '192.168.0.0/24',
        },
        nodes: g.nodes.map((n, i) => ({ role: i === 0 || !n.worker ? 'control-plane' : 'worker', maxPods: n.maxPods })),
      },
    ];
    g.apps.forEach((a, i) => {
      docs.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `app${i}` },
        spec: {
          replicas: a.replicas,
          selector: { matchLabels: { app: `a${i}` } },
          template: {
            metadata: { labels: { app: `a${i}` } },
            spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] },
          },
        },
      });
      if (a.svc)
        docs.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `svc${i}` },
          spec: {
            type: a.nodePort ? 'NodePort' : 'ClusterIP',
            selector: { app: `a${i}` },
            ports: [{ port: 80, targetPort: 8080 }],
          },
        });
    });
    return docs;
  });

function realizeDocs(docs: unknown[]): RealizedCluster {
  const p = parseDocuments(docs);
  if (!p.ok) throw new Error(p.errors.map((e) => `${e.document} ${e.path}: ${e.message}`).join('; '));
  return realize(p.scenario);
}

describe('realize properties', () => {
  it('no address is handed out twice (pods, cni0 gateways, node IPs, ClusterIPs)', () => {
    fc.assert(
      fc.property(scenarioDocs, (docs) => {
        const r = realizeDocs(docs);
        const podIps = r.pods.filter((p) => p.ip && !p.hostNetwork).map((p) => p.ip);
        const gateways = r.nodes.map((n) => n.gateway).filter(Boolean);
        const all = [...podIps, ...gateways];
        expect(new Set(all).size).toBe(all.length);
        const nodeIps = r.nodes.map((n) => n.ip);
        expect(new Set(nodeIps).size).toBe(nodeIps.length);
        const svcIps = r.services.map((s) => s.clusterIP).filter(Boolean);
        expect(new Set(svcIps).size).toBe(svcIps.length);
        const nodePorts = r.services.flatMap((s) => s.ports.map((p) => p.nodePort)).filter((p) => p !== null);
        expect(new Set(nodePorts).size).toBe(nodePorts.length);
      }),
      { numRuns: 150 },
    );
  });

  it("every pod IP is inside its node's PodCIDR and is never its network, broadcast or gateway", () => {
    fc.assert(
      fc.property(scenarioDocs, (docs) => {
        const r = realizeDocs(docs);
        for (const n of r.nodes) {
          for (const p of n.pods) {
            if (p.ip === null || p.hostNetwork) continue;
            const c = cidr(n.podCIDR!);
            const a = ip(p.ip);
            expect(containsIp(c, a)).toBe(true);
            expect(a).not.toBe(c.base);
            expect(a).not.toBe(lastAddress(c));
            expect(a).not.toBe(firstUsable(c));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every node PodCIDR is inside the cluster CIDR and disjoint from the others', () => {
    fc.assert(
      fc.property(scenarioDocs, (docs) => {
        const r = realizeDocs(docs);
        const cluster = cidr(r.cluster.podCIDR);
        const ranges = r.nodes.flatMap((n) => (n.podCIDR ? [cidr(n.podCIDR)] : []));
        for (const [i, a] of ranges.entries()) {
          expect(containsIp(cluster, a.base) && a.prefix >= cluster.prefix).toBe(true);
          for (const b of ranges.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('export -> parse -> realize is the identity', () => {
    fc.assert(
      fc.property(scenarioDocs, (docs) => {
        const p = parseDocuments(docs);
        if (!p.ok) throw new Error('generated scenario must parse');
        const again = parseScenario(exportScenario(p.scenario));
        expect(again.ok).toBe(true);
        if (again.ok) expect(realize(again.scenario)).toEqual(realize(p.scenario));
      }),
      { numRuns: 60 },
    );
  });

  it('realize never throws on any scenario that parses (odd but valid documents reach it)', () => {
    // Documents the parser accepts but that stress realize: bare pods pinned to missing nodes, host
    // networking, selectors that match nothing or everything, named ports that exist or not, Services
    // without a selector, namespaces declared or not. Junk that fails to parse never reaches realize,
    // so the test counts how many inputs did.
    const name = fc.constantFrom('a', 'b', 'web', 'db');
    const ns = fc.constantFrom('default', 'team-a', 'kube-system');
    const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'x'), name, { maxKeys: 2 });
    const portRef = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('http', 'dns', 'nope'));
    const pod = fc
      .record({
        n: name,
        ns,
        labels,
        node: fc.option(fc.constantFrom('node-a', 'prop-worker', 'ghost')),
        host: fc.boolean(),
        port: fc.option(fc.constantFrom('http', 'dns')),
      })
      .map((g) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `pod-${g.n}`, namespace: g.ns, labels: g.labels },
        spec: {
          ...(g.node ? { nodeName: g.node } : {}),
          ...(g.host ? { hostNetwork: true } : {}),
          containers: [{ name: 'c', image: 'nginx', ports: g.port ? [{ name: g.port, containerPort: 8080 }] : [] }],
        },
      }));
    const service = fc
      .record({
        n: name,
        ns,
        selector: fc.option(labels),
        port: fc.integer({ min: 1, max: 65535 }),
        target: portRef,
        nodePort: fc.boolean(),
        udp: fc.boolean(),
      })
      .map((g) => ({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${g.n}`, namespace: g.ns },
        spec: {
          ...(g.nodePort ? { type: 'NodePort' } : {}),
          ...(g.selector ? { selector: g.selector } : {}),
          ports: [{ port: g.port, targetPort: g.target, protocol: g.udp ? 'UDP' : 'TCP' }],
        },
      }));
    const namespace = ns.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }));
    const extra = fc.uniqueArray(fc.oneof(pod, service, namespace), {
      maxLength: 6,
      selector: (d) => `${d.kind}/${'namespace' in d.metadata ? d.metadata.namespace : ''}/${d.metadata.name}`,
    });
    let reached = 0;
    fc.assert(
      fc.property(scenarioDocs, extra, (docs, more) => {
        const p = parseDocuments([...docs, ...more]);
        if (!p.ok) return;
        reached++;
        expect(() => realize(p.scenario)).not.toThrow();
      }),
      { numRuns: 200 },
    );
    // Most inputs must parse, or the property says nothing about realize.
    expect(reached).toBeGreaterThan(100);
  });
});

describe('endpoint order', () => {
  it('byEndpointString sorts exactly as the "ip:port" strings sort (kube-proxy\'s byEndpoint)', async () => {
    const { byEndpointString } = await import('../store/endpointOrder');
    const ep = fc.record({
      ip: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((t) => t.join('.')),
      port: fc.integer({ min: 1, max: 65535 }),
    });
    fc.assert(
      fc.property(fc.array(ep, { maxLength: 30 }), (eps) => {
        const full = eps.map((e) => ({
          ...e,
          portName: '',
          protocol: 'TCP' as const,
          node: 'n',
          pod: 'p',
          namespace: 'ns',
        }));
        const ours = [...full].sort(byEndpointString).map((e) => `${e.ip}:${e.port}`);
        const strings = full.map((e) => `${e.ip}:${e.port}`).sort();
        expect(ours).toEqual(strings);
      }),
      { numRuns: 300 },
    );
  });
});
