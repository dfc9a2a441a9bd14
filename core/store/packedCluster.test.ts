// realize keeps pods as columns and makes objects on first read (podStore.ts,
// packedCluster.ts). These tests pin that the lazy cluster reads exactly like
// a plain one: same objects everywhere, same JSON, same lookups.
import { describe, expect, it } from 'vitest';
import { parseIp } from '../ip/cidr';
import { diffClusters, summarizeDiff } from '../cluster/diff';
import { editScenario, type ScenarioEdit } from '../scenario/edit';
import { generateDocuments, generateScenarioText } from '../scenario/generate';
import { clusterFromPacked, packedOf, podStoreOf } from './packedCluster';
import { firstPods, podCount, podTally, podCountOn, servicesOfPod, servicesWithEndpointsOn } from './podQueries';
import { fromWire, toWire } from './wire';
import { parseDocuments, parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import type { RealizedCluster } from '../api/types';

function realizeText(text: string): RealizedCluster {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
}

function generated(nodes: number): RealizedCluster {
  const p = parseDocuments(generateDocuments({ nodes, podsPerNode: 30, podsPerService: 15 }));
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
}

const ipNumber = (ip: string) => {
  const p = parseIp(ip);
  if (!p.ok) throw new Error(p.message);
  return p.value;
};

describe('the packed cluster', () => {
  it('hands out one object per pod: the cluster list, node lists and lookups share it', () => {
    const c = generated(20);
    const store = podStoreOf(c)!;
    for (const n of c.nodes) for (const p of n.pods) expect(c.pods).toContain(p);
    const onNodes = c.nodes.reduce((k, n) => k + n.pods.length, 0);
    expect(onNodes).toBe(c.pods.filter((p) => p.node !== null).length);
    c.pods.forEach((p, i) => {
      expect(store.pod(i)).toBe(p);
      expect(store.indexOfName(p.namespace, p.name)).toBe(i);
      expect(store.indexOfName(undefined, p.name)).toBe(i);
      if (p.ip && !p.hostNetwork) expect(store.indexOfIp(ipNumber(p.ip))).toBe(i);
    });
    expect(store.indexOfName('default', 'no-such-pod')).toBe(-1);
    expect(store.indexOfName('kube-system', c.pods.find((p) => p.namespace === 'default')!.name)).toBe(-1);
  });

  it('lists each node its own pods, in creation order', () => {
    const c = generated(20);
    for (const n of c.nodes) expect(n.pods).toEqual(c.pods.filter((p) => p.node === n.name));
  });

  it('JSON, spreads and Object.keys see pods and endpoints as plain fields, in the documented order', () => {
    const c = realizeText(DEFAULT_SCENARIO_YAML);
    const svc = c.services.find((s) => s.name === 'web')!;
    expect(Object.keys(svc)).toEqual([
      'namespace',
      'name',
      'type',
      'clusterIP',
      'headless',
      'selector',
      'ports',
      'endpoints',
      'externalTrafficPolicy',
      'internalTrafficPolicy',
      'sessionAffinity',
      'sessionAffinityTimeout',
    ]);
    expect({ ...svc }.endpoints.length).toBeGreaterThan(0);
    expect(Object.keys(c.nodes[0]!)).toEqual([
      'name',
      'role',
      'ip',
      'podCIDR',
      'gateway',
      'labels',
      'taints',
      'maxPods',
      'pods',
    ]);
    expect(Object.keys(c)).toEqual([
      'cluster',
      'policies',
      'namespaces',
      'nodes',
      'pods',
      'services',
      'warnings',
      'notModelled',
    ]);
    const json = JSON.parse(JSON.stringify(c)) as RealizedCluster;
    expect(json.pods.length).toBe(c.pods.length);
    expect(json.services.find((s) => s.name === 'web')!.endpoints).toEqual(svc.endpoints);
    expect(json.nodes[1]!.pods).toEqual(c.nodes[1]!.pods);
  });

  it('a field set by hand replaces the computed one', () => {
    const c = realizeText(DEFAULT_SCENARIO_YAML);
    const svc = c.services.find((s) => s.name === 'web')!;
    svc.endpoints = [];
    expect(svc.endpoints).toEqual([]);
    c.nodes[0]!.pods = [];
    expect(c.nodes[0]!.pods).toEqual([]);
  });

  it('survives the trip a worker makes: the packed data, cloned, rebuilds the same cluster', () => {
    const c = generated(15);
    const copy = clusterFromPacked(structuredClone(packedOf(c)!));
    expect(JSON.stringify(copy)).toBe(JSON.stringify(c));
    const wire = structuredClone(toWire(packedOf(c)!, 7));
    const chunks = (n: number) => Math.ceil(n / 7);
    expect(wire.parts.length).toBe(
      1 + chunks(c.nodes.length) + chunks(podStoreOf(c)!.packed.groups.length) + chunks(c.services.length),
    );
    const wired = clusterFromPacked(
      fromWire(
        wire.parts.map((t) => JSON.parse(t) as unknown),
        wire.columns,
      ),
    );
    expect(JSON.stringify(wired)).toBe(JSON.stringify(c));
  });

  it("names a Deployment's pods <deployment>-<pod-template-hash>-<5 characters>, bare pods by their own name", () => {
    const c = realizeText(DEFAULT_SCENARIO_YAML);
    for (const p of c.pods) {
      if (p.owner?.startsWith('Deployment/'))
        expect(p.name).toMatch(
          new RegExp(`^${p.owner.split('/')[2]}-[bcdfghjklmnpqrstvwxz2456789]{5,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
        );
    }
  });

  it('answers counts and "which Services" from the columns exactly as the plain lists do', () => {
    const c = generated(30);
    // The same cluster as plain data: every query falls back to scanning its lists.
    const plain = JSON.parse(JSON.stringify(c)) as RealizedCluster;
    expect(podCount(c)).toBe(podCount(plain));
    expect(podTally(c)).toEqual(podTally(plain));
    expect(podTally(c).wanted).toBeGreaterThan(0);
    const names = (xs: { namespace: string; name: string }[]) => xs.map((x) => `${x.namespace}/${x.name}`);
    for (const n of c.nodes.slice(0, 6)) {
      expect(podCountOn(c, n.name)).toBe(plain.nodes.find((x) => x.name === n.name)!.pods.length);
      expect(names(servicesWithEndpointsOn(c, n.name))).toEqual(names(servicesWithEndpointsOn(plain, n.name)));
      expect(servicesWithEndpointsOn(c, n.name).length).toBeGreaterThan(0);
    }
    for (const p of c.pods.slice(0, 40)) expect(names(servicesOfPod(c, p))).toEqual(names(servicesOfPod(plain, p)));
    const keep = (p: { hostNetwork: boolean; ip: string | null }) => p.ip !== null && !p.hostNetwork;
    expect(names(firstPods(c, 25, keep))).toEqual(names(plain.pods.filter(keep).slice(0, 25)));
  });
});

describe('diffClusters over the columns', () => {
  // The column path (pods matched by group and position) must say exactly what comparing pods by name says.
  const plain = (c: RealizedCluster) => JSON.parse(JSON.stringify(c)) as RealizedCluster;
  const edits: [string, ScenarioEdit][] = [
    ['node mask', { kind: 'cluster', field: 'nodeCIDRMaskSize', value: '25' }],
    ['replicas down', { kind: 'replicas', namespace: 'default', name: 'app-3', value: '4' }],
    ['replicas up', { kind: 'replicas', namespace: 'default', name: 'app-5', value: '40' }],
    ['a node added', { kind: 'addNode' }],
    ['the PodCIDR', { kind: 'cluster', field: 'podSubnet', value: '10.64.0.0/12' }],
    ['a Service selector', { kind: 'serviceSelector', namespace: 'default', name: 'app-2', value: 'app=app-4' }],
    [
      'a targetPort',
      { kind: 'service', namespace: 'default', name: 'app-6', field: 'targetPort', port: 0, value: '9090' },
    ],
    [
      'a Service type',
      { kind: 'service', namespace: 'default', name: 'app-7', field: 'type', port: 0, value: 'NodePort' },
    ],
  ];
  for (const [what, e] of edits) {
    it(`after ${what}`, () => {
      const text = generateScenarioText({ nodes: 12, podsPerNode: 20, podsPerService: 15 });
      const edited = editScenario(text, e);
      if (!edited.ok) throw new Error(edited.message);
      const before = realizeText(text);
      const after = realizeText(edited.text);
      const fast = diffClusters(before, after);
      expect(fast.length).toBeGreaterThan(0);
      expect(fast).toEqual(diffClusters(plain(before), plain(after)));
      // Capped: every change counted, the first ones worded, each touched object named once.
      const capped = summarizeDiff(before, after, 3, 2);
      expect(capped.total).toBe(fast.length);
      expect(capped.changes).toEqual(fast.slice(0, 3));
      expect(capped.refs).toEqual([...new Set(fast.map((c) => c.ref))].slice(0, 2));
    });
  }
});
