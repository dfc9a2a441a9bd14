import { describe, expect, it } from 'vitest';
import { groupKernelChanges, kernelGroupHeading } from './kernelChangeGroups';

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
