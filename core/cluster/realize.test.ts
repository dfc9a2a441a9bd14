import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from './realize';
import type { Scenario } from '../api/types';

function scenario(text: string): Scenario {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.document} ${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

const cluster = (extra: string, nodes = '  - role: control-plane\n  - role: worker\n  - role: worker') => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: t
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
${extra}
nodes:
${nodes}
`;

describe("realize: the default scenario is the talk's cluster", () => {
  const r = realize(scenario(DEFAULT_SCENARIO_YAML));
  const node = (n: string) => r.nodes.find((x) => x.name === n)!;

  it('gives node A 10.32.0.0/24 and node B 10.32.1.0/24, cni0 on the first address', () => {
    // The talk "Networking Model in Kubernetes": node A 10.10.0.1 / 10.32.0.0/24, node B 10.10.1.1 / 10.32.1.0/24.
    expect(r.cluster.podCIDR).toBe('10.32.0.0/14');
    expect(node('node-a')).toMatchObject({ ip: '10.10.0.1', podCIDR: '10.32.0.0/24', gateway: '10.32.0.1' });
    expect(node('node-b')).toMatchObject({ ip: '10.10.1.1', podCIDR: '10.32.1.0/24', gateway: '10.32.1.1' });
  });

  it('runs CoreDNS first on the control plane, then spreads the Deployment across both nodes', () => {
    const coredns = r.pods.filter((p) => p.owner === 'Deployment/kube-system/coredns');
    expect(coredns.map((p) => [p.node, p.ip])).toEqual([
      ['node-a', '10.32.0.2'],
      ['node-a', '10.32.0.3'],
    ]);
    const web = r.pods.filter((p) => p.owner === 'Deployment/default/web');
    expect(web.map((p) => [p.node, p.ip])).toEqual([
      ['node-b', '10.32.1.2'],
      ['node-a', '10.32.0.4'],
      ['node-b', '10.32.1.3'],
      ['node-a', '10.32.0.5'],
    ]);
    for (const p of web)
      expect(p.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('has kubernetes on the first service address and kube-dns on the tenth, as kubeadm', () => {
    const k = r.services.find((s) => s.name === 'kubernetes')!;
    expect(k).toMatchObject({ namespace: 'default', clusterIP: '10.96.0.1' });
    expect(k.ports).toEqual([{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443, nodePort: null }]);
    expect(k.endpoints.map((e) => `${e.ip}:${e.port}`)).toEqual(['10.10.0.1:6443']);
    const dns = r.services.find((s) => s.name === 'kube-dns')!;
    expect(dns).toMatchObject({ namespace: 'kube-system', clusterIP: '10.96.0.10' });
    expect(dns.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual([
      'dns 53/UDP',
      'dns-tcp 53/TCP',
      'metrics 9153/TCP',
    ]);
    expect(dns.endpoints.filter((e) => e.portName === 'dns').map((e) => e.ip)).toEqual(['10.32.0.2', '10.32.0.3']);
    expect(r.cluster.dnsIP).toBe('10.96.0.10');
  });

  it('gives the web Service a ClusterIP in the dynamic band and the four pods as endpoints', () => {
    const web = r.services.find((s) => s.name === 'web')!;
    expect(web.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(web.endpoints.map((e) => e.ip)).toEqual(['10.32.0.4', '10.32.0.5', '10.32.1.2', '10.32.1.3']);
    expect(new Set(web.endpoints.map((e) => e.port))).toEqual(new Set([8080]));
  });

  it('has no warnings', () => {
    expect(r.warnings).toEqual([]);
  });
});

describe('realize: real component behaviour', () => {
  it('taints the kind control plane when workers exist, so pods go to workers only', () => {
    const r = realize(
      scenario(
        cluster('') +
          `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 4
  selector: {matchLabels: {app: a}}
  template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: x}]}}
`,
      ),
    );
    const app = r.pods.filter((p) => p.owner === 'Deployment/default/app');
    expect(new Set(app.map((p) => p.node))).toEqual(new Set(['t-worker', 't-worker2']));
    expect(r.nodes.map((n) => n.podCIDR)).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    // kind's Docker network: the first address is the gateway, nodes get the next ones.
    expect(r.nodes.map((n) => n.ip)).toEqual(['172.18.0.2', '172.18.0.3', '172.18.0.4']);
  });

  it('leaves a node without PodCIDR when the cluster CIDR is exhausted (CIDRNotAvailable), not a crash', () => {
    const r = realize(
      scenario(
        cluster('', '  - role: control-plane\n  - role: worker\n  - role: worker').replace(
          '10.244.0.0/16',
          '10.244.0.0/23',
        ),
      ),
    );
    expect(r.nodes.map((n) => n.podCIDR)).toEqual(['10.244.0.0/24', '10.244.1.0/24', null]);
    expect(r.warnings.map((w) => w.code)).toContain('CIDRNotAvailable');
  });

  it("keeps pods Pending with host-local's error when a /26 runs out before max-pods", () => {
    const r = realize(
      scenario(
        cluster('  nodeCIDRMaskSize: 26', '  - role: control-plane\n    taints: []') +
          `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: big}
spec:
  replicas: 70
  selector: {matchLabels: {app: big}}
  template: {metadata: {labels: {app: big}}, spec: {containers: [{name: c, image: x}]}}
`,
      ),
    );
    const big = r.pods.filter((p) => p.owner === 'Deployment/default/big');
    // /26 = 64 addresses: minus network, broadcast and the cni0 gateway = 61; CoreDNS took 2.
    expect(big.filter((p) => p.phase === 'Running')).toHaveLength(59);
    const pending = big.filter((p) => p.phase === 'Pending');
    expect(pending).toHaveLength(11);
    expect(pending[0]!.reason).toContain('no IP addresses available in range set: 10.244.0.1-10.244.0.62');
    expect(r.warnings.map((w) => w.code)).toContain('PodCIDRSmallerThanMaxPods');
  });

  it('honours spec.clusterIP and nodePort, and headless Services get no ClusterIP', () => {
    const r = realize(
      scenario(
        cluster('') +
          `---
apiVersion: v1
kind: Service
metadata: {name: fixed}
spec: {clusterIP: 10.96.5.5, type: NodePort, selector: {app: x}, ports: [{port: 80, nodePort: 30080}]}
---
apiVersion: v1
kind: Service
metadata: {name: hl}
spec: {clusterIP: None, selector: {app: x}, ports: [{port: 80}]}
`,
      ),
    );
    const fixed = r.services.find((s) => s.name === 'fixed')!;
    expect(fixed.clusterIP).toBe('10.96.5.5');
    expect(fixed.ports[0]!.nodePort).toBe(30080);
    const hl = r.services.find((s) => s.name === 'hl')!;
    expect(hl).toMatchObject({ clusterIP: null, headless: true });
  });

  it("adding a Service does not move another Service's address", () => {
    const one = `---
apiVersion: v1
kind: Service
metadata: {name: a}
spec: {selector: {app: a}, ports: [{port: 80}]}
`;
    const two = one + one.replace('name: a', 'name: b').replace('app: a', 'app: b');
    const ipOf = (text: string) =>
      realize(scenario(cluster('') + text)).services.find((s) => s.name === 'a')!.clusterIP;
    expect(ipOf(two)).toBe(ipOf(one));
  });

  it('a pinned podCIDR stays put and the others fill the hole, as the range allocator after a restart', () => {
    const r = realize(
      scenario(cluster('', '  - role: control-plane\n  - role: worker\n    podCIDR: 10.244.2.0/24\n  - role: worker')),
    );
    expect(r.nodes.map((n) => n.podCIDR)).toEqual(['10.244.0.0/24', '10.244.2.0/24', '10.244.1.0/24']);
  });
});

describe('warnings that name the real cause', () => {
  const web = (targetPort: string) => `${cluster('')}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: ${targetPort}}]`;

  it('pods that match but lack the named targetPort are told apart from a selector that matches nothing', () => {
    const w = realize(scenario(web('nosuch'))).warnings.find((x) => x.code === 'NoEndpoints')!;
    expect(w.message).toContain('match the selector (app=web) but none declares a container port named "nosuch"');
    expect(realize(scenario(web('http'))).warnings.some((x) => x.code === 'NoEndpoints')).toBe(false);
  });

  it('a cluster without a control-plane node says the kubernetes Service has no endpoints', () => {
    const c = realize(scenario(cluster('', '  - role: worker')));
    expect(c.warnings.find((x) => x.code === 'NoControlPlane')?.message).toContain(
      'the kubernetes Service has no endpoints',
    );
    expect(c.services.find((s) => s.name === 'kubernetes')!.endpoints).toEqual([]);
  });
});
