// Pods with spec.nodeName skip the scheduler and are admitted by the named node's kubelet
// (kubelet/lifecycle/predicate.go): pod count, node selector, NoExecute taints only.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from './realize';

const CLUSTER = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: t
nodes:
  - role: control-plane
  - role: worker
    maxPods: 1
  - role: worker
    name: drained
    taints: [{key: maintenance, value: "yes", effect: NoExecute}]
`;

const pod = (name: string, spec: string) =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: i}], ${spec}}\n`;

function realized(docs: string) {
  const r = parseScenario(CLUSTER + docs);
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return realize(r.scenario);
}

describe('nodeName-pinned pods are admitted as the kubelet admits them', () => {
  it('a pod pinned to the NoSchedule-tainted control plane runs there (the scheduler’s taint filter does not apply)', () => {
    const c = realized(pod('pinned', 'nodeName: t-control-plane'));
    const p = c.pods.find((x) => x.name === 'pinned')!;
    expect(p).toMatchObject({ node: 't-control-plane', phase: 'Running' });
    expect(c.warnings.filter((w) => w.subject === 'pod/default/pinned')).toEqual([]);
  });

  it('a NoExecute taint the pod does not tolerate is refused as TaintToleration', () => {
    const c = realized(pod('evicted', 'nodeName: drained'));
    expect(c.pods.find((x) => x.name === 'evicted')).toMatchObject({ node: null, phase: 'Pending' });
    const w = c.warnings.find((x) => x.subject === 'pod/default/evicted')!;
    expect(w.code).toBe('TaintToleration');
    expect(w.message).toBe(
      "pod default/evicted is Pending: rejected by the kubelet on drained (the pod would be Failed): Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate ({maintenance: yes}:NoExecute)",
    );
    const tolerated = realized(pod('ok', 'nodeName: drained, tolerations: [{key: maintenance, operator: Exists}]'));
    expect(tolerated.pods.find((x) => x.name === 'ok')).toMatchObject({ node: 'drained', phase: 'Running' });
  });

  it('a full node refuses as OutOfpods; a node selector the node does not match as NodeAffinity', () => {
    const full = realized(pod('one', 'nodeName: t-worker') + pod('two', 'nodeName: t-worker'));
    expect(full.pods.find((x) => x.name === 'one')!.phase).toBe('Running');
    const w = full.warnings.find((x) => x.subject === 'pod/default/two')!;
    expect(w.code).toBe('OutOfpods');
    expect(w.message).toContain("Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1");
    const sel = realized(pod('picky', 'nodeName: t-control-plane, nodeSelector: {disk: ssd}'));
    expect(sel.warnings.find((x) => x.subject === 'pod/default/picky')!.code).toBe('NodeAffinity');
  });

  it('a pod pinned to a node that does not exist stays Pending and says why', () => {
    const c = realized(pod('lost', 'nodeName: nowhere'));
    const w = c.warnings.find((x) => x.subject === 'pod/default/lost')!;
    expect(w.code).toBe('NodeNotFound');
    expect(w.message).toMatch(/^pod default\/lost is Pending: spec.nodeName is "nowhere", which is no node/);
  });
});
