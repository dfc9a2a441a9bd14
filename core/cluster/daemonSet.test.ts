// DaemonSet placement as pkg/controller/daemon does it: NodeShouldRunDaemonPod's predicates
// (nodeName, node selector, NoSchedule/NoExecute taints) over the pod with the tolerations
// util.AddOrUpdateDaemonPodTolerations adds; kind taints its control plane only when it has workers
// (kind: pkg/cluster/internal/create/actions/kubeadminit removes the taint on a single-node cluster).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from './realize';
import type { RealizedCluster } from '../api/types';

function realized(text: string): RealizedCluster {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.document} ${e.path}: ${e.message}`).join('\n'));
  return realize(r.scenario);
}

const cluster = (nodes: string, extra = '') => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: t
networking: {podSubnet: 10.244.0.0/16, serviceSubnet: 10.96.0.0/16${extra}}
nodes:
${nodes}
`;
const KIND3 = '  - role: control-plane\n  - role: worker\n  - role: worker';

const daemonSet = (spec = '', name = 'agent') => `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: kube-system}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: a, image: x}]
${spec
  .split('\n')
  .filter(Boolean)
  .map((l) => `      ${l}`)
  .join('\n')}
`;

const daemonPods = (c: RealizedCluster, name = 'agent') =>
  c.pods.filter((p) => p.owner === `DaemonSet/kube-system/${name}`);

describe('DaemonSet: one pod per eligible node', () => {
  it("skips kind's control plane (node-role.kubernetes.io/control-plane:NoSchedule) and runs on each worker", () => {
    const c = realized(cluster(KIND3) + daemonSet());
    const pods = daemonPods(c);
    expect(pods.map((p) => p.node)).toEqual(['t-worker', 't-worker2']);
    expect(pods.every((p) => p.phase === 'Running' && p.ip !== null)).toBe(true);
    // generateName NAME- plus five characters of the safe alphabet, as the controller's pods get.
    for (const p of pods) expect(p.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(new Set(pods.map((p) => p.name)).size).toBe(2);
  });

  it('runs on the control plane too when the pod tolerates its taint', () => {
    const c = realized(
      cluster(KIND3) +
        daemonSet('tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]'),
    );
    expect(daemonPods(c).map((p) => p.node)).toEqual(['t-control-plane', 't-worker', 't-worker2']);
  });

  it('runs on a lone control plane (kind removes the taint) and where the scenario removes the taint', () => {
    expect(daemonPods(realized(cluster('  - role: control-plane') + daemonSet())).map((p) => p.node)).toEqual([
      't-control-plane',
    ]);
    const untainted = cluster('  - {role: control-plane, taints: []}\n  - role: worker');
    expect(daemonPods(realized(untainted + daemonSet())).map((p) => p.node)).toEqual(['t-control-plane', 't-worker']);
  });

  it('follows nodeSelector, and a NoExecute taint keeps it off unless tolerated; PreferNoSchedule never does', () => {
    const nodes = [
      '  - {role: control-plane, taints: []}',
      '  - {role: worker, name: gpu, labels: {gpu: "yes"}}',
      '  - {role: worker, name: drained, labels: {gpu: "yes"}, taints: [{key: maintenance, effect: NoExecute}]}',
      '  - {role: worker, name: soft, labels: {gpu: "yes"}, taints: [{key: busy, effect: PreferNoSchedule}]}',
    ].join('\n');
    const c = realized(cluster(nodes) + daemonSet('nodeSelector: {gpu: "yes"}'));
    expect(daemonPods(c).map((p) => p.node)).toEqual(['gpu', 'soft']);
    const tolerant = realized(
      cluster(nodes) + daemonSet('nodeSelector: {gpu: "yes"}\ntolerations: [{key: maintenance, operator: Exists}]'),
    );
    expect(daemonPods(tolerant).map((p) => p.node)).toEqual(['gpu', 'drained', 'soft']);
  });

  it("carries the controller's default tolerations, which are what let it onto an unschedulable or pressured node", () => {
    const c = realized(cluster(KIND3) + daemonSet('hostNetwork: true'));
    const nodes = [
      '  - {role: control-plane, taints: []}',
      '  - {role: worker, name: cordoned, taints: [{key: node.kubernetes.io/unschedulable, effect: NoSchedule}]}',
      '  - {role: worker, name: full-disk, taints: [{key: node.kubernetes.io/disk-pressure, effect: NoSchedule}]}',
      '  - {role: worker, name: down, taints: [{key: node.kubernetes.io/unreachable, effect: NoExecute}]}',
      '  - {role: worker, name: no-net, taints: [{key: node.kubernetes.io/network-unavailable, effect: NoSchedule}]}',
    ].join('\n');
    // network-unavailable is tolerated by hostNetwork daemon pods only.
    expect(daemonPods(realized(cluster(nodes) + daemonSet())).map((p) => p.node)).toEqual([
      't-control-plane',
      'cordoned',
      'full-disk',
      'down',
    ]);
    expect(daemonPods(realized(cluster(nodes) + daemonSet('hostNetwork: true'))).map((p) => p.node)).toEqual([
      't-control-plane',
      'cordoned',
      'full-disk',
      'down',
      'no-net',
    ]);
    // hostNetwork daemon pods take their node's address, as kube-proxy's and the CNI's do.
    for (const p of daemonPods(c)) expect(p.ip).toBe(c.nodes.find((n) => n.name === p.node)!.ip);
  });

  it('a CNI-style DaemonSet (tolerate everything, hostNetwork) runs even on a node with no PodCIDR', () => {
    // exhausted: a /23 holds two /24s, so the third node gets no PodCIDR and the not-ready taint.
    const nodes = '  - role: control-plane\n  - role: worker\n  - role: worker';
    const text = cluster(nodes, ', nodeCIDRMaskSize: 24').replace('10.244.0.0/16', '10.244.0.0/23');
    const plain = realized(text + daemonSet());
    expect(daemonPods(plain).map((p) => p.node)).toEqual(['t-worker']);
    const cni = realized(text + daemonSet('hostNetwork: true\ntolerations: [{operator: Exists}]'));
    expect(daemonPods(cni).map((p) => [p.node, p.phase])).toEqual([
      ['t-control-plane', 'Running'],
      ['t-worker', 'Running'],
      ['t-worker2', 'Running'],
    ]);
  });

  it('a full node leaves its daemon pod Pending with the reason the scheduler gives', () => {
    const nodes = '  - {role: control-plane, taints: []}\n  - {role: worker, name: small, maxPods: 1}';
    const web = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: w, image: x}]}}
`;
    // CoreDNS prefers the control plane, so web's one replica fills "small" (kubelet --max-pods 1) first.
    const c = realized(cluster(nodes) + web + daemonSet());
    expect(c.pods.find((p) => p.owner === 'Deployment/default/web')!.node).toBe('small');
    const pods = daemonPods(c);
    expect(pods.map((p) => [p.node, p.phase])).toEqual([
      ['t-control-plane', 'Running'],
      [null, 'Pending'],
    ]);
    expect(pods[1]!.reason).toBe(
      "FailedScheduling: 0/2 nodes are available: 1 Too many pods, 1 node(s) didn't match Pod's node affinity/selector.",
    );
    expect(c.warnings.map((w) => w.code)).toContain('FailedScheduling');
  });
});
