// NetworkPolicy egress to addresses outside the cluster (8.8.8.8, the internet): judged like
// any other destination, with the kubernetes.io "Network Policies" page's examples
// (ipBlock with except, ports, endPort) and the well-known egress recipes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';

const dataplane = (yaml: string) => {
  const p = parseScenario(yaml);
  if (!p.ok) throw new Error(p.errors.map((e) => e.message).join('; '));
  return buildDataplane(realize(p.scenario));
};
const egressPolicy = (egress: string) =>
  `${DEFAULT_SCENARIO_YAML}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress: ${egress}\n`;

function outcome(dp: ReturnType<typeof dataplane>, to: string, port: number) {
  const web = dp.cluster.pods.find((p) => p.owner === 'Deployment/default/web')!;
  const r = trace(dp, { from: `pod/default/${web.name}`, to, port });
  if (!r.ok) throw new Error(r.message);
  return { web, result: r.result, last: r.result.hops.at(-1)! };
}

describe('NetworkPolicy egress to addresses outside the cluster', () => {
  it('default deny all egress ("policyTypes: [Egress]", no rules): 8.8.8.8:443 is dropped on the pod\'s node before it leaves', () => {
    const { web, result, last } = outcome(dataplane(egressPolicy('[]')), '8.8.8.8', 443);
    expect(result.verdict).toBe('dropped');
    expect(result.reason).toMatch(/isolated for egress by default\/out and no rule allows TCP 443 to 8\.8\.8\.8/);
    expect([last.node, last.action, last.device]).toEqual([web.node, 'drop', 'NetworkPolicy (egress)']);
    expect(last.rule).toBe(`postrouting: ip saddr @podips-v4 queue to 100\nset podips-v4: ${web.ip}`);
    // Nothing leaves: no hop after the drop, no reply, no conntrack entry for a masquerade.
    expect(result.reply).toBeUndefined();
    expect(result.hops.some((h) => h.action === 'snat' && h.step > last.step)).toBe(false);
  });

  it('without any policy the same trace leaves the cluster (nothing judges it)', () => {
    const { result } = outcome(dataplane(DEFAULT_SCENARIO_YAML), '8.8.8.8', 443);
    expect(result.verdict).toBe('delivered');
    expect(result.reason).toMatch(/left the cluster towards 8\.8\.8\.8/);
  });

  it('ipBlock 0.0.0.0/0 except 10.0.0.0/8 (the "internet but not the private ranges" recipe): 8.8.8.8 allowed, 10.1.2.3 dropped', () => {
    const dp = dataplane(egressPolicy('[{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}]'));
    const open = outcome(dp, '8.8.8.8', 443);
    expect(open.result.verdict).toBe('delivered');
    const allow = open.result.hops.find((h) => h.action === 'allow')!;
    expect(allow.device).toBe('NetworkPolicy (egress)');
    expect(allow.explain).toContain('allowed by default/out egress[0]');
    const blocked = outcome(dp, '10.1.2.3', 443);
    expect(blocked.result.verdict).toBe('dropped');
    expect(blocked.result.reason).toContain('no rule allows TCP 443 to 10.1.2.3');
  });

  it("kubernetes.io's egress example: ipBlock 10.0.0.0/24 on TCP 5978 only, and endPort 32000-32768", () => {
    const dp = dataplane(
      egressPolicy(
        '[{to: [{ipBlock: {cidr: 10.0.0.0/24}}], ports: [{protocol: TCP, port: 5978}]}, {to: [{ipBlock: {cidr: 10.0.0.0/24}}], ports: [{protocol: TCP, port: 32000, endPort: 32768}]}]',
      ),
    );
    // 10.0.0.0/24 is outside this cluster's pod, Service and node ranges (10.10.0.0/16 is the node network).
    expect(outcome(dp, '10.0.0.7', 5978).result.verdict).toBe('delivered');
    expect(outcome(dp, '10.0.0.7', 5979).result.verdict).toBe('dropped');
    expect(outcome(dp, '10.0.0.7', 32768).result.verdict).toBe('delivered');
    expect(outcome(dp, '10.0.0.7', 32769).result.verdict).toBe('dropped');
    expect(outcome(dp, '10.0.1.7', 5978).result.verdict).toBe('dropped');
  });

  it('policy-deny-egress-except-dns.yaml: DNS and web -> api pass, the internet does not', () => {
    const dp = dataplane(
      readFileSync(join(__dirname, '../../public/scenarios/policy-deny-egress-except-dns.yaml'), 'utf8'),
    );
    const web = dp.cluster.pods.find((p) => p.owner === 'Deployment/default/web')!;
    const api = dp.cluster.pods.find((p) => p.owner === 'Deployment/default/api')!;
    const run = (to: string, port?: number) => {
      const r = trace(dp, { from: `pod/default/${web.name}`, to, ...(port ? { port } : {}) });
      if (!r.ok) throw new Error(r.message);
      return r.result;
    };
    // The lookup itself is allowed by allow-dns (UDP 53 to CoreDNS in kube-system).
    const dns = run('kubernetes.default.svc.cluster.local');
    expect(dns.dns?.query.verdict).toBe('delivered');
    expect(run(`pod/default/${api.name}`, 9000).verdict).toBe('delivered');
    const internet = run('8.8.8.8', 443);
    expect(internet.verdict).toBe('dropped');
    expect(internet.reason).toMatch(
      /isolated for egress by default\/default-deny-egress, default\/allow-dns, default\/web-to-api/,
    );
    const api80 = run(`pod/default/${api.name}`, 80);
    expect(api80.verdict).toBe('dropped');
  });
});
