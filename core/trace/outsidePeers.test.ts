import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';
import { traceJson } from './types';

const dpOf = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};
const run = (text: string, from: string, to: string) => {
  const r = trace(dpOf(text), { from, to });
  if (!r.ok) throw new Error(r.message);
  return r.result;
};
const nodeport = readFileSync(join(__dirname, '../../public/scenarios/nodeport.yaml'), 'utf8');

// The hops that exchange the packet with a place outside every namespace say which place, so a view
// can draw the external client and the default gateway without deciding it again.
describe('hops that cross the edge of the cluster name the place outside', () => {
  it("an external client's packet comes from the client, and the reply leaves towards it", () => {
    // nodeport.yaml's first worker is 172.18.0.3 (kind's second address) and frontend's nodePort is 30080.
    const r = run(nodeport, 'external', '172.18.0.3:30080');
    expect(r.hops[0]).toMatchObject({ action: 'receive', cameFrom: { kind: 'external client', ip: '203.0.113.10' } });
    expect(r.hops.slice(1).every((h) => h.cameFrom === undefined)).toBe(true);
    expect(r.reply!.hops.at(-1)).toMatchObject({
      action: 'route',
      leavesTo: { kind: 'external client', ip: '203.0.113.10' },
    });
    expect(r.hops.every((h) => h.leavesTo === undefined)).toBe(true);
  });

  it('a pod reaching the internet leaves through the default gateway of the node network', () => {
    const dp = dpOf(DEFAULT_SCENARIO_YAML);
    const pod = dp.cluster.pods.find((p) => p.node === 'node-a' && p.name.startsWith('web-'))!;
    const r = run(DEFAULT_SCENARIO_YAML, `pod/default/${pod.name}`, '8.8.8.8:443');
    const last = r.hops.at(-1)!;
    // The talk's node network 10.10.0.0/16: its gateway is the route's via on node-a.
    expect(last.rule).toMatch(/^default via 10\.10\.\d+\.\d+ dev eth0/);
    expect(last.leavesTo).toEqual({ kind: 'default gateway', ip: last.rule!.split(' ')[2] });
    expect(r.hops.slice(0, -1).every((h) => h.leavesTo === undefined && h.cameFrom === undefined)).toBe(true);
  });

  it('trace --json keeps its shape: the places stay in memory', () => {
    const json = JSON.stringify(traceJson(run(nodeport, 'external', '172.18.0.3:30080')));
    expect(json).not.toContain('cameFrom');
    expect(json).not.toContain('leavesTo');
  });
});
