import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../api/types';
import { ipEndpoint, judge, type Endpoint, type PolicyContext } from './evaluate';
import { ALL_PODS, contextOf, NAMESPACES, np, PODS } from './testModel';

// Random policies over the upstream e2e model (namespaces x/y/z, pods a/b/c).
const labelSel = fc.oneof(
  fc.constant({}),
  fc.constantFrom(...PODS).map((p) => ({ matchLabels: { pod: p } })),
  fc
    .subarray([...PODS], { minLength: 1 })
    .map((v) => ({ matchExpressions: [{ key: 'pod', operator: 'NotIn', values: v }] })),
);
const nsSel = fc.oneof(
  fc.constant({}),
  fc.constantFrom(...NAMESPACES).map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })),
);
const peer = fc.oneof(
  labelSel.map((s) => ({ podSelector: s })),
  nsSel.map((s) => ({ namespaceSelector: s })),
  fc.tuple(labelSel, nsSel).map(([p, n]) => ({ podSelector: p, namespaceSelector: n })),
  fc.constantFrom('10.244.0.0/16', '10.244.1.0/24', '0.0.0.0/0', '8.8.8.0/24').map((cidr) => ({ ipBlock: { cidr } })),
);
const port = fc.oneof(
  fc.record({ port: fc.constantFrom(80, 81) }),
  fc.record({ port: fc.constantFrom('serve-80-tcp', 'serve-81-tcp') }),
  fc.record({ protocol: fc.constantFrom('UDP', 'TCP') }),
  fc.constant({ port: 79, endPort: 80 }),
);
const rule = (key: 'from' | 'to') =>
  fc.record({ [key]: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) });
const spec = fc.record({
  podSelector: labelSel,
  policyTypes: fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(rule('from'), { maxLength: 2 }),
  egress: fc.array(rule('to'), { maxLength: 2 }),
});
const policy = fc.tuple(fc.constantFrom(...NAMESPACES), spec);
const policies = fc.array(policy, { maxLength: 4 }).map((ps) => ps.map(([ns, s], i) => np(ns, `p${i}`, s)));

const endpoints: Endpoint[] = [...ALL_PODS, ipEndpoint('8.8.8.8'), ipEndpoint('172.18.0.3', 'worker')];
const conns: [number, Protocol][] = [
  [80, 'TCP'],
  [81, 'TCP'],
  [80, 'UDP'],
];

function allowedSet(ctx: PolicyContext): Set<string> {
  const out = new Set<string>();
  endpoints.forEach((s, i) =>
    endpoints.forEach((d, j) => {
      for (const [p, proto] of conns) if (judge(ctx, s, d, p, proto).allowed) out.add(`${i}>${j}:${p}/${proto}`);
    }),
  );
  return out;
}

describe('NetworkPolicy properties', () => {
  // policyTypes is always explicit here: when it is omitted, adding the first egress rule also adds "Egress"
  // (SetDefaults_NetworkPolicy) and so can isolate a pod: a change of type, not an added allow.
  it('adding an allow rule never removes reachability (policies are additive)', () => {
    fc.assert(
      fc.property(
        policies,
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        rule('from'),
        rule('to'),
        (docs, at, ingress, inRule, outRule) => {
          fc.pre(docs.length > 0);
          const before = allowedSet(contextOf(docs));
          const grown = structuredClone(docs) as { spec: { ingress: unknown[]; egress: unknown[] } }[];
          const target = grown[at % grown.length]!.spec;
          if (ingress) target.ingress.push(inRule);
          else target.egress.push(outRule);
          const after = allowedSet(contextOf(grown));
          for (const k of before) expect(after.has(k)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a policy that selects no pod changes nothing', () => {
    fc.assert(
      fc.property(policies, spec, fc.constantFrom(...NAMESPACES), (docs, s, ns) => {
        const none = np(ns, 'selects-nothing', { ...s, podSelector: { matchLabels: { pod: 'no-such-pod' } } });
        expect(allowedSet(contextOf([...docs, none]))).toEqual(allowedSet(contextOf(docs)));
      }),
      { numRuns: 150 },
    );
  });

  it('ingress-only policies never block egress', () => {
    fc.assert(
      fc.property(policies, (docs) => {
        const ingressOnly = docs.map((d) => ({ ...d, spec: { ...(d.spec as object), policyTypes: ['Ingress'] } }));
        const ctx = contextOf(ingressOnly);
        for (const s of endpoints) for (const d of endpoints) expect(judge(ctx, s, d, 80).egress.allowed).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('every verdict explains itself: an allowed isolated direction names its rule, a denied one its policies', () => {
    fc.assert(
      fc.property(policies, (docs) => {
        const ctx = contextOf(docs);
        for (const s of endpoints) {
          for (const d of endpoints) {
            const v = judge(ctx, s, d, 80);
            expect(v.allowed).toBe(v.egress.allowed && v.ingress.allowed);
            for (const dir of [v.egress, v.ingress]) {
              if (!dir.allowed) expect(dir.reason).toContain(dir.policies[0]!);
              if (!dir.isolated) expect(dir.allowed).toBe(true);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
