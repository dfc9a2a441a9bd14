// NetworkPolicy hops in traces, as kube-network-policies enforces them: the first node whose
// table queues the connection judges egress and ingress together (evaluatePacket in
// pkg/networkpolicy), after DNAT; replies are never judged (kubernetes.io "Network Policies").
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';

const withPolicies = (yaml: string) => {
  const p = parseScenario(`${DEFAULT_SCENARIO_YAML}---\n${yaml}`);
  if (!p.ok) throw new Error(p.errors.map((e) => e.message).join('; '));
  return buildDataplane(realize(p.scenario));
};
const DENY_INGRESS =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: default}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n';
const ALLOW_FROM_WEB =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-web, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: http}]}]\n';
const DENY_EGRESS =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: no-egress, namespace: default}\nspec: {podSelector: {}, policyTypes: [Egress]}\n';

describe('NetworkPolicy in traces', () => {
  it("default deny ingress: the Service trace is dropped after DNAT where kube-network-policies first queues it (the client's node: podSelector {} selects the client too)", () => {
    const dp = withPolicies(DENY_INGRESS);
    const web = dp.cluster.pods.find((p) => p.owner === 'Deployment/default/web')!;
    const r = trace(dp, { from: `pod/default/${web.name}`, to: 'svc/default/web' });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.verdict).toBe('dropped');
    const last = r.result.hops.at(-1)!;
    expect([last.action, last.device]).toEqual(['drop', 'NetworkPolicy (ingress)']);
    expect(last.explain).toMatch(/isolated for ingress by default\/deny and no rule allows TCP 8080/);
    // The evidence is a rule of the enforcer's table: the client pod's address is in podips-v4 on its node.
    expect(last.node).toBe(web.node);
    expect(last.rule).toBe(`postrouting: ip saddr @podips-v4 queue to 100\nset podips-v4: ${web.ip}`);
    expect(r.result.hops.some((h) => h.action === 'dnat')).toBe(true);
    expect(r.result.reply).toBeUndefined();
  });

  it('an allow rule with a named port lets web reach web; the hop names the policy rule and the queue rule; the reply is not judged', () => {
    const dp = withPolicies(DENY_INGRESS + '---\n' + ALLOW_FROM_WEB);
    const [a, b] = dp.cluster.pods.filter((p) => p.owner === 'Deployment/default/web');
    const r = trace(dp, { from: `pod/default/${a!.name}`, to: `pod/default/${b!.name}` });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.verdict).toBe('delivered');
    const allow = r.result.hops.find((h) => h.action === 'allow')!;
    expect(allow.rule).toBe(`postrouting: ip saddr @podips-v4 queue to 100\nset podips-v4: ${a!.ip}`);
    expect(allow.explain).toContain('allowed by default/allow-web ingress[0]');
    expect(r.result.reply?.hops.some((h) => h.device.startsWith('NetworkPolicy'))).toBe(false);
    expect(r.result.hops.map((h) => h.step)).toEqual(r.result.hops.map((_, i) => i + 1));
  });

  it('a pod not selected by any policy is not isolated: no policy hop at all', () => {
    const dp = withPolicies(DENY_INGRESS);
    const dns = dp.cluster.pods.find((p) => p.namespace === 'kube-system')!;
    const web = dp.cluster.pods.find((p) => p.owner === 'Deployment/default/web')!;
    const r = trace(dp, {
      from: `pod/default/${web.name}`,
      to: `pod/kube-system/${dns.name}`,
      port: 53,
      protocol: 'UDP',
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.verdict).toBe('delivered');
    expect(r.result.hops.some((h) => h.device.startsWith('NetworkPolicy'))).toBe(false);
  });

  it("deny egress: even the DNS lookup is dropped on the client's own node", () => {
    const dp = withPolicies(DENY_EGRESS);
    const web = dp.cluster.pods.find((p) => p.owner === 'Deployment/default/web')!;
    const r = trace(dp, { from: `pod/default/${web.name}`, to: 'web.default.svc.cluster.local' });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.verdict).toBe('dropped');
    expect(r.result.reason).toMatch(
      /^DNS lookup failed: NetworkPolicy: pod default\/web-\S+ is isolated for egress by default\/no-egress/,
    );
    const drop = r.result.dns!.query.hops.at(-1)!;
    expect([drop.node, drop.device]).toEqual([web.node, 'NetworkPolicy (egress)']);
  });

  it('a node reaches its own pods whatever the policies say (the documented exception)', () => {
    const dp = withPolicies(DENY_INGRESS);
    const web = dp.cluster.pods.find((p) => p.owner === 'Deployment/default/web' && p.node === 'node-b')!;
    const r = trace(dp, { from: 'node/node-b', to: `pod/default/${web.name}` });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.verdict).toBe('delivered');
    // kube-network-policies: "Don't process traffic generated from the root user in the Node" (meta skuid 0 accept).
    expect(r.result.hops.find((h) => h.action === 'allow')?.rule).toBe('postrouting: meta skuid 0 accept');
  });
});
