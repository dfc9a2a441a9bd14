// Generated hostile scenarios through every stage: parse -> realize -> dataplane -> trace.
// Invariants: nothing is accepted that validation refuses, no IP is given twice, keys arrive
// exactly as written, and every refusal and every verdict says why.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';
import { labelKey, labelValue, portName } from './k8sValidation';
import { realize } from '../cluster/realize';
import { buildDataplane } from '../dataplane/dataplane';
import { trace } from '../trace/trace';
import { overlaps, parseCidr } from '../ip/cidr';
import type { Scenario } from '../api/types';

/** Mostly keys the API server takes (prototype names among them), sometimes keys it refuses. */
const often = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 40, arbitrary: good }, { weight: 1, arbitrary: bad });
const key = often(
  fc.constantFrom('app', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'example.com/tier'),
  fc.constantFrom('__proto__', 'a/b/c', 'Example.com/x', 'k'.repeat(64)),
);
const value = often(fc.constantFrom('web', 'db', '', 'yes'), fc.constantFrom('-bad', 'v'.repeat(64)));
const labels = fc.dictionary(key, value, { maxKeys: 3 });
const NODE_NAMES = ['n1', 'n2', 'n3', 'n4'];

const clusterDoc = fc.record({
  nodes: fc.array(
    fc.record({
      worker: fc.boolean(),
      podCIDR: fc.option(
        often(
          fc.constantFrom('10.244.1.0/24', '10.244.2.0/24', '10.244.2.7/24', '10.244.5.0/24'),
          fc.constant('10.244.0.0/16'),
        ),
        { freq: 2 },
      ),
      ip: fc.option(often(fc.constantFrom('172.18.0.10', '172.18.0.11', '172.18.0.12'), fc.constant('10.0.0.1')), {
        freq: 2,
      }),
      labels,
      noExecute: fc.boolean(),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

const podDoc = fc.record({
  namespace: fc.constantFrom('default', 'a', 'a-b'),
  name: fc.constantFrom('c', 'b-c', 'web'),
  labels,
  nodeName: fc.option(fc.constantFrom(...NODE_NAMES, 'ghost')),
  port: fc.constantFrom(80, 8080),
});

const serviceDoc = fc.record({
  name: fc.constantFrom('web', 'api'),
  selector: labels,
  ports: fc.array(
    fc.record({
      port: fc.constantFrom(80, 443, 8443),
      protocol: fc.constantFrom('TCP', 'UDP'),
      targetPort: often(
        fc.constantFrom<number | string>(8080, 'http', 80),
        fc.constantFrom('8080', 0, 70000, 'a'.repeat(16)),
      ),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

const policyDoc = fc.record({ podSelector: labels, from: labels });

function toDocs(g: {
  cluster: {
    nodes: { worker: boolean; podCIDR: string | null; ip: string | null; labels: object; noExecute: boolean }[];
  };
  pods: { namespace: string; name: string; labels: object; nodeName: string | null; port: number }[];
  services: {
    name: string;
    selector: object;
    ports: { port: number; protocol: string; targetPort: number | string }[];
  }[];
  policies: { podSelector: object; from: object }[];
}): unknown[] {
  const docs: unknown[] = [
    {
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      name: 'prop',
      nodes: g.cluster.nodes.map((n, i) => ({
        role: i === 0 || !n.worker ? 'control-plane' : 'worker',
        name: NODE_NAMES[i],
        labels: n.labels,
        ...(n.podCIDR ? { podCIDR: n.podCIDR } : {}),
        ...(n.ip ? { ip: n.ip } : {}),
        ...(n.noExecute ? { taints: [{ key: 'k', effect: 'NoExecute' }] } : {}),
      })),
    },
  ];
  for (const p of g.pods)
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
      spec: {
        ...(p.nodeName ? { nodeName: p.nodeName } : {}),
        containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: p.port }] }],
      },
    });
  for (const s of g.services)
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: s.name },
      spec: { selector: s.selector, ports: s.ports.map((p, i) => ({ name: `p${i}`, ...p })) },
    });
  g.policies.forEach((p, i) =>
    docs.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `np${i}` },
      spec: {
        podSelector: { matchLabels: p.podSelector },
        ingress: [{ from: [{ podSelector: { matchLabels: p.from } }] }],
      },
    }),
  );
  return docs;
}

/** The same documents written four ways: block YAML, flow YAML, one JSON array, JSON documents between ---. */
function write(docs: unknown[], style: number): string {
  if (style === 0) return docs.map((d) => stringify(d)).join('---\n');
  if (style === 1) return docs.map((d) => stringify(d, { collectionStyle: 'flow' })).join('---\n');
  if (style === 2) return JSON.stringify(docs);
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

/** Checks an independent reading of the rules over what parse accepted. */
function acceptedIsValid(s: Scenario): void {
  const maps = [
    ...s.pods.map((p) => p.spec.labels),
    ...s.services.map((v) => v.selector ?? {}),
    ...s.cluster.nodes.map((n) => n.labels),
    ...s.networkPolicies.flatMap((p) => [p.podSelector.matchLabels ?? {}]),
  ];
  for (const m of maps)
    for (const [k, v] of Object.entries(m)) {
      expect(labelKey(k), k).toBeUndefined();
      expect(labelValue(v), v).toBeUndefined();
    }
  for (const v of s.services) {
    const seen = new Set(v.ports.map((p) => `${p.port}/${p.protocol}`));
    expect(seen.size).toBe(v.ports.length);
    for (const p of v.ports)
      if (typeof p.targetPort === 'string') expect(portName(p.targetPort)).toBeUndefined();
      else expect(p.targetPort >= 1 && p.targetPort <= 65535).toBe(true);
  }
  const pinned = s.cluster.nodes.flatMap((n) => (n.podCIDR ? [parseCidr(n.podCIDR)] : []));
  for (let i = 0; i < pinned.length; i++)
    for (let j = i + 1; j < pinned.length; j++) {
      const a = pinned[i]!;
      const b = pinned[j]!;
      if (a.ok && b.ok) expect(overlaps(a.value, b.value)).toBe(false);
    }
}

describe('hostile scenarios through every stage', () => {
  it('property: refused with reasons, or accepted valid with unique IPs, exact keys and explained verdicts', () => {
    const scenario = fc.record({
      cluster: clusterDoc,
      pods: fc.uniqueArray(podDoc, { maxLength: 5, selector: (p) => `${p.namespace}/${p.name}` }),
      services: fc.uniqueArray(serviceDoc, { maxLength: 2, selector: (s) => s.name }),
      policies: fc.array(policyDoc, { maxLength: 2 }),
    });
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 3 }), (g, style) => {
        const docs = toDocs(g);
        const r = parseScenario(write(docs, style));
        seen[r.ok ? 'accepted' : 'refused']++;
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(e.document && e.message).toBeTruthy();
          return;
        }
        acceptedIsValid(r.scenario);
        // Keys arrive exactly as written: every label of every pod, none lost, none added.
        r.scenario.pods.forEach((p, i) =>
          expect(Object.entries(p.spec.labels)).toEqual(Object.entries(g.pods[i]!.labels)),
        );
        const c = realize(r.scenario);
        const running = c.pods.filter((p) => p.ip !== null && !p.hostNetwork);
        expect(new Set(running.map((p) => p.ip)).size).toBe(running.length);
        expect(new Set(c.nodes.map((n) => n.ip)).size).toBe(c.nodes.length);
        for (const w of c.warnings) expect(w.message).toBeTruthy();
        for (const p of c.pods) if (p.ip === null) expect(p.reason).toBeTruthy();
        const dp = buildDataplane(c);
        const targets = [
          ...running.map((p) => `pod/${p.namespace}/${p.name}`),
          ...c.services.map((v) => `svc/${v.namespace}/${v.name}`),
        ];
        for (const from of running.slice(0, 3))
          for (const to of targets.slice(0, 4)) {
            const t = trace(dp, { from: `pod/${from.namespace}/${from.name}`, to });
            if (!t.ok) {
              expect(t.message).toBeTruthy();
              continue;
            }
            expect(['delivered', 'dropped', 'unreachable']).toContain(t.result.verdict);
            expect(t.result.reason).toBeTruthy();
            for (const h of t.result.hops) expect(h.explain).toBeTruthy();
          }
      }),
      { numRuns: 150 },
    );
    // Both sides were exercised: the generator is hostile often enough, and valid often enough.
    expect(seen.accepted).toBeGreaterThan(15);
    expect(seen.refused).toBeGreaterThan(15);
  });
});
