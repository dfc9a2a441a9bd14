// Rollouts run against a live cluster: the steps and the end state they leave, for Deployments
// (rolling.go, recreate.go), StatefulSets (stateful_set_control.go) and DaemonSets (daemon/update.go).
import { describe, expect, it } from 'vitest';
import { history } from './liveHistory.testUtil';
import { parseScenario } from '../scenario/parse';
import { rolloutsOf, rolloutText, type RolloutReport } from './rolloutReport';
import { Scheduler } from './schedule';
import type { RealizedCluster } from '../api/types';

const cluster = (nodes: string[], maxPods = 110) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: live
networking: {podSubnet: 10.32.0.0/16, serviceSubnet: 10.96.0.0/12, nodeSubnet: 10.10.0.0/16}
nodes:
${nodes.map((n, i) => `  - {role: ${i === 0 ? 'control-plane' : 'worker'}, name: ${n}, taints: [], maxPods: ${maxPods}}`).join('\n')}
`;
const deployment = (replicas: number, image: string, strategy = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  ${strategy}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: ${image}}]}
`;

const shape = (r: RolloutReport) => r.steps.map((s) => `+${s.created.length} -${s.terminated.length}`);
const podsOf = (c: RealizedCluster, prefix: string) =>
  c.pods.filter((p) => p.name.startsWith(prefix)).map((p) => `${p.name} ${p.node} ${p.ip ?? '-'} ${p.phase}`);

describe('Deployment rollouts in a live cluster', () => {
  it('Recreate: all old pods go in one step, then all new pods come, reusing no address', () => {
    const recreate = 'strategy: {type: Recreate}';
    const [before, after] = history(
      cluster(['node-a', 'node-b']) + deployment(3, 'nginx', recreate),
      cluster(['node-a', 'node-b']) + deployment(3, 'nginx:2', recreate),
    );
    const [r] = rolloutsOf(after!);
    expect([r!.strategy, r!.limits]).toEqual(['Recreate', 'all old pods go, then all new pods come']);
    expect(shape(r!)).toEqual(['+0 -3', '+3 -0']);
    // host-local goes on after the last address it reserved, even with every old one free.
    const oldIps = before!.pods.filter((p) => p.namespace === 'default').map((p) => p.ip);
    for (const p of r!.steps[1]!.created) expect(oldIps).not.toContain(p.ip);
    expect(rolloutsOf(before!)).toEqual([]);
  });

  it('the scheduler places surge pods while the old ones still hold their nodes', () => {
    // One node full but for one pod: the surge pod takes the room, the next ones wait for old pods to go.
    const [, after] = history(
      cluster(['node-a'], 6) + deployment(3, 'nginx', 'strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}'),
      cluster(['node-a'], 6) + deployment(3, 'nginx:2', 'strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}'),
    );
    const [r] = rolloutsOf(after!);
    expect(shape(r!)).toEqual(['+1 -0', '+0 -1', '+1 -0', '+0 -1', '+1 -0', '+0 -1']);
    expect(r!.stalled).toBeUndefined();
    // maxPods 6 = 2 CoreDNS + 3 web + 1 surge pod at a time.
    expect(after!.pods.filter((p) => p.node === 'node-a')).toHaveLength(5);
  });

  it('a rollout that cannot finish stops: the old pods keep running beside the Pending new one', () => {
    const full = 'strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}';
    const [, after] = history(
      cluster(['node-a'], 4) + deployment(2, 'nginx', full),
      cluster(['node-a'], 4) + deployment(2, 'nginx:2', full),
    );
    const [r] = rolloutsOf(after!);
    expect(shape(r!)).toEqual(['+1 -0']);
    expect(r!.steps[0]!.created[0]!.waiting).toMatch(/^0\/1 nodes are available: 1 Too many pods/);
    expect(r!.stalled).toMatch(/^2 old pods still run and 1 new pod is not Ready/);
    const web = after!.pods.filter((p) => p.namespace === 'default');
    expect(web.map((p) => p.phase).sort()).toEqual(['Pending', 'Running', 'Running']);
  });

  it('a stalled rollout resumes once a later edit gives it room (rolling.go rolloutRolling runs on every sync)', () => {
    // pkg/controller/deployment/rolling.go: each sync scales the new ReplicaSet up and the old ones down as far as
    // maxSurge/maxUnavailable allow; the Pending new pod is scheduled as soon as a node has room.
    const full = 'strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}';
    const [, stalled, grown] = history(
      cluster(['node-a'], 4) + deployment(2, 'nginx', full),
      cluster(['node-a'], 4) + deployment(2, 'nginx:2', full),
      cluster(['node-a', 'node-b'], 4) + deployment(2, 'nginx:2', full),
    );
    const web = (c: RealizedCluster) => c.pods.filter((p) => p.namespace === 'default');
    const waiting = web(stalled!).find((p) => p.phase === 'Pending')!;
    const newPrefix = waiting.name.slice(0, waiting.name.lastIndexOf('-') + 1);
    // The Pending pod is scheduled onto the new node; then the old pods go and a second new one comes.
    expect(web(grown!).map((p) => `${p.name.startsWith(newPrefix)} ${p.phase}`)).toEqual([
      'true Running',
      'true Running',
    ]);
    expect(web(grown!).find((p) => p.name === waiting.name)?.node).toBe('node-b');
    const [r] = rolloutsOf(grown!);
    expect(r!.stalled).toBeUndefined();
    expect(shape(r!)).toEqual(['+0 -1', '+1 -0', '+0 -1']);
  });

  it('a stalled rollout re-templated: every old ReplicaSet keeps its own pods and is scaled down, unhealthy first', () => {
    // rolling.go reconcileOldReplicaSets: the Deployment controller scales all old ReplicaSets down, first the pods
    // that are not available (cleanupUnhealthyReplicas), then the oldest ReplicaSet's (by creation timestamp).
    const full = 'strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}';
    const [before, stalled, again] = history(
      cluster(['node-a'], 4) + deployment(2, 'nginx', full),
      cluster(['node-a'], 4) + deployment(2, 'nginx:2', full),
      cluster(['node-a', 'node-b'], 4) + deployment(2, 'nginx:3', full),
    );
    const rs = (c: RealizedCluster) => [...new Set(podsOf(c, 'web-').map((p) => p.split('-')[1]))];
    const [first] = rs(before!);
    const second = rs(stalled!).find((h) => h !== first)!;
    const [r] = rolloutsOf(again!);
    const actions = r!.steps.map((s) => s.action);
    // The Pending pod of the stalled ReplicaSet goes first; the first ReplicaSet's running pods go one by one.
    expect(actions[0]).toBe(`scaled down ReplicaSet web-${second} to 0`);
    expect(actions.filter((a) => a.includes(`web-${first} to`))).toEqual([
      `scaled down ReplicaSet web-${first} to 1`,
      `scaled down ReplicaSet web-${first} to 0`,
    ]);
    // Each step terminates only pods of the ReplicaSets it scaled down.
    for (const s of r!.steps)
      for (const p of s.terminated)
        expect(s.action).toContain(`ReplicaSet ${p.name.slice(0, p.name.lastIndexOf('-'))} to`);
    expect(r!.stalled).toBeUndefined();
    const third = rs(again!);
    expect(third).toHaveLength(1);
    expect([first, second]).not.toContain(third[0]);
    expect(podsOf(again!, 'web-').map((p) => p.split(' ')[3])).toEqual(['Running', 'Running']);
  });

  it('replicas and template changed together: the old ReplicaSet is scaled first (isScalingEvent)', () => {
    const [, after] = history(
      cluster(['node-a', 'node-b']) + deployment(2, 'nginx'),
      cluster(['node-a', 'node-b']) + deployment(4, 'nginx:2'),
    );
    const [r] = rolloutsOf(after!);
    expect(r!.steps[0]!.action).toMatch(/^scaled up ReplicaSet web-\w+ to 4$/);
    expect(r!.steps[0]!.created).toHaveLength(2);
    expect(after!.pods.filter((p) => p.namespace === 'default')).toHaveLength(4);
  });
});

const sts = (replicas: number, image: string, strategy = '') => `---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: ${replicas}
  serviceName: db
  ${strategy}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: ${image}}]}
`;
const ds = (image: string, strategy = '') => `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  ${strategy}
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: ${image}}]}
`;

describe('StatefulSet and DaemonSet rolling updates', () => {
  it('a StatefulSet: highest ordinal first, one pod at a time, the same name with a new IP', () => {
    const [before, after] = history(
      cluster(['node-a', 'node-b']) + sts(3, 'redis'),
      cluster(['node-a', 'node-b']) + sts(3, 'redis:8'),
    );
    const [r] = rolloutsOf(after!);
    expect(r!.steps.map((s) => `${s.terminated.map((p) => p.name)} > ${s.created.map((p) => p.name)}`)).toEqual([
      'db-2 > db-2',
      'db-1 > db-1',
      'db-0 > db-0',
    ]);
    for (const s of r!.steps) expect(s.created[0]!.ip).not.toBe(s.terminated[0]!.ip);
    expect(podsOf(after!, 'db-').map((p) => p.split(' ')[0])).toEqual(['db-0', 'db-1', 'db-2']);
    expect(podsOf(after!, 'db-')).not.toEqual(podsOf(before!, 'db-'));
  });

  it('a StatefulSet partition: ordinals below it keep running; OnDelete replaces nothing', () => {
    const [before, after] = history(
      cluster(['node-a', 'node-b']) + sts(3, 'redis', 'updateStrategy: {rollingUpdate: {partition: 2}}'),
      cluster(['node-a', 'node-b']) + sts(3, 'redis:8', 'updateStrategy: {rollingUpdate: {partition: 2}}'),
    );
    const [r] = rolloutsOf(after!);
    expect(r!.steps.map((s) => s.action)).toEqual(['deleted db-2 and created it again with the new template']);
    expect(podsOf(after!, 'db-').slice(0, 2)).toEqual(podsOf(before!, 'db-').slice(0, 2));
    const [b2, a2] = history(
      cluster(['node-a']) + sts(2, 'redis', 'updateStrategy: {type: OnDelete}'),
      cluster(['node-a']) + sts(2, 'redis:8', 'updateStrategy: {type: OnDelete}'),
    );
    expect(rolloutsOf(a2!)).toEqual([]);
    expect(podsOf(a2!, 'db-')).toEqual(podsOf(b2!, 'db-'));
  });

  it('a DaemonSet: node by node, the old pod deleted and the new one created on the same node', () => {
    const [, after] = history(
      cluster(['node-a', 'node-b', 'node-c']) + ds('agent'),
      cluster(['node-a', 'node-b', 'node-c']) + ds('agent:2'),
    );
    const [r] = rolloutsOf(after!);
    expect(r!.limits).toBe('maxUnavailable 1, maxSurge 0; one node per pod');
    expect(r!.steps.map((s) => `${s.terminated.map((p) => p.node)} > ${s.created.map((p) => p.node)}`)).toEqual([
      'node-a > node-a',
      'node-b > node-b',
      'node-c > node-c',
    ]);
    // maxUnavailable 2 (a count, or 50% of 3 rounded up): two nodes per step.
    const [, two] = history(
      cluster(['node-a', 'node-b', 'node-c']) + ds('agent', 'updateStrategy: {rollingUpdate: {maxUnavailable: 50%}}'),
      cluster(['node-a', 'node-b', 'node-c']) + ds('agent:2', 'updateStrategy: {rollingUpdate: {maxUnavailable: 50%}}'),
    );
    expect(shape(rolloutsOf(two!)[0]!)).toEqual(['+2 -2', '+1 -1']);
    // maxSurge: the new pod starts beside the old one first.
    const surge = 'updateStrategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}';
    const [, s] = history(cluster(['node-a']) + ds('agent', surge), cluster(['node-a']) + ds('agent:2', surge));
    expect(rolloutsOf(s!)[0]!.steps[0]!.action).toBe(
      'new pod started beside the old one on node-a, then the old one deleted',
    );
  });
});

describe('the strategy fields, validated as the API server does', () => {
  const errors = (strategy: string, kind: 'deployment' | 'ds' = 'deployment') => {
    const r = parseScenario(
      cluster(['node-a']) + (kind === 'ds' ? ds('agent', strategy) : deployment(2, 'nginx', strategy)),
    );
    return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  };
  it('Deployment: ints or percentages, not both 0, maxUnavailable at most 100%, no rollingUpdate with Recreate', () => {
    expect(errors('strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0%}}')).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: may not be 0 when `maxSurge` is 0',
    ]);
    expect(errors('strategy: {rollingUpdate: {maxSurge: 20Percent}}')).toEqual([
      "spec.strategy.rollingUpdate.maxSurge: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
    expect(errors('strategy: {rollingUpdate: {maxUnavailable: 110%}}')).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: must not be greater than 100%',
    ]);
    expect(errors('strategy: {rollingUpdate: {maxSurge: -1}}')).toEqual([
      'spec.strategy.rollingUpdate.maxSurge: must be greater than or equal to 0',
    ]);
    expect(errors('strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}')).toEqual([
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
    expect(errors('strategy: {type: BlueGreen}')).toEqual([
      'spec.strategy.type: supported values: "Recreate", "RollingUpdate"',
    ]);
    // A field left out takes its default (25%): maxSurge 0 alone is valid.
    expect(errors('strategy: {rollingUpdate: {maxSurge: 0}}')).toEqual([]);
  });

  it('DaemonSet: exactly one of maxSurge and maxUnavailable is non-zero', () => {
    expect(errors('updateStrategy: {rollingUpdate: {maxSurge: 1}}', 'ds')).toEqual([
      'spec.updateStrategy.rollingUpdate.maxSurge: may not be set when maxUnavailable is non-zero',
    ]);
    expect(errors('updateStrategy: {rollingUpdate: {maxUnavailable: 0}}', 'ds')).toEqual([
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
  });
});

describe('what the steps carry', () => {
  it('a step counts every pod and lists the first 50, with the rest as "and N more"', () => {
    const recreate = 'strategy: {type: Recreate}';
    const [, after] = history(
      cluster(['node-a', 'node-b']) + deployment(60, 'nginx', recreate),
      cluster(['node-a', 'node-b']) + deployment(60, 'nginx:2', recreate),
    );
    const [r] = rolloutsOf(after!);
    expect(r!.steps.map((s) => [s.createdCount, s.created.length, s.terminatedCount, s.terminated.length])).toEqual([
      [0, 0, 60, 50],
      [60, 50, 0, 0],
    ]);
    expect(rolloutText(r!)).toContain('     - ... and 10 more pods');
  });

  it('Scheduler.release: a node that lost a pod is the emptiest again, and a full node takes a pod again', () => {
    const node = (name: string, maxPods = 110) => ({ name, labels: {}, taints: [], maxPods, count: 0 });
    const spec = { labels: {}, ports: [], tolerations: [], hostNetwork: false };
    const s = new Scheduler([node('a', 2), node('b', 2)]);
    expect([...s.place(spec, 4).nodes]).toEqual([0, 1, 0, 1]);
    expect(s.place(spec, 1).nodes[0]).toBe(-1);
    s.release(1);
    expect([...s.place(spec, 1).nodes]).toEqual([1]);
  });
});
