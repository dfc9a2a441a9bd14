import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from './defaultScenario';
import { editScenario, nextName } from './edit';
import { parseScenario } from './parse';
import { realize } from '../cluster/realize';

const apply = (edit: Parameters<typeof editScenario>[1], text = DEFAULT_SCENARIO_YAML) => {
  const r = editScenario(text, edit);
  if (!r.ok) throw new Error(r.message);
  return r;
};
const realized = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
};

describe('what-if edits change one field and keep the rest of the text', () => {
  it('a scalar edit changes only that value: comments and other documents are untouched', () => {
    const r = apply({ kind: 'cluster', field: 'podSubnet', value: '10.4.0.0/14' });
    expect(r.path).toBe('networking.podSubnet');
    expect(r.text).toBe(DEFAULT_SCENARIO_YAML.replace('podSubnet: 10.32.0.0/14', 'podSubnet: 10.4.0.0/14'));
    expect(realized(r.text).nodes.map((n) => n.podCIDR)).toEqual(['10.4.0.0/24', '10.4.1.0/24']);
  });

  it('replicas: the Deployment scales and the new pods get the next addresses', () => {
    const r = apply({ kind: 'replicas', namespace: 'default', name: 'web', value: '6' });
    expect(r.text).toContain('replicas: 6');
    expect(realized(r.text).pods.filter((p) => p.owner?.includes('web')).length).toBe(6);
  });

  it('adding a node names it after its siblings and it gets the next PodCIDR', () => {
    const r = apply({ kind: 'addNode' });
    const c = realized(r.text);
    expect(c.nodes.map((n) => `${n.name} ${n.podCIDR}`)).toEqual([
      'node-a 10.32.0.0/24',
      'node-b 10.32.1.0/24',
      'node-c 10.32.2.0/24',
    ]);
  });

  it('removing a node removes its entry; removing the last one is refused', () => {
    const r = apply({ kind: 'removeNode', name: 'node-b' });
    expect(realized(r.text).nodes.map((n) => n.name)).toEqual(['node-a']);
    expect(editScenario(r.text, { kind: 'removeNode', name: 'node-a' })).toEqual({
      ok: false,
      message: 'a cluster needs at least one node',
    });
    expect(editScenario(r.text, { kind: 'removeNode', name: 'ghost' }).ok).toBe(false);
  });

  it('kind-named nodes are found by the name kind gives them', () => {
    const text =
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: demo\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n';
    const r = apply({ kind: 'removeNode', name: 'demo-worker2' }, text);
    expect(realized(r.text).nodes.map((n) => n.name)).toEqual(['demo-control-plane', 'demo-worker']);
    expect(realized(apply({ kind: 'addNode' }, text).text).nodes.map((n) => n.name)).toContain('demo-worker3');
  });

  it('Service edits: type, port, selector; a bad value stays text for validation to reject', () => {
    const t = apply({
      kind: 'service',
      namespace: 'default',
      name: 'web',
      field: 'type',
      port: 0,
      value: 'NodePort',
    }).text;
    expect(realized(t).services.find((s) => s.name === 'web')!.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    const bad = apply({ kind: 'service', namespace: 'default', name: 'web', field: 'port', port: 0, value: '70000' });
    const p = parseScenario(bad.text);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.errors.map((e) => e.path)).toContain('spec.ports[0].port');
    const sel = apply({ kind: 'serviceSelector', namespace: 'default', name: 'web', value: 'app=nothing' });
    expect(realized(sel.text).services.find((s) => s.name === 'web')!.endpoints).toEqual([]);
    expect(
      editScenario(DEFAULT_SCENARIO_YAML, { kind: 'serviceSelector', namespace: 'default', name: 'web', value: 'app' })
        .ok,
    ).toBe(false);
  });

  it('externalTrafficPolicy: a NodePort Service turns Local; a value the API does not know is rejected by validation', () => {
    const np = apply({ kind: 'service', namespace: 'default', name: 'web', field: 'type', port: 0, value: 'NodePort' });
    const edit = (value: string) =>
      apply(
        { kind: 'service', namespace: 'default', name: 'web', field: 'externalTrafficPolicy', port: 0, value },
        np.text,
      );
    const local = edit('Local');
    expect(local.path).toBe('spec.externalTrafficPolicy');
    const p = parseScenario(local.text);
    if (!p.ok) throw new Error(p.errors[0]!.message);
    expect(p.scenario.services.find((s) => s.name === 'web')!.externalTrafficPolicy).toBe('Local');
    const bad = parseScenario(edit('Nearest').text);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toContain('spec.externalTrafficPolicy');
  });

  it('a scenario that does not parse as YAML is not edited', () => {
    expect(editScenario('a: [', { kind: 'addNode' }).ok).toBe(false);
  });

  it('names continue the pattern and never collide', () => {
    expect(nextName(['node-a', 'node-b'])).toBe('node-c');
    expect(nextName(['worker9'])).toBe('worker10');
    expect(nextName(['alpha'])).toBe('alpha-2');
    expect(nextName(['n1', 'n2', 'n3', 'n2'])).toBe('n4');
  });
});

describe('what an edit changed', () => {
  it('names added pods, moved addresses and the cluster field', async () => {
    const { diffClusters, newWarnings } = await import('../cluster/diff');
    const before = realized(DEFAULT_SCENARIO_YAML);
    const after = realized(apply({ kind: 'replicas', namespace: 'default', name: 'web', value: '5' }).text);
    const changes = diffClusters(before, after);
    expect(changes.filter((c) => c.kind === 'added').map((c) => c.ref)).toEqual([
      expect.stringMatching(/^pod\/default\/web-/),
    ]);
    expect(changes.some((c) => c.ref === 'svc/default/web' && c.message.includes('endpoints'))).toBe(true);
    expect(diffClusters(before, before)).toEqual([]);
    const small = realized(apply({ kind: 'cluster', field: 'podSubnet', value: '10.32.0.0/24' }).text);
    const d = diffClusters(before, small);
    expect(d[0]).toEqual({ ref: 'cluster', kind: 'changed', message: 'cluster: podCIDR 10.32.0.0/14 → 10.32.0.0/24' });
    expect(d.some((c) => c.ref === 'node/node-b' && c.message === 'node node-b: PodCIDR 10.32.1.0/24 → none')).toBe(
      true,
    );
    expect(newWarnings(before, small).size).toBeGreaterThan(0);
  });
});

describe('editing a generated (JSON list) scenario', () => {
  it('changes the one document and keeps one document per line', async () => {
    const { generateScenarioText } = await import('./generate');
    const text = generateScenarioText({ nodes: 300, podsPerNode: 2, podsPerService: 10 });
    const r = apply({ kind: 'cluster', field: 'nodeCIDRMaskSize', value: '23' }, text);
    expect(r.text.startsWith('[\n{"kind":"Cluster"')).toBe(true);
    expect(r.text.split('\n').length).toBe(text.split('\n').length);
    const c = realized(r.text);
    expect(c.cluster.nodeCIDRMaskSize).toBe(23);
    expect(c.nodes[1]!.podCIDR).toBe('10.0.2.0/23');
    const s = apply({ kind: 'replicas', namespace: 'default', name: 'app-0', value: '3' }, text);
    expect(realized(s.text).pods.filter((p) => p.owner === 'Deployment/default/app-0').length).toBe(3);
    expect(editScenario(text, { kind: 'replicas', namespace: 'default', name: 'nope', value: '3' })).toEqual({
      ok: false,
      message: 'no Deployment or ReplicaSet default/nope in the scenario',
    });
  });
});

describe("a refused what-if value gets the API server's reason", () => {
  it('replicas -1: "must be greater than or equal to 0", as the CLI says for the same file', () => {
    const p = parseScenario(apply({ kind: 'replicas', namespace: 'default', name: 'web', value: '-1' }).text);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.errors[0]!.message).toContain('greater than or equal to 0');
  });
});

describe('edits go through the YAML document model, never text splicing', () => {
  const FLOW = `# my cluster
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {podSubnet: 10.244.0.0/16, cni: host-gw}   # flow style, aligned comment
---
apiVersion: v1
kind: Service
metadata: {name: web}   # keep me
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

  it('a typed value with a comma stays one value in a flow map: it does not become a new key', () => {
    // Spliced in plain, "10.0.0.0/8, kubeProxyMode" made kubeProxyMode a key and the podSubnet silently 10.0.0.0/8.
    const r = apply({ kind: 'cluster', field: 'podSubnet', value: '10.0.0.0/8, kubeProxyMode' }, FLOW);
    expect(r.text).toBe(FLOW.replace('{podSubnet: 10.244.0.0/16,', '{podSubnet: "10.0.0.0/8, kubeProxyMode",'));
    const p = parseScenario(r.text);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.errors[0]).toMatchObject({ path: 'networking.podSubnet' });
  });

  it('a flow sequence value with a comma, and a string that reads as a number or a boolean, are quoted', () => {
    const tp = apply(
      { kind: 'service', namespace: 'default', name: 'web', field: 'targetPort', port: 0, value: 'http, port' },
      FLOW,
    );
    expect(tp.text).toContain('ports: [{port: 80, targetPort: "http, port"}]');
    const type = apply(
      { kind: 'service', namespace: 'default', name: 'web', field: 'type', port: 0, value: 'true' },
      FLOW,
    );
    expect(type.text).toContain('type: "true"');
  });

  it('every other document, comment and alignment is kept byte for byte', () => {
    const r = apply({ kind: 'service', namespace: 'default', name: 'web', field: 'port', port: 0, value: '81' }, FLOW);
    expect(r.text).toBe(FLOW.replace('[{port: 80,', '[{port: 81,'));
  });

  it('a structural edit (a new field) re-serialises only its own document and keeps its comments', () => {
    const r = apply({ kind: 'cluster', field: 'nodeCIDRMaskSize', value: '26' }, FLOW);
    const [cluster, service] = r.text.split('---\n');
    expect(service).toBe(FLOW.split('---\n')[1]);
    expect(cluster).toContain('# my cluster');
    expect(cluster).toContain('# flow style, aligned comment');
    expect(cluster).toContain('nodeCIDRMaskSize: 26');
    expect(realized(r.text).cluster.nodeCIDRMaskSize).toBe(26);
  });

  it('a single JSON object stays JSON: quoted strings keep their quotes', () => {
    const json = JSON.stringify({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      networking: { podSubnet: '10.244.0.0/16' },
    });
    const r = apply({ kind: 'cluster', field: 'podSubnet', value: '10.8.0.0/14' }, json);
    expect(JSON.parse(r.text)).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      networking: { podSubnet: '10.8.0.0/14' },
    });
  });
});

describe('what-if edits of a dual-stack cluster (kind networking.ipFamily: dual)', () => {
  const DUAL = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  ipFamily: dual
  podSubnet: 10.244.0.0/16,fd00:10:244::/56
  serviceSubnet: 10.96.0.0/16,fd00:10:96::/112
nodes: [{role: control-plane}, {role: worker}]
`;

  it('podSubnet takes both CIDRs in one field, IPv4 first, as kind writes it', () => {
    const r = apply({ kind: 'cluster', field: 'podSubnet', value: '10.8.0.0/16,fd00:8::/56' }, DUAL);
    expect(r.text).toContain('podSubnet: 10.8.0.0/16,fd00:8::/56');
    expect(realized(r.text).nodes.map((n) => n.podCIDRs)).toEqual([
      ['10.8.0.0/24', 'fd00:8::/64'],
      ['10.8.1.0/24', 'fd00:8:0:1::/64'],
    ]);
  });

  it('the IPv6 node mask is its own numeric field: a /108 with /110 nodes gives each node a /110', () => {
    const small = apply({ kind: 'cluster', field: 'podSubnet', value: '10.244.0.0/16,fd00:10:244::/108' }, DUAL);
    const r = apply({ kind: 'cluster', field: 'nodeCIDRMaskSizeIPv6', value: '110' }, small.text);
    expect(r.path).toBe('networking.nodeCIDRMaskSizeIPv6');
    expect(r.text).toContain('nodeCIDRMaskSizeIPv6: 110');
    expect(realized(r.text).nodes.map((n) => n.podCIDRs?.[1])).toEqual(['fd00:10:244::/110', 'fd00:10:244::4:0/110']);
  });

  it('one CIDR where two are needed is refused by the parser, naming the field and the value', () => {
    const r = apply({ kind: 'cluster', field: 'podSubnet', value: '10.244.0.0/16' }, DUAL);
    const p = parseScenario(r.text);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.errors[0]).toMatchObject({ path: 'networking.podSubnet', value: '10.244.0.0/16' });
    expect(p.errors[0]!.message).toContain('a dual-stack cluster needs two CIDRs');
  });
});
