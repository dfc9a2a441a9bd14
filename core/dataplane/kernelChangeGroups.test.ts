import { describe, expect, it } from 'vitest';
import { editKernelChanges, groupKernelChanges, kernelGroupHeading } from './kernelChangeGroups';
import { buildDataplane } from './dataplane';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { generateScenarioText } from '../scenario/generate';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { liveStateOf } from '../cluster/liveState';

describe('groupKernelChanges', () => {
  it('puts nodes whose routes and rules changed alike together, in their order', () => {
    const same = {
      routes: { added: ['10.32.2.0/24 via 10.10.2.1 dev eth0 '], removed: [] },
      rules: { added: [], removed: [] },
    };
    const groups = groupKernelChanges([
      { node: 'node-a', ...same },
      {
        node: 'node-b',
        routes: { added: [], removed: [] },
        rules: { added: ['-t nat -A X'], removed: ['-t nat -A Y'] },
      },
      { node: 'node-c', ...same },
    ]);
    expect(groups.map(kernelGroupHeading)).toEqual([
      'node-a, node-c: routes +1 -0, kube-proxy rules +0 -0',
      'node-b: routes +0 -0, kube-proxy rules +1 -1',
    ]);
  });
});

describe('kernelGroupHeading', () => {
  const group = (n: number) => ({
    nodes: Array.from({ length: n }, (_, i) => `node-${i + 1}`),
    routes: { added: ['10.32.9.0/24 via 10.10.9.1 dev eth0 '], removed: [] },
    rules: { added: [], removed: [] },
  });
  it('names up to ten nodes', () => {
    expect(kernelGroupHeading(group(10))).toBe(
      'node-1, node-2, node-3, node-4, node-5, node-6, node-7, node-8, node-9, node-10: routes +1 -0, kube-proxy rules +0 -0',
    );
  });
  it('names the first ten of more, then how many more', () => {
    expect(kernelGroupHeading(group(1500))).toBe(
      'node-1, node-2, node-3, node-4, node-5, node-6, node-7, node-8, node-9, node-10 and 1,490 more: routes +1 -0, kube-proxy rules +0 -0',
    );
  });
});

describe('editKernelChanges', () => {
  const realized = (text: string) => {
    const p = parseScenario(text);
    if (!p.ok) throw new Error(p.errors[0]!.message);
    return realize(p.scenario);
  };
  it('compares a small cluster node by node, as k8snet diff does', () => {
    const before = realized(DEFAULT_SCENARIO_YAML);
    const after = realize(parseOk(DEFAULT_SCENARIO_YAML.replace('replicas: 4', 'replicas: 2')), liveStateOf(before));
    const k = editKernelChanges(buildDataplane(before), buildDataplane(after));
    expect('groups' in k && k.groups.map(kernelGroupHeading)).toEqual([
      'node-a, node-b: routes +0 -0, kube-proxy rules +2 -10',
    ]);
  });
  it('leaves a cluster past the budget to the CLI, and says so', () => {
    const c = realized(generateScenarioText({ nodes: 100, podsPerNode: 30, podsPerService: 30 }));
    const k = editKernelChanges(buildDataplane(c), buildDataplane(c));
    expect('skipped' in k && k.skipped).toMatch(/^Node kernels not compared here: 100 nodes' .*k8snet diff lists them/);
    // A 50-node cluster (50 x 1,552 = 77,600) is compared in the page.
    const mid = realized(generateScenarioText({ nodes: 50, podsPerNode: 30, podsPerService: 30 }));
    expect('groups' in editKernelChanges(buildDataplane(mid), buildDataplane(mid))).toBe(true);
  });
});

function parseOk(text: string) {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return p.scenario;
}
