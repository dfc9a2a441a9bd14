// A live cluster through edits, pinned against the upstream components each rule follows.
import { describe, expect, it } from 'vitest';
import { history } from './liveHistory.testUtil';
import { parseScenario } from '../scenario/parse';
import { clusterChanges } from './liveDiff';
import { deletionOrder } from './scaleDown';
import { deploymentHash } from '../store/podStore';
import type { RealizedCluster } from '../api/types';

const cluster = (nodes: string[], mask = 24) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: live
networking: {podSubnet: 10.32.0.0/16, serviceSubnet: 10.96.0.0/12, nodeCIDRMaskSize: ${mask}, nodeSubnet: 10.10.0.0/16}
nodes:
${nodes.map((n, i) => `  - {role: ${i === 0 ? 'control-plane' : 'worker'}, name: ${n}, taints: []}`).join('\n')}
`;
const deployment = (replicas: number, image = 'nginx', name = 'web') => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: ${image}, ports: [{containerPort: 8080}]}]}
`;
const service = (name = 'web', type = 'ClusterIP') => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {type: ${type}, selector: {app: ${name}}, ports: [{port: 80, targetPort: 8080}]}
`;

const where = (c: RealizedCluster) =>
  Object.fromEntries(c.pods.map((p) => [`${p.namespace}/${p.name}`, `${p.node} ${p.ip}`]));
const webPods = (c: RealizedCluster) => c.pods.filter((p) => p.namespace === 'default');

describe('a live cluster keeps what runs', () => {
  it('adding a node moves no pod; the node gets the next PodCIDR and every node a route to it', () => {
    const [before, after] = history(
      cluster(['node-a', 'node-b']) + deployment(4) + service(),
      cluster(['node-a', 'node-b', 'node-c']) + deployment(4) + service(),
    );
    // The scheduler places new pods only; a running pod is never moved (kube-scheduler binds each pod once).
    expect(where(after!)).toEqual(where(before!));
    const d = clusterChanges(before!, after!);
    expect(d.nodes.added).toEqual([{ name: 'node-c', ip: '10.10.0.4', podCIDR: '10.32.2.0/24' }]);
    expect(d.pods).toEqual({ added: [], removed: [], replaced: [] });
    expect(d.endpoints).toEqual([]);
    expect(after!.services.find((s) => s.name === 'web')!.clusterIP).toBe(
      before!.services.find((s) => s.name === 'web')!.clusterIP,
    );
  });

  it('scaling up keeps the running pods and gives the new ones the addresses after the last reserved', () => {
    const [before, after] = history(
      cluster(['node-a', 'node-b']) + deployment(2),
      cluster(['node-a', 'node-b']) + deployment(4),
    );
    for (const p of webPods(before!)) expect(where(after!)[`default/${p.name}`]).toBe(`${p.node} ${p.ip}`);
    const added = clusterChanges(before!, after!).pods.added;
    expect(added).toHaveLength(2);
    // coredns took .2 and .3 on node-a (the control plane, where add-ons start), web one more address per node.
    expect(added.map((p) => `${p.node} ${p.ip}`).sort()).toEqual(['node-a 10.32.0.5', 'node-b 10.32.1.3']);
  });

  it('scaling down removes the pods the ReplicaSet controller ranks first: the node with more of them', () => {
    // Three pods run on node-a alone; node-b joins and the fourth pod, the newest, lands there (fewest pods).
    const [, four, three] = history(
      cluster(['node-a']) + deployment(3),
      cluster(['node-a', 'node-b']) + deployment(4),
      cluster(['node-a', 'node-b']) + deployment(3),
    );
    const onB = webPods(four!).filter((p) => p.node === 'node-b');
    expect(onB).toHaveLength(1);
    // getPodsRankedByRelatedPodsOnSameNode: node-a's pods rank 3, node-b's rank 1, so one of node-a's goes
    // though node-b's is newer: rule 5 (doubled up) comes before rule 8 (creation time).
    const removed = clusterChanges(four!, three!).pods.removed;
    expect(removed.map((p) => p.node)).toEqual(['node-a']);
    expect(webPods(three!).filter((p) => p.node === 'node-b')).toEqual(onB);
  });

  it('scaling down among equals removes the newest pods first (ActivePodsWithRanks rule 8)', () => {
    const [one, up, down] = history(
      cluster(['node-a', 'node-b']) + deployment(2),
      cluster(['node-a', 'node-b']) + deployment(4),
      cluster(['node-a', 'node-b']) + deployment(2),
    );
    expect(webPods(down!).map((p) => p.name)).toEqual(webPods(one!).map((p) => p.name));
    expect(clusterChanges(up!, down!).pods.removed.map((p) => p.name)).toEqual(
      clusterChanges(one!, up!).pods.added.map((p) => p.name),
    );
  });

  it('a deleted and re-created pod gets the next address: host-local reuses a freed one only after the range wraps', () => {
    const pod = `---
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec: {nodeName: node-a, containers: [{name: sh, image: busybox}]}
`;
    const [first, gone, again] = history(cluster(['node-a']) + pod, cluster(['node-a']), cluster(['node-a']) + pod);
    const ip = (c: RealizedCluster) => c.pods.find((p) => p.name === 'debug')?.ip;
    expect(ip(first!)).toBe('10.32.0.4'); // after coredns' .2 and .3
    expect(ip(gone!)).toBeUndefined();
    expect(ip(again!)).toBe('10.32.0.5'); // .4 is free again, but the allocator resumes after last_reserved_ip
    const d = clusterChanges(gone!, again!);
    expect(d.pods.added).toEqual([{ namespace: 'default', name: 'debug', node: 'node-a', ip: '10.32.0.5' }]);
  });

  it('a /29 range wraps: once the addresses after the last reserved are used up, the freed ones come back', () => {
    // /29: .1 is cni0, pods get .2-.6. coredns .2 .3, web .4 .5 .6; scale 3 -> 1 frees two, 1 -> 3 wraps to them.
    const [, , up] = history(
      cluster(['node-a'], 29) + deployment(3),
      cluster(['node-a'], 29) + deployment(1),
      cluster(['node-a'], 29) + deployment(3),
    );
    expect(
      webPods(up!)
        .map((p) => p.ip)
        .sort(),
    ).toEqual(['10.32.0.4', '10.32.0.5', '10.32.0.6']);
    expect(up!.warnings.filter((w) => w.code === 'FailedCreatePodSandBox')).toEqual([]);
  });

  it('removing a node recreates its pods elsewhere and releases its PodCIDR, which cidrset hands out only after wrapping', () => {
    const [before, after, readded] = history(
      cluster(['node-a', 'node-b', 'node-c']) + deployment(3) + service(),
      cluster(['node-a', 'node-c']) + deployment(3) + service(),
      cluster(['node-a', 'node-c', 'node-b']) + deployment(3) + service(),
    );
    const d = clusterChanges(before!, after!);
    expect(d.nodes.removed).toEqual([{ name: 'node-b', ip: '10.10.0.3', podCIDR: '10.32.1.0/24' }]);
    expect(d.pods.replaced).toHaveLength(1);
    expect(d.pods.replaced[0]!.old.node).toBe('node-b');
    expect(d.pods.replaced[0]!.why).toMatch(/node node-b was removed/);
    const web = d.endpoints.find((e) => e.service === 'default/web')!;
    expect([web.gained.length, web.lost.length]).toEqual([1, 1]);
    // node-c keeps its IP although it is now the second node (kind's Docker network never renumbers a node).
    expect(after!.nodes.map((n) => `${n.name} ${n.ip} ${n.podCIDR}`)).toEqual([
      'node-a 10.10.0.2 10.32.0.0/24',
      'node-c 10.10.0.4 10.32.2.0/24',
    ]);
    // cidrset.Release leaves nextCandidate alone: node-b coming back gets 10.32.3.0/24, not its old block.
    expect(readded!.nodes.find((n) => n.name === 'node-b')!.podCIDR).toBe('10.32.3.0/24');
  });

  it('a new node mask is a new cidrset, but running nodes keep their /24: spec.podCIDR never changes', () => {
    const [, after] = history(cluster(['node-a', 'node-b']), cluster(['node-a', 'node-b', 'node-c'], 26));
    // The range allocator occupies each node's existing podCIDR in the new set (Occupy marks the four /26 blocks
    // a /24 overlaps), so the new node gets the first free /26, counted from the new set's start.
    expect(after!.nodes.map((n) => n.podCIDR)).toEqual(['10.32.0.0/24', '10.32.1.0/24', '10.32.2.0/26']);
    expect(after!.warnings.find((w) => w.code === 'NodeKeepsPodCIDR')?.message).toMatch(
      /^node mask \/26: 2 running nodes \(node-a, …\) keep their PodCIDR of the old size/,
    );
  });

  it('changing an image rolls the Deployment to a new ReplicaSet: new pod-template-hash, names and IPs', () => {
    const [before, after, back] = history(
      cluster(['node-a', 'node-b']) + deployment(2) + service(),
      cluster(['node-a', 'node-b']) + deployment(2, 'nginx:1.27') + service(),
      cluster(['node-a', 'node-b']) + deployment(2) + service(),
    );
    const d = clusterChanges(before!, after!);
    expect(d.pods.added).toEqual([]);
    expect(d.pods.removed).toEqual([]);
    expect(d.pods.replaced).toHaveLength(2);
    const oldHash = webPods(before!)[0]!.name.split('-')[1];
    const newHash = webPods(after!)[0]!.name.split('-')[1];
    expect(newHash).not.toBe(oldHash);
    // The image is not part of the template shape our hash covers, so the hash repeats and the Deployment
    // controller bumps status.collisionCount to 1 (controller.ComputeHash(template, collisionCount)).
    const spec = after!.pods.find((p) => p.namespace === 'default')!;
    expect(spec.owner).toBe('Deployment/default/web');
    for (const r of d.pods.replaced) {
      expect(r.why).toMatch(/^rolling update/);
      expect(r.new.ip).not.toBe(r.old.ip);
    }
    expect(after!.services.find((s) => s.name === 'web')!.clusterIP).toBe(
      before!.services.find((s) => s.name === 'web')!.clusterIP,
    );
    // Rolling back finds the old ReplicaSet by its template and scales it up again: the old hash, new pods.
    const rolledBack = webPods(back!);
    expect(rolledBack.every((p) => p.name.startsWith(`web-${oldHash}-`))).toBe(true);
    expect(rolledBack.map((p) => p.name)).not.toEqual(webPods(before!).map((p) => p.name));
  });

  it('a Deployment hash that repeats takes collisionCount 1, as the Deployment controller does', () => {
    const spec = { labels: { app: 'web' }, ports: [], tolerations: [], hostNetwork: false };
    expect(deploymentHash(spec, 1)).not.toBe(deploymentHash(spec));
    const [, after] = history(cluster(['node-a']) + deployment(1), cluster(['node-a']) + deployment(1, 'nginx:2'));
    const hash = webPods(after!)[0]!.name.split('-')[1];
    const r = parseScenario(cluster(['node-a']) + deployment(1, 'nginx:2'));
    if (!r.ok) throw new Error('parse');
    expect(hash).toBe(deploymentHash(r.scenario.workloads[0]!.template, 1));
  });

  it('a NodePort Service keeps its ClusterIP and NodePort when a new Service asks for that port', () => {
    const asks = (port: number) => `---
apiVersion: v1
kind: Service
metadata: {name: other}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 81, targetPort: 8080, nodePort: ${port}}]}
`;
    const [before] = history(cluster(['node-a']) + deployment(1) + service('web', 'NodePort'));
    const held = before!.services.find((s) => s.name === 'web')!.ports[0]!.nodePort!;
    const [, after] = history(
      cluster(['node-a']) + deployment(1) + service('web', 'NodePort'),
      cluster(['node-a']) + deployment(1) + asks(held) + service('web', 'NodePort'),
    );
    expect(after!.services.find((s) => s.name === 'web')!.ports[0]!.nodePort).toBe(held);
    // The apiserver's portallocator refuses the request: the port is allocated.
    expect(after!.warnings.map((w) => w.message).join('\n')).toContain(`${held}: provided port is already allocated`);
  });
});

describe('StatefulSets and DaemonSets in a live cluster', () => {
  const sts = (replicas: number, image = 'redis') => `---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: ${replicas}
  serviceName: db
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: ${image}}]}
`;
  const ds = `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: agent}]}
`;
  it('a StatefulSet scale-down removes the highest ordinals; a rolling update recreates each pod under its name', () => {
    const [three, two, rolled] = history(
      cluster(['node-a', 'node-b']) + sts(3),
      cluster(['node-a', 'node-b']) + sts(2),
      cluster(['node-a', 'node-b']) + sts(2, 'redis:8'),
    );
    expect(clusterChanges(three!, two!).pods.removed.map((p) => p.name)).toEqual(['db-2']);
    const d = clusterChanges(two!, rolled!);
    expect(d.pods.replaced.map((r) => `${r.old.name}>${r.new.name}`)).toEqual(['db-0>db-0', 'db-1>db-1']);
    for (const r of d.pods.replaced) expect(r.new.ip).not.toBe(r.old.ip);
  });

  it('a DaemonSet adds one pod on a new node and leaves the others alone', () => {
    const [before, after] = history(cluster(['node-a', 'node-b']) + ds, cluster(['node-a', 'node-b', 'node-c']) + ds);
    const d = clusterChanges(before!, after!);
    expect(d.pods.added.map((p) => p.node)).toEqual(['node-c']);
    expect(d.pods.removed).toEqual([]);
    expect(d.pods.replaced).toEqual([]);
  });
});

describe('deletionOrder (controller_utils.go ActivePodsWithRanks.Less)', () => {
  it('unassigned, then Pending, then more colocated, then newer, then by UID', () => {
    const pods = [
      { name: 'old-a', node: 0, running: true, born: 0 },
      { name: 'new-b', node: 1, running: true, born: 2 },
      { name: 'new-a', node: 0, running: true, born: 2 },
      { name: 'pending', node: -1, running: false, born: 0 },
      { name: 'bound-pending', node: 1, running: false, born: 0 },
    ];
    const onNode = (n: number) => (n === 0 ? 2 : 1);
    expect(deletionOrder(pods, onNode).map((i) => pods[i]!.name)).toEqual([
      'pending',
      'bound-pending',
      'new-a',
      'old-a',
      'new-b',
    ]);
  });
});
