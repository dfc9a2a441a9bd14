// Lab names on a real kernel: pods whose namespace and name would run together, and names longer
// than a netns name may be, all get their own namespace; a command that fails midway leaves nothing.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { labNames, labPods, labScript } from '../core/lab/script';
import {
  buildLab,
  dataplaneOf,
  kernelLabUnavailable,
  labNamespaces,
  nsExec,
  teardownLab,
  testPrefix,
} from './kernelLab';

const why = kernelLabUnavailable('the kernel lab name tests');

const long = (c: string) => `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${c.repeat(61)}`;
const pod = (ns: string, name: string) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: "${name}", namespace: ${ns}}\nspec: {containers: [{name: c, image: i}]}\n`;
const TEXT =
  'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: t\nnetworking: {nodeSubnet: 172.30.0.0/16}\n' +
  pod('a-b', 'c') +
  pod('a', 'b-c') +
  pod('n'.repeat(63), long('x')) +
  pod('n'.repeat(63), long('y'));

describe.skipIf(why !== undefined)('kernel lab: names', () => {
  const dp = dataplaneOf(TEXT);
  // A long prefix, so the longest pod names pass the kernel's 255 characters.
  const prefix = `${testPrefix('names')}-${'p'.repeat(20)}`;
  afterAll(() => {
    teardownLab(dp, prefix);
    expect(labNamespaces(prefix)).toEqual([]);
  }, 60_000);

  it('builds a namespace per pod, each holding its own pod IP, though names run together or are too long', () => {
    buildLab(dp, prefix);
    const names = labNames(prefix, dp.cluster);
    const pods = dp.cluster.nodes.flatMap(labPods);
    expect(labNamespaces(prefix)).toHaveLength(1 + dp.cluster.nodes.length + pods.length);
    for (const p of pods) expect(nsExec(names.pod(p), 'ip', '-4', '-o', 'addr', 'show', 'eth0')).toContain(`${p.ip}/`);
  });

  it('a command that fails midway removes what the script made and says which line failed', () => {
    teardownLab(dp, prefix);
    const script = labScript(dp, { prefix }).replace(/^(ip -n \S+ link set cni0 up)$/m, '$1\nfalse');
    let stderr = '';
    try {
      execFileSync('bash', ['-s'], { input: script, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      stderr = String((e as { stderr?: string }).stderr);
    }
    expect(stderr).toMatch(new RegExp(`lab ${prefix}: failed at line \\d+: false; removing the namespaces it made`));
    expect(labNamespaces(prefix)).toEqual([]);
  });
});
