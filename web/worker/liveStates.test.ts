// The worker's live states: an edit to a big scenario applies to the state it was made on, and a state the
// worker dropped is recomputed along its chain to the very same cluster.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../core/scenario/parse';
import { realize } from '../../core/cluster/realize';
import type { RealizedCluster, Scenario } from '../../core/api/types';
import { LiveStates, MissingText } from './liveStates';
import { webDeployment } from '../../core/scenario/webDeployment.testUtil';

const text = (nodes: number, replicas: number) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: live
networking: {podSubnet: 10.32.0.0/16, serviceSubnet: 10.96.0.0/12, nodeCIDRMaskSize: 24, nodeSubnet: 10.10.0.0/16}
nodes:
${Array.from({ length: nodes }, (_, i) => `  - {role: ${i === 0 ? 'control-plane' : 'worker'}, name: node-${i}, taints: []}`).join('\n')}
${webDeployment(replicas, { port: false })}`;
const scenario = (t: string): Scenario => {
  const p = parseScenario(t);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return p.scenario;
};
const where = (c: RealizedCluster) =>
  c.pods.filter((p) => p.namespace === 'default').map((p) => `${p.name} ${p.node} ${p.ip}`);
const states = (keep = 4) => {
  const fresh: string[] = [];
  const s = new LiveStates<string>(
    (t) => t,
    (t, sc) => {
      fresh.push(t);
      return realize(sc);
    },
    keep,
  );
  return { s, fresh };
};

const [a, b, c] = [text(2, 4), text(3, 4), text(3, 6)];

describe('the worker carries the live cluster', () => {
  it('an edit keeps running pods where they run, unlike a new cluster of the same text', () => {
    const { s } = states();
    const first = s.apply(1, a, scenario(a), []);
    const added = s.apply(2, b, scenario(b), [{ id: 1, text: a }]);
    expect(where(added)).toEqual(where(first));
    // Realized afresh, the same text spreads the four pods over three nodes: pods would move.
    expect(where(realize(scenario(b)))).not.toEqual(where(first));
    const scaled = s.apply(3, c, scenario(c), [
      { id: 1, text: a },
      { id: 2, text: b },
    ]);
    for (const p of where(first)) expect(where(scaled)).toContain(p);
    expect(where(scaled)).toHaveLength(6);
  });

  it('a state it no longer holds is recomputed along its chain to the same cluster; Undo finds it exactly', () => {
    const { s, fresh } = states(1);
    const first = s.apply(1, a, scenario(a), []);
    const added = s.apply(2, b, scenario(b), [{ id: 1, text: a }]);
    s.apply(3, c, scenario(c), [
      { id: 1, text: a },
      { id: 2, text: b },
    ]);
    expect(s.has(2)).toBe(false);
    // Undo to state 2: rebuilt from the new cluster of `a` and the edit to `b`, pod for pod.
    const again = s.stateOf([
      { id: 1, text: a },
      { id: 2, text: b },
    ])!;
    expect(again).not.toBe(added);
    expect(where(again)).toEqual(where(added));
    expect(where(again)).toEqual(where(first));
    expect(fresh).toEqual([a, a]);
  });

  it('a held state needs no text; one it must recompute without a text asks for it', () => {
    const { s } = states(1);
    s.apply(1, a, scenario(a), []);
    s.apply(2, b, scenario(b), [{ id: 1 }]);
    expect(s.stateOf([{ id: 1 }, { id: 2 }])).toBeDefined();
    s.apply(3, c, scenario(c), [{ id: 1 }, { id: 2 }]);
    expect(() => s.stateOf([{ id: 1 }, { id: 2 }])).toThrow(MissingText);
    const missing = (() => {
      try {
        s.stateOf([{ id: 1, text: a }, { id: 2 }]);
      } catch (e) {
        return (e as MissingText).where;
      }
    })();
    expect(missing).toEqual({ state: 2 });
  });
});
