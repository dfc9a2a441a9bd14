// The lab's life cycle on a real kernel: running the script again rebuilds the
// same lab, two prefixes coexist, --teardown removes exactly one prefix's
// namespaces (and succeeds when there is nothing to remove), and processes
// left running in a lab namespace do not stop its teardown.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { renderRouteTable } from '../core/dataplane/dataplane';
import { labNames, labPods } from '../core/lab/script';
import {
  buildLab,
  dataplaneOf,
  kernelLabUnavailable,
  labNamespaces,
  scenarioText,
  sh,
  teardownLab,
  testPrefix,
} from './kernelLab';

const why = kernelLabUnavailable('the kernel lab life-cycle tests');

describe.skipIf(why !== undefined)('kernel lab life cycle', () => {
  const dp = dataplaneOf(scenarioText());
  const vx = dataplaneOf(scenarioText('vxlan.yaml'));
  const a = testPrefix('la');
  const b = testPrefix('lb');
  const expected = (prefix: string, d = dp) => {
    const names = labNames(prefix, d.cluster);
    return [names.underlay, ...d.cluster.nodes.flatMap((n) => [names.node(n), ...labPods(n).map(names.pod)])].sort();
  };

  afterAll(() => {
    // Whatever happened above, nothing with these prefixes is left behind.
    teardownLab(dp, a);
    teardownLab(dp, b);
    expect([...labNamespaces(a), ...labNamespaces(b)]).toEqual([]);
  }, 60_000);

  it('--teardown with nothing to remove succeeds', () => {
    expect(labNamespaces(a)).toEqual([]);
    teardownLab(dp, a);
    expect(labNamespaces(a)).toEqual([]);
  });

  it('running the script twice rebuilds the same lab: the same namespaces and the same routes', () => {
    buildLab(dp, a);
    const node = dp.cluster.nodes[0]!;
    const first = sh(['ip', '-n', labNames(a, dp.cluster).node(node), 'route']);
    buildLab(dp, a);
    expect(labNamespaces(a)).toEqual(expected(a));
    const again = sh(['ip', '-n', labNames(a, dp.cluster).node(node), 'route']);
    expect(again).toBe(first);
    expect(again).toBe(renderRouteTable(dp.node(node.name)!.routes));
  }, 60_000);

  it('a second lab with another prefix (and another scenario) coexists, and tearing one down leaves the other whole', () => {
    buildLab(vx, b);
    expect(labNamespaces(a)).toEqual(expected(a));
    expect(labNamespaces(b)).toEqual(expected(b, vx));
    teardownLab(vx, b);
    expect(labNamespaces(b)).toEqual([]);
    expect(labNamespaces(a)).toEqual(expected(a));
    const node = dp.cluster.nodes[1]!;
    expect(sh(['ip', '-n', labNames(a, dp.cluster).node(node), 'route'])).toBe(
      renderRouteTable(dp.node(node.name)!.routes),
    );
  }, 60_000);

  it('a process still running in a pod namespace does not stop the rebuild or the teardown', async () => {
    const pod = dp.cluster.nodes.flatMap(labPods)[0]!;
    const sleeper = spawn('ip', ['netns', 'exec', labNames(a, dp.cluster).pod(pod), 'sleep', '300'], {
      stdio: 'ignore',
    });
    try {
      await new Promise((ok) => setTimeout(ok, 200));
      buildLab(dp, a);
      expect(labNamespaces(a)).toEqual(expected(a));
      teardownLab(dp, a);
      expect(labNamespaces(a)).toEqual([]);
    } finally {
      sleeper.kill();
    }
  }, 60_000);
});
