import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { checkThreeRules } from './threeRules';

const cluster = () => {
  const p = parseScenario(DEFAULT_SCENARIO_YAML);
  if (!p.ok) throw new Error('must parse');
  return realize(p.scenario);
};

describe('the three rules of the network model', () => {
  it("hold on the talk's cluster", () => {
    const rules = checkThreeRules(buildDataplane(cluster()));
    expect(rules.map((r) => [r.rule, r.holds])).toEqual([
      ['pod to pod without NAT', true],
      ['node to pod without NAT', true],
      ['a pod sees itself at the IP others see it at', true],
    ]);
  });

  it('break, with a counterexample, when a node sits outside the routed node network', () => {
    // host-gw needs every node on one L2 network; a node elsewhere gets no route, so its pods are reached only via NAT to the outside.
    const c = cluster();
    c.nodes[1]!.ip = '192.168.7.7';
    const rules = checkThreeRules(buildDataplane(c));
    const podRule = rules.find((r) => r.rule === 'pod to pod without NAT')!;
    expect(podRule.holds).toBe(false);
    expect(podRule.counterexample).toMatch(/→/);
  });
});

describe('the three rules under NetworkPolicy', () => {
  it('pairs a policy blocks are left out, not counted as NAT', () => {
    const p = parseScenario(
      `${DEFAULT_SCENARIO_YAML}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: default}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`,
    );
    if (!p.ok) throw new Error('must parse');
    const rules = checkThreeRules(buildDataplane(realize(p.scenario)));
    expect(rules.every((r) => r.holds)).toBe(true);
    expect(rules[0]!.evidence).toMatch(/blocked by NetworkPolicy left out/);
  });
});
