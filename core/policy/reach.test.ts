import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import type { Scenario } from '../api/types';
import { policyContext } from './evaluate';
import { reachMatrix, renderReach, targetText, type ReachMatrix } from './reach';

const dir = join(__dirname, '../../public/scenarios');

function load(file: string): Scenario {
  const r = parseScenario(readFileSync(join(dir, file), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

function matrixOf(file: string, opts: Parameters<typeof reachMatrix>[2] = {}): ReachMatrix {
  const s = load(file);
  expect(s.warnings).toEqual([]);
  return reachMatrix(policyContext(s.networkPolicies, s.namespaces), realize(s), opts);
}

/** "from -> to:port" => mark, for whole-table assertions. */
function table(m: ReachMatrix): Record<string, string> {
  const label = new Map(m.workloads.map((w) => [w.id, w.label]));
  const out: Record<string, string> = {};
  m.cells.forEach((row, i) =>
    row.forEach(
      (c, j) =>
        (out[`${m.workloads[i]!.label} -> ${targetText(m.targets[j]!, label.get(m.targets[j]!.workload)!)}`] = c.state),
    ),
  );
  return out;
}

describe('public/scenarios/policy-*.yaml', () => {
  it('policy-deny-all-ingress.yaml: every cell denied ("Default deny all ingress traffic")', () => {
    const m = matrixOf('policy-deny-all-ingress.yaml');
    expect(new Set(Object.values(table(m)))).toEqual(new Set(['denied']));
  });

  it('policy-limit-to-workload.yaml: only api reaches db; the rest stays open', () => {
    const t = table(matrixOf('policy-limit-to-workload.yaml'));
    expect(t['default/web -> default/db:5432']).toBe('denied');
    expect(t['default/api -> default/db:5432']).toBe('allowed');
    expect(t['default/web -> default/api:9000']).toBe('allowed');
  });

  it('policy-allow-namespace.yaml: frontend namespace in; monitoring only on the named metrics port', () => {
    const t = table(matrixOf('policy-allow-namespace.yaml'));
    expect(t['frontend/web -> backend/api:9000']).toBe('allowed');
    expect(t['monitoring/prometheus -> backend/api:9090']).toBe('allowed');
    expect(t['monitoring/prometheus -> backend/api:9000']).toBe('denied');
  });

  it('policy-deny-egress-except-dns.yaml: DNS to coredns over UDP and TCP 53, web to api, nothing else', () => {
    const t = table(matrixOf('policy-deny-egress-except-dns.yaml', { includeSystem: true }));
    expect(t['default/api -> kube-system/coredns:53/UDP']).toBe('allowed');
    expect(t['default/api -> kube-system/coredns:53']).toBe('allowed');
    expect(t['default/api -> kube-system/coredns:9153']).toBe('denied');
    expect(t['default/web -> default/api:9000']).toBe('allowed');
    expect(t['default/api -> default/web:8080']).toBe('denied');
  });

  it('policy-allow-external.yaml: web takes no pod traffic and sends none (pod IPs sit in an except)', () => {
    const t = table(matrixOf('policy-allow-external.yaml'));
    expect(t['default/api -> default/web:8080']).toBe('denied');
    expect(t['default/web -> default/api:9000']).toBe('denied');
    expect(t['default/api -> default/api:9000']).toBe('allowed');
  });

  it('policy-and-or-mistake.yaml: one peer with both selectors (AND) vs two peers (OR), "Behavior of to and from selectors"', () => {
    const t = table(matrixOf('policy-and-or-mistake.yaml'));
    expect(
      ['alice/client', 'alice/batch', 'bob/client', 'default/client'].map((s) => [
        t[`${s} -> default/db-and:5432`],
        t[`${s} -> default/db-or:5432`],
      ]),
    ).toEqual([
      ['allowed', 'allowed'], // in alice and role=client: both
      ['denied', 'allowed'], // in alice, not a client: only OR
      ['denied', 'denied'], // a client in bob: neither (a podSelector alone means the policy's namespace)
      ['denied', 'allowed'], // a client in the policy's namespace: only OR
    ]);
  });

  it('renders an aligned table with a line per denied cell', () => {
    const text = renderReach(matrixOf('policy-limit-to-workload.yaml'));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^FROM \\ TO\s+default\/web:8080\s+default\/api:9000\s+default\/db:5432$/);
    expect(lines[1]!.indexOf('✓')).toBe(lines[0]!.indexOf('default/web:8080'));
    expect(text).toMatch(
      /default\/web → default\/db:5432: pod default\/db-\S+ is isolated for ingress by default\/db-from-api and no rule allows TCP 5432 from pod default\/web-\S+ \(10\.244\.\d+\.\d+\)/,
    );
    expect(renderReach(matrixOf('policy-limit-to-workload.yaml'), { ascii: true })).toContain('no');
  });

  it('--port judges one port on every destination', () => {
    const m = matrixOf('policy-limit-to-workload.yaml', { port: 5432 });
    expect(m.targets.map((t) => t.port)).toEqual([5432, 5432, 5432]);
  });
});

describe('the connections’ family', () => {
  const ipv6Only = () => {
    const text = readFileSync(join(dir, 'policy-limit-to-workload.yaml'), 'utf8').replace(
      'networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n',
      'networking:\n  ipFamily: ipv6\n',
    );
    const r = parseScenario(text);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return realize(r.scenario);
  };

  it('is IPv6 by default in an IPv6 single-stack cluster: the pods are judged at their only addresses', () => {
    const c = ipv6Only();
    const text = renderReach(reachMatrix(policyContext(c.policies, c.namespaces), c));
    expect(text).toMatch(/default\/web\s+✓\s+✓\s+✗/);
    expect(text).toMatch(/from pod default\/web-\S+ \(fd00:10:244:/);
  });
});

describe('rules in words', () => {
  it('reads a policy out rule by rule: AND within a peer, OR between peers, ports and ranges', async () => {
    const { policyRuleLines } = await import('./describe');
    const { parseScenario } = await import('../scenario/parse');
    const p = parseScenario(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: default}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: api}}}, {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
      ports: [{port: 5432}, {protocol: UDP, port: 30000, endPort: 30010}]
  egress: []
  policyTypes: [Ingress, Egress]
`);
    if (!p.ok) throw new Error(p.errors[0]!.message);
    expect(policyRuleLines(p.scenario.networkPolicies[0]!)).toEqual([
      'default/db ingress[0]: from pods app=api in namespaces team=a or addresses in 10.0.0.0/8 except 10.1.0.0/16; on TCP 5432, UDP 30000-30010',
      'default/db egress: no rules, so nothing is allowed',
    ]);
  });
});
