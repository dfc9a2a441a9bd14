import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from './defaultScenario';
import { exportScenario, parseDocuments, parseScenario } from './parse';
import { formatCidr } from '../ip/cidr';

const errorsOf = (text: string) => {
  const r = parseScenario(text);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

const CLUSTER = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n';

describe('parseScenario: defaults follow the real components', () => {
  it('a bare Cluster document is kind\'s default cluster: 10.244.0.0/16, 10.96.0.0/12, one control plane "kind-control-plane"', () => {
    const r = parseScenario(CLUSTER);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.scenario.cluster;
    expect(c.name).toBe('kind');
    expect(formatCidr(c.podSubnet!)).toBe('10.244.0.0/16');
    expect(formatCidr(c.serviceSubnet!)).toBe('10.96.0.0/16');
    expect(c.nodeCIDRMaskSize).toBe(24);
    expect(c.nodes).toEqual([{ name: 'kind-control-plane', role: 'control-plane', labels: {}, maxPods: 110 }]);
    expect(c.kubeProxyMode).toBe('iptables');
    expect(c.clusterDomain).toBe('cluster.local');
  });

  it('names nodes as kind does: -control-plane, -control-plane2, -worker, -worker2', () => {
    const r = parseScenario(
      `${CLUSTER}name: dev\nnodes: [{role: control-plane}, {role: control-plane}, {role: worker}, {role: worker}]`,
    );
    expect(r.ok && r.scenario.cluster.nodes.map((n) => n.name)).toEqual([
      'dev-control-plane',
      'dev-control-plane2',
      'dev-worker',
      'dev-worker2',
    ]);
  });

  it('the default scenario parses with no errors and no warnings', () => {
    const r = parseScenario(DEFAULT_SCENARIO_YAML);
    expect(r.ok).toBe(true);
    expect(r.ok && r.scenario.warnings).toEqual([]);
  });

  it('accepts JSON, a JSON array and a kind: List', () => {
    expect(parseScenario(JSON.stringify({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: 'j' })).ok).toBe(
      true,
    );
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } };
    const arr = parseScenario(JSON.stringify([{ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' }, svc]));
    expect(arr.ok && arr.scenario.services.map((s) => s.name)).toEqual(['s']);
    const list = parseScenario(JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [svc] }));
    expect(list.ok && list.scenario.services.length).toBe(1);
  });

  it('normalises a CIDR with host bits set, with a warning', () => {
    const r = parseScenario(`${CLUSTER}networking: {podSubnet: 10.32.5.0/14}`);
    expect(r.ok && r.scenario.cluster.podSubnet).toEqual({ base: 10 * 2 ** 24 + (32 << 16), prefix: 14 });
    expect(r.ok && r.scenario.warnings[0]?.message).toContain('using 10.32.0.0/14');
  });
});

describe('parseScenario: bad input gets a located error, never an exception', () => {
  const cases: [string, string, Partial<{ document: string; path: string; value: string; message: string }>][] = [
    ['YAML syntax', 'kind: Cluster\nname: [unclosed', { message: 'YAML syntax error' }],
    [
      'IPv6 pod subnet',
      `${CLUSTER}networking: {podSubnet: "fd00::/48"}`,
      { path: 'networking.podSubnet', message: 'expected IPv4 CIDR for IPv4 family; for IPv6 too, set ipFamily: dual' },
    ],
    [
      'not a CIDR',
      `${CLUSTER}networking: {podSubnet: 10.32.0.0/33}`,
      { path: 'networking.podSubnet', value: '10.32.0.0/33', message: 'invalid prefix length' },
    ],
    [
      'overlapping ranges',
      `${CLUSTER}networking: {podSubnet: 10.0.0.0/8, serviceSubnet: 10.96.0.0/12}`,
      { path: 'networking.serviceSubnet', message: 'overlaps networking.podSubnet 10.0.0.0/8' },
    ],
    [
      'node mask shorter than the pod CIDR',
      `${CLUSTER}networking: {podSubnet: 10.32.0.0/14, nodeCIDRMaskSize: 12}`,
      { path: 'networking.nodeCIDRMaskSize', value: '12' },
    ],
    [
      'node IP outside the node network',
      `${CLUSTER}networking: {nodeSubnet: 10.10.0.0/16}\nnodes: [{role: control-plane, ip: 10.11.0.1}]`,
      { path: 'nodes[0].ip', message: 'outside the node network 10.10.0.0/16' },
    ],
    [
      'duplicate node IP',
      `${CLUSTER}networking: {nodeSubnet: 10.10.0.0/16}\nnodes: [{role: control-plane, ip: 10.10.0.1}, {role: worker, ip: 10.10.0.1}]`,
      { path: 'nodes[1].ip', message: 'Duplicate value' },
    ],
    [
      'bad Service name',
      `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: Web_1}\nspec: {ports: [{port: 80}]}`,
      {
        document: 'document 2 (Service default/Web_1)',
        path: 'metadata.name',
        value: 'Web_1',
        message: 'DNS-1035 label',
      },
    ],
    [
      'port out of range',
      `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 70000}]}`,
      { path: 'spec.ports[0].port', value: '70000', message: 'must be between 1 and 65535, inclusive' },
    ],
    [
      'unknown protocol',
      `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80, protocol: ICMP}]}`,
      { path: 'spec.ports[0].protocol', value: 'ICMP' },
    ],
    [
      'ClusterIP outside the service range',
      `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.0.0.5, ports: [{port: 80}]}`,
      { path: 'spec.clusterIP', message: 'The range of valid IPs is 10.96.0.0/16' },
    ],
    [
      'ClusterIP taken by kube-dns',
      `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.96.0.10, ports: [{port: 80}]}`,
      { path: 'spec.clusterIP', message: 'already allocated (to Service kube-system/kube-dns)' },
    ],
    [
      'nodePort on a ClusterIP Service',
      `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80, nodePort: 30080}]}`,
      { path: 'spec.ports[0].nodePort', message: "may not be used when `type` is 'ClusterIP'" },
    ],
    [
      'selector does not match template',
      `${CLUSTER}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: x}]}}`,
      { path: 'spec.template.metadata.labels', message: '`selector` does not match template `labels`' },
    ],
    [
      'negative replicas',
      `${CLUSTER}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: -1\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: x}]}}`,
      { path: 'spec.replicas', value: '-1' },
    ],
    [
      'a kind not modelled, without a name',
      `${CLUSTER}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}`,
      { path: 'metadata.name', message: 'Required value' },
    ],
    [
      'a kind not modelled, without an apiVersion',
      `${CLUSTER}---\nkind: ConfigMap\nmetadata: {name: x}`,
      { path: 'apiVersion', message: 'listed as not modelled' },
    ],
    [
      'a List whose items are not a list',
      `${CLUSTER}---\napiVersion: v1\nkind: List\nitems: {a: 1}`,
      { path: 'items', message: 'must be a list of Kubernetes objects' },
    ],
    [
      'duplicate object',
      `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 81}]}`,
      { document: 'document 3 (Service default/web)', message: 'Duplicate value' },
    ],
    ['a scalar document', `${CLUSTER}---\n42`, { document: 'document 2', message: 'must be a Kubernetes object' }],
    [
      'two unnamed ports',
      `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}, {port: 81}]}`,
      { path: 'spec.ports[0].name', message: 'Required value' },
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => {
      const errs = errorsOf(text);
      const match = errs.find(
        (e) =>
          (expected.path === undefined || e.path === expected.path) &&
          (expected.document === undefined || e.document === expected.document),
      );
      expect(match, JSON.stringify(errs)).toBeDefined();
      if (expected.value !== undefined) expect(match!.value).toBe(expected.value);
      if (expected.message !== undefined) expect(match!.message).toContain(expected.message);
      expect(match!.document).toMatch(/^(document \d+|defaults|scenario)/);
    });
  }

  it('collects every error, not just the first', () => {
    const errs = errorsOf(`${CLUSTER}networking: {podSubnet: nope, serviceSubnet: nope}\nnodes: [{role: boss}]`);
    expect(errs.map((e) => e.path)).toEqual(
      expect.arrayContaining(['networking.podSubnet', 'networking.serviceSubnet', 'nodes[0].role']),
    );
  });

  it('an alias bomb is refused quickly', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
      );
    const errs = errorsOf(lines.join('\n'));
    expect(errs[0]!.message).toMatch(/alias|resource exhaustion/i);
  });

  it('a 50 MB input is refused before parsing', () => {
    const errs = errorsOf('#'.repeat(50 * 1024 * 1024));
    expect(errs[0]!.message).toContain('too large');
  });

  it('property: never throws on arbitrary text or arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (t) => {
        expect(() => parseScenario(t)).not.toThrow();
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(() => parseScenario(JSON.stringify(v))).not.toThrow();
        expect(() => parseDocuments([v])).not.toThrow();
        expect(() =>
          parseDocuments([{ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', networking: v, nodes: v }]),
        ).not.toThrow();
        expect(() =>
          parseDocuments([{ kind: 'Service', apiVersion: 'v1', metadata: { name: 'x' }, spec: v }]),
        ).not.toThrow();
        expect(() =>
          parseDocuments([{ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'x' }, spec: v }]),
        ).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('export -> parse gives the same documents', () => {
    const r = parseScenario(DEFAULT_SCENARIO_YAML);
    if (!r.ok) throw new Error('default must parse');
    const again = parseScenario(exportScenario(r.scenario));
    expect(again.ok && again.scenario.documents).toEqual(r.scenario.documents);
    expect(again.ok && again.scenario.cluster).toEqual(r.scenario.cluster);
  });
});

describe('large JSON scenarios', () => {
  it('a generated 300-node cluster (JSON) parses and realizes; broken big JSON gets the same located error as small', async () => {
    const { generateScenarioText } = await import('./generate');
    const text = generateScenarioText({ nodes: 300, podsPerNode: 10, podsPerService: 10 });
    expect(text.startsWith('[')).toBe(true);
    expect(text.length).toBeGreaterThan((512 * 1024) / 8);
    const padded = text + ' '.repeat(600 * 1024);
    const p = parseScenario(padded);
    expect(p.ok).toBe(true);
    if (p.ok) expect(p.scenario.cluster.nodes.length).toBe(300);
    const broken = (t: string) => t.replace('"kind":"Cluster"', '"kind":"Cluster",,');
    const big = parseScenario(broken(padded));
    const small = parseScenario(broken(text));
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.errors[0]!.message).toMatch(/^YAML syntax error: Unexpected , in flow map/);
    expect(big).toEqual(small);
  });
});

describe('sessionAffinity', () => {
  const svc = (extra: string) =>
    `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: s}\n  ports: [{port: 80}]\n${extra}`;
  it('ClientIP defaults to 10800 s; timeoutSeconds is checked as the API server checks it', () => {
    const ok = parseScenario(svc('  sessionAffinity: ClientIP\n'));
    expect(ok.ok && ok.scenario.services[0]!.sessionAffinityTimeout).toBe(10800);
    const bad = parseScenario(
      svc('  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 90000}}\n'),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors[0]).toMatchObject({
        path: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
        value: '90000',
        message: 'must be greater than 0 and less than 86400',
      });
    const none = parseScenario(svc('  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n'));
    expect(!none.ok && none.errors[0]!.message).toBe('must not be set when session affinity is None');
  });
});

describe('size limits against hostile scenarios', () => {
  it('refuses 100 million replicas with the reason instead of trying to create them', () => {
    const p = parseScenario(
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big}\nspec:\n  replicas: 100000000\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: x}]}\n',
    );
    expect(p.ok).toBe(false);
    if (!p.ok)
      expect(p.errors[0]).toEqual({
        document: 'document 2 (Deployment default/big)',
        path: 'spec.replicas',
        value: '100000000',
        message:
          '100,000,000 pods in all: the explorer models at most 300,000 (Kubernetes supports 150,000 per cluster)',
      });
  });

  it('refuses more than 10,000 nodes', () => {
    const nodes = Array.from({ length: 10_001 }, () => ({ role: 'worker' }));
    const p = parseScenario(
      JSON.stringify([
        {
          kind: 'Cluster',
          apiVersion: 'kind.x-k8s.io/v1alpha4',
          networking: { podSubnet: '10.0.0.0/8', nodeSubnet: '172.16.0.0/12' },
          nodes: [{ role: 'control-plane' }, ...nodes],
        },
      ]),
    );
    expect(p.ok).toBe(false);
    if (!p.ok)
      expect(p.errors.map((e) => e.message)).toContain(
        'too many nodes: the explorer models at most 10,000 (Kubernetes supports 5,000 per cluster)',
      );
  });
});

describe('a misspelt networking field', () => {
  it('is refused with the field it was probably meant to be, as kind refuses it', () => {
    const r = parseScenario(
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  podSubent: 10.0.0.0/16\n  nodeCidrMaskSize: 26\n  frobnicate: 1\n',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'networking.podSubent: unknown field (did you mean podSubnet?): kind reads its config strictly and rejects it',
      'networking.nodeCidrMaskSize: unknown field (did you mean nodeCIDRMaskSize?): kind reads its config strictly and rejects it',
      'networking.frobnicate: unknown field: kind reads its config strictly and rejects it',
    ]);
  });
  it('accepts every kind networking field (apiServerPort, disableDefaultCNI, dnsSearch, ...)', () => {
    const r = parseScenario(
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  apiServerPort: 6443\n  apiServerAddress: 127.0.0.1\n  disableDefaultCNI: false\n  dnsSearch: []\n  ipFamily: ipv4\n',
    );
    expect(r.ok).toBe(true);
  });
});
