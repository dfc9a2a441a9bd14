// `k8snet diff` and `--from`: each edit gives the diff a live cluster would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../core/scenario/defaultScenario';
import { runCli } from './runCli.testUtil';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-diff-'));
const file = (name: string, text: string) => {
  const p = join(dir, `${name}.yaml`);
  writeFileSync(p, text);
  return p;
};
const base = DEFAULT_SCENARIO_YAML;
const before = file('before', base);
const nodeC = file(
  'add-node',
  base.replace('    ip: 10.10.1.1\n', '    ip: 10.10.1.1\n  - role: worker\n    name: node-c\n    ip: 10.10.2.1\n'),
);
const six = file('six', base.replace('replicas: 4', 'replicas: 6'));
const two = file('two', base.replace('replicas: 4', 'replicas: 2'));
const image = file('image', base.replace('image: nginx', 'image: nginx:1.27'));
const noB = file('no-node-b', base.replace('  - role: worker\n    name: node-b\n    ip: 10.10.1.1\n', ''));
const debug = file(
  'debug',
  `${base}---\napiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec: {nodeName: node-b, containers: [{name: sh, image: busybox}]}\n`,
);

interface Json {
  nodes: { added: { name: string; podCIDR: string }[]; removed: { name: string; podCIDR: string }[] };
  pods: {
    added: { name: string; node: string; ip: string }[];
    removed: { name: string; node: string; ip: string }[];
    replaced: { old: { name: string; ip: string }; new: { name: string; ip: string }; why: string }[];
  };
  endpoints: { service: string; gained: string[]; lost: string[] }[];
  kernels: {
    node: string;
    routes: { added: string[]; removed: string[] };
    rules: { added: string[]; removed: string[] };
  }[];
  rollouts: {
    kind: string;
    name: string;
    limits: string;
    steps: { action: string; created: { name: string; node: string; ip: string }[]; terminated: { name: string }[] }[];
  }[];
}
const diff = (...args: string[]): Json => {
  const r = runCli(['diff', ...args, '--json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Json;
};

describe('k8snet diff', () => {
  it('adding a node: its PodCIDR, a route to it on every other node, and no pod moves', () => {
    const d = diff(before, nodeC);
    expect(d.nodes.added).toEqual([{ name: 'node-c', ip: '10.10.2.1', podCIDR: '10.32.2.0/24' }]);
    expect(d.pods).toEqual({ added: [], removed: [], replaced: [] });
    expect(d.endpoints).toEqual([]);
    expect(d.kernels.map((k) => [k.node, k.routes.added, k.rules.added.length])).toEqual([
      ['node-a', ['10.32.2.0/24 via 10.10.2.1 dev eth0 '], 0],
      ['node-b', ['10.32.2.0/24 via 10.10.2.1 dev eth0 '], 0],
    ]);
    const text = runCli(['diff', before, nodeC]).out;
    expect(text).toContain('Nodes added (1)\n  node-c 10.10.2.1 PodCIDR 10.32.2.0/24');
    expect(text).toContain('Pods added (0)');
  });

  it('scaling up: two new pods after the last reserved addresses; the Service gains them; kube-proxy adds their chains', () => {
    const d = diff(before, six);
    // The four running pods keep 10.32.0.4-5 and 10.32.1.2-3; host-local hands out the next ones.
    expect(d.pods.added.map((p) => `${p.node} ${p.ip}`)).toEqual(['node-b 10.32.1.4', 'node-a 10.32.0.6']);
    expect(d.endpoints).toEqual([
      { service: 'default/web', gained: ['10.32.0.6:8080/TCP', '10.32.1.4:8080/TCP'], lost: [] },
    ]);
    const rules = d.kernels[0]!.rules;
    // Two KUBE-SEP chains of two rules each plus their declarations, and the service's probability ladder rewritten.
    expect([rules.added.length, rules.removed.length]).toEqual([12, 4]);
    expect(rules.added.filter((l) => l.includes('DNAT'))).toHaveLength(2);
  });

  it('scaling down: the ReplicaSet controller removes two pods; their endpoints and KUBE-SEP chains go', () => {
    const d = diff(before, two);
    // Equal rank (2 per node) and age: ActivePodsWithRanks falls back to the UID order (here the names).
    expect(d.pods.removed.map((p) => p.name).sort()).toEqual(['web-85469b5d-5khj2', 'web-85469b5d-8g4nh']);
    expect(d.endpoints[0]!.lost.sort()).toEqual(['10.32.0.4:8080/TCP', '10.32.1.3:8080/TCP']);
    expect(d.kernels[0]!.rules.removed.filter((l) => l.startsWith('-t nat :KUBE-SEP-'))).toHaveLength(2);
  });

  it('deleting and re-creating a pod: it comes back with the next address, not its old one', () => {
    // History: debug runs (10.32.1.4), is deleted (before.yaml), is created again.
    const d = diff(before, debug, '--from', debug);
    expect(d.pods.added).toEqual([{ namespace: 'default', name: 'debug', node: 'node-b', ip: '10.32.1.5' }]);
    const first = diff(before, debug);
    expect(first.pods.added[0]!.ip).toBe('10.32.1.4');
  });

  it('removing a node: its PodCIDR released, its pods recreated on node-a, their endpoints and route gone', () => {
    const d = diff(before, noB);
    expect(d.nodes.removed).toEqual([{ name: 'node-b', ip: '10.10.1.1', podCIDR: '10.32.1.0/24' }]);
    expect(d.pods.replaced.map((r) => `${r.old.ip} -> ${r.new.ip}`)).toEqual([
      '10.32.1.2 -> 10.32.0.6',
      '10.32.1.3 -> 10.32.0.7',
    ]);
    expect(d.pods.replaced[0]!.why).toBe('its node node-b was removed; Deployment/default/web made a new pod');
    expect(d.kernels.map((k) => [k.node, k.routes.removed])).toEqual([
      ['node-a', ['10.32.1.0/24 via 10.10.1.1 dev eth0 ']],
    ]);
    // The node joins again: cidrset resumes after the last block it handed out, so not 10.32.1.0/24.
    expect(diff(noB, before, '--from', before).nodes.added).toEqual([
      { name: 'node-b', ip: '10.10.1.1', podCIDR: '10.32.2.0/24' },
    ]);
  });

  it('changing an image: a rolling update replaces every web pod with a new ReplicaSet and new IPs', () => {
    const d = diff(before, image);
    expect(d.pods.added).toEqual([]);
    expect(d.pods.removed).toEqual([]);
    expect(d.pods.replaced).toHaveLength(4);
    for (const r of d.pods.replaced) {
      expect(r.old.name).toMatch(/^web-85469b5d-/);
      expect(r.new.name).not.toMatch(/^web-85469b5d-/);
      expect(r.why).toMatch(/^rolling update: ReplicaSet web-\w+ replaces web-85469b5d; the old pod terminates$/);
    }
    // The end state is the rollout's (below): surge pods land while the old ones still fill node-a.
    expect(d.pods.replaced.map((r) => r.new.ip).sort()).toEqual(['10.32.0.6', '10.32.1.4', '10.32.1.5', '10.32.1.6']);
    expect(d.endpoints[0]!.gained).toHaveLength(4);
    expect(d.endpoints[0]!.lost).toHaveLength(4);
    expect(d.pods).not.toHaveProperty('rollouts');
  });

  it('changing an image: the rolling update step by step, in JSON and as text', () => {
    const d = diff(before, image);
    expect(d.rollouts).toHaveLength(1);
    const r = d.rollouts[0]!;
    expect([r.kind, r.name, r.limits]).toEqual([
      'Deployment',
      'web',
      'maxSurge 1 (25% of 4), maxUnavailable 1 (25% of 4)',
    ]);
    // 25% of 4 is maxSurge 1 (rounded up) and maxUnavailable 1 (rounded down): +1 new (5 pods), old down by 2
    // (5 available, 3 must stay), +2, -2, +1 (rolling.go reconcileNewReplicaSet / reconcileOldReplicaSets).
    expect(r.steps.map((s) => `${s.action}: +${s.created.length} -${s.terminated.length}`)).toEqual([
      'scaled up ReplicaSet web-7d8b86d9f9 to 1: +1 -0',
      'scaled down ReplicaSet web-85469b5d to 2: +0 -2',
      'scaled up ReplicaSet web-7d8b86d9f9 to 3: +2 -0',
      'scaled down ReplicaSet web-85469b5d to 0: +0 -2',
      'scaled up ReplicaSet web-7d8b86d9f9 to 4: +1 -0',
    ]);
    // The ReplicaSet controller deletes first where the Deployment has most pods (node-b: 2 old + 1 new).
    expect(r.steps[1]!.terminated.map((p) => p.name)).toEqual(['web-85469b5d-ff229', 'web-85469b5d-5khj2']);
    // host-local hands out the next address after the last it reserved on that node.
    expect(r.steps.flatMap((s) => s.created.map((p) => `${p.node} ${p.ip}`))).toEqual([
      'node-b 10.32.1.4',
      'node-b 10.32.1.5',
      'node-a 10.32.0.6',
      'node-b 10.32.1.6',
    ]);
    const text = runCli(['diff', before, image]).out;
    expect(text).toContain(
      'Rolling update of Deployment default/web (maxSurge 1 (25% of 4), maxUnavailable 1 (25% of 4)): 5 steps',
    );
    expect(text).toContain(
      '    1. scaled up ReplicaSet web-7d8b86d9f9 to 1\n       + web-7d8b86d9f9-2bqgm on node-b 10.32.1.4\n    2. scaled down ReplicaSet web-85469b5d to 2\n       - web-85469b5d-ff229 on node-b 10.32.1.2',
    );
    expect(text).toContain('Each step starts once the pods the step before created are Ready');
    // A change that touches no template sets off no rollout.
    expect(diff(before, six).rollouts).toEqual([]);
    expect(runCli(['diff', before, six]).out).not.toContain('Rollouts');
  });

  it('maxSurge 1 and maxUnavailable 0: one new pod, then one old pod goes, four times', () => {
    const strategy =
      'spec:\n  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n  replicas: 4';
    const s = file('surge-before', base.replace('spec:\n  replicas: 4', strategy));
    const t = file(
      'surge-after',
      base.replace('spec:\n  replicas: 4', strategy).replace('image: nginx', 'image: nginx:1.27'),
    );
    const r = diff(s, t).rollouts[0]!;
    expect(r.limits).toBe('maxSurge 1, maxUnavailable 0');
    expect(r.steps.map((x) => `+${x.created.length} -${x.terminated.length}`)).toEqual([
      '+1 -0',
      '+0 -1',
      '+1 -0',
      '+0 -1',
      '+1 -0',
      '+0 -1',
      '+1 -0',
      '+0 -1',
    ]);
    expect(runCli(['diff', s, t]).out).toContain(
      'Rolling update of Deployment default/web (maxSurge 1, maxUnavailable 0): 8 steps',
    );
  });

  it('a Service on 14 nodes alike: the heading names ten and counts the rest; --json lists every node', () => {
    const many = base.replace('nodes:\n', `nodes:\n${'  - role: worker\n'.repeat(12)}`);
    const svc = `${many}---\napiVersion: v1\nkind: Service\nmetadata: {name: web2}\nspec: {selector: {app: web}, ports: [{port: 81, targetPort: 8080}]}\n`;
    const [a, b] = [file('many', many), file('many-svc', svc)];
    const text = runCli(['diff', a, b]).out;
    expect(text).toContain('Node kernels changed (14)');
    expect(text).toMatch(
      /\n {2}talk-worker, (talk-worker\d, ){8}talk-worker10 and 4 more: routes \+0 -0, kube-proxy rules \+\d+ -0\n/,
    );
    expect(diff(a, b).kernels).toHaveLength(14);
  });

  it('says what it needs', () => {
    const r = runCli(['diff', before]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('diff needs two scenario files: BEFORE AFTER');
  });
});

describe('--from on the commands that read a scenario', () => {
  it('realize AFTER --from BEFORE keeps the running pods where they are', () => {
    const fresh = runCli(['realize', nodeC]).out;
    const live = runCli(['realize', nodeC, '--from', before]).out;
    // A new cluster with three nodes spreads the pods onto node-c; the live one leaves them be.
    expect(fresh).toMatch(/node-c +worker +10\.10\.2\.1 +10\.32\.2\.0\/24 +10\.32\.2\.1 +1/);
    expect(live).toMatch(/node-c +worker +10\.10\.2\.1 +10\.32\.2\.0\/24 +10\.32\.2\.1 +0/);
  });

  it('routes and trace (--history) read the live cluster', () => {
    const routes = runCli(['routes', noB, '--node', 'node-a', '--from', before], '').out;
    expect(routes).not.toContain('10.32.1.0/24');
    const t = runCli([
      'trace',
      image,
      '--history',
      before,
      '--from',
      'node/node-a',
      '--to',
      '10.32.1.4',
      '--port',
      '8080',
    ]);
    expect(t.code).toBe(0);
    // 10.32.1.4 is the rolled-out pod of the live cluster; a new cluster has no pod there.
    expect(t.out).toContain('=> DELIVERED: delivered to pod default/web-7d8b86d9f9-2bqgm at 10.32.1.4:8080');
    const fresh = runCli(['trace', image, '--from', 'node/node-a', '--to', '10.32.1.4', '--port', '8080']);
    expect(fresh.out).toContain('=> UNREACHABLE: no pod has 10.32.1.4');
  });
});
