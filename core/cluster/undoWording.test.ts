// An Undo of an image change returns to the state before it; the change list says so, and what a live cluster
// would do instead (kubectl rollout undo is a rollout of its own).
import { webDeployment } from '../scenario/webDeployment.testUtil';
import { describe, expect, it } from 'vitest';
import { history } from './liveHistory.testUtil';
import { diffClusters } from './diff';
import { clusterChanges } from './liveDiff';

const scenario = (image: string) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: undo
nodes:
  - {role: control-plane, taints: []}
${webDeployment(2, { port: false, image })}`;

describe('undoing an image change', () => {
  const [before, rolled] = history(scenario('nginx'), scenario('nginx:2'));
  const removals = (a = rolled!, b = before!) =>
    diffClusters(a, b)
      .filter((c) => c.kind === 'removed' && c.ref.startsWith('pod/default/web-'))
      .map((c) => c.message);

  it('the edit itself is a rolling update to the new ReplicaSet', () => {
    const forward = diffClusters(before!, rolled!).filter((c) => c.kind === 'removed');
    expect(forward.length).toBe(2);
    for (const c of forward)
      expect(c.message).toMatch(/replaced: the rolling update to ReplicaSet web-\w+ terminates it$/);
  });

  it('its Undo is worded as a return to the state before, with what kubectl rollout undo would do', () => {
    const back = removals();
    expect(back.length).toBe(2);
    const oldRs = before!.pods.find((p) => p.name.startsWith('web-'))!.name.replace(/-\w+$/, '');
    for (const m of back) {
      expect(m).not.toMatch(/rolling update/);
      expect(m).toContain(`gone: Undo returns to the state before the edit, where ReplicaSet ${oldRs} ran`);
      expect(m).toContain(`kubectl rollout undo is a rollout of its own: ReplicaSet ${oldRs} scales up again`);
    }
    const why = clusterChanges(rolled!, before!).pods.replaced.map((r) => r.why);
    expect(why).toHaveLength(2);
    for (const w of why) expect(w).toMatch(/^Undo returns to the state before the edit/);
  });
});
