import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Hop, HopAction, OutsidePeer } from '../../../core/trace/types';
import type { TracePhase, TraceStep } from '../../state/traceSteps';
import { columnKeyOf, ladderColumns, rungPlaces } from './ladderColumns';
import { dataplaneOfText, defaultYaml, nodeportYaml, stepsOf } from './ladderTestTraces.testUtil';

const dp = dataplaneOfText(defaultYaml);
const webOn = (node: string) => dp.cluster.pods.find((p) => p.node === node && p.name.startsWith('web-'))!;

describe('ladder columns from real traces', () => {
  it('a pod on node-a to the web Service by name: client pod, its node, CoreDNS, the peer node, the server pod', () => {
    const client = webOn('node-a');
    const steps = stepsOf(defaultYaml, { from: `pod/default/${client.name}`, to: 'web.default.svc.cluster.local' });
    const server = steps.filter((s) => s.phase === 'Request').at(-1)!.hop;
    // The talk's cluster: this client's connection is balanced to a pod on node-b (see core's trace tests).
    expect(server.node).toBe('node-b');
    const dns = steps.find((s) => s.phase === 'DNS lookup' && s.hop.action === 'deliver')!.hop;
    expect(ladderColumns(steps).map((c) => `${c.kind} ${c.title}`)).toEqual([
      `pod ${client.name}`,
      'host node-a',
      `pod ${dns.namespace.split('/')[1]}`,
      'host node-b',
      `pod ${server.namespace.split('/')[1]}`,
    ]);
  });

  it('an external client to a NodePort: the client first, then the node it addressed', () => {
    const steps = stepsOf(nodeportYaml, { from: 'external', to: '172.18.0.3:30080' });
    const cols = ladderColumns(steps);
    expect(cols[0]).toMatchObject({ kind: 'external client', subtitle: '203.0.113.10' });
    expect(cols[1]).toMatchObject({ kind: 'host', title: 'nodeports-worker' });
    const places = rungPlaces(steps, cols);
    // The first rung is the client's packet arriving on the node's eth0: an arrow from the client.
    expect(places[0]).toEqual({ from: 0, at: 1 });
    // The reply's last rung leaves the node for the client.
    expect(places.at(-1)).toEqual({ from: 1, at: 1, exit: 0 });
  });

  it('a pod to the internet: the default gateway is the last column, with its address', () => {
    const steps = stepsOf(defaultYaml, { from: `pod/default/${webOn('node-a').name}`, to: '8.8.8.8:443' });
    const cols = ladderColumns(steps);
    expect(cols.at(-1)).toMatchObject({ kind: 'default gateway', subtitle: steps.at(-1)!.hop.leavesTo!.ip });
    expect(rungPlaces(steps, cols).at(-1)!.exit).toBe(cols.length - 1);
  });
});

// Arbitrary walks: hops on a few nodes, in pods or the root namespace, some arriving from or leaving
// to a place outside; the invariants hold for any trace core could produce.
const nodeName = fc.constantFrom('n1', 'n2', 'n3');
const outside: fc.Arbitrary<OutsidePeer | undefined> = fc.option(
  fc.record({ kind: fc.constantFrom('external client' as const, 'default gateway' as const), ip: fc.ipV4() }),
  { nil: undefined },
);
const hopArb = fc
  .record({
    node: nodeName,
    pod: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
    cameFrom: outside,
    leavesTo: outside,
    phase: fc.constantFrom<TracePhase>('DNS lookup', 'Request', 'Reply'),
  })
  .map(({ node, pod, cameFrom, leavesTo, phase }): TraceStep => {
    const hop: Hop = {
      step: 1,
      node,
      // Pod names are unique in a cluster: the pod's node is part of its name here.
      namespace: pod ? `pod default/${pod}-${node}` : 'host',
      device: 'eth0',
      src: '10.0.0.1:1',
      dst: '10.0.0.2:2',
      srcAfter: '10.0.0.1:1',
      dstAfter: '10.0.0.2:2',
      action: 'route' as HopAction,
      explain: '',
      ...(cameFrom ? { cameFrom } : {}),
      ...(leavesTo ? { leavesTo } : {}),
    };
    return { phase, hop };
  });

describe('column assignment, for any trace', () => {
  it('every hop has exactly one column; a node keeps its namespaces together; outside places sit at the edges', () => {
    fc.assert(
      fc.property(fc.array(hopArb, { minLength: 1, maxLength: 30 }), (steps) => {
        const cols = ladderColumns(steps);
        const keys = cols.map((c) => c.key);
        expect(new Set(keys).size).toBe(keys.length);
        for (const { hop } of steps) expect(keys.filter((k) => k === columnKeyOf(hop))).toHaveLength(1);
        const nodeOf = (k: string) => (k.startsWith('host:') ? k.slice(5) : k.startsWith('pod ') ? k.split('-')[1] : k);
        const inside = keys.filter((k) => !k.startsWith('outside:')).map(nodeOf);
        // Contiguous: once a node's run of columns ends, that node never appears again.
        const runs = inside.filter((n, i) => i === 0 || inside[i - 1] !== n);
        expect(new Set(runs).size).toBe(runs.length);
        // Nodes in the order the packet first reaches them.
        const firstSeen = [...new Set(steps.map((s) => s.hop.node))];
        expect(runs).toEqual(firstSeen);
        const client = keys.indexOf('outside:external client');
        if (client >= 0) expect(client).toBe(0);
        const gw = keys.indexOf('outside:default gateway');
        if (gw >= 0) expect(gw).toBe(keys.length - 1);
      }),
    );
  });

  it("each rung stands in its hop's column and starts where the phase's previous hop was, or outside", () => {
    fc.assert(
      fc.property(fc.array(hopArb, { minLength: 1, maxLength: 30 }), (steps) => {
        const cols = ladderColumns(steps);
        const places = rungPlaces(steps, cols);
        places.forEach((p, i) => {
          const { hop, phase } = steps[i]!;
          expect(cols[p.at]!.key).toBe(columnKeyOf(hop));
          const prev = i > 0 && steps[i - 1]!.phase === phase ? steps[i - 1]!.hop : undefined;
          const want = hop.cameFrom ? `outside:${hop.cameFrom.kind}` : prev ? columnKeyOf(prev) : columnKeyOf(hop);
          expect(cols[p.from]!.key).toBe(want);
          if (hop.leavesTo) expect(cols[p.exit!]!.key).toBe(`outside:${hop.leavesTo.kind}`);
          else expect(p.exit).toBeUndefined();
        });
      }),
    );
  });
});
