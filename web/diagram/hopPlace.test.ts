// The diagram reads a hop's typed fields, never its text: the gateway from the route core used,
// the NAT's Service and endpoint from the parsed packet.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../core/scenario/parse';
import { realize } from '../../core/cluster/realize';
import { buildDataplane } from '../../core/dataplane/dataplane';
import { trace } from '../../core/trace/trace';
import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import type { Hop } from '../../core/trace/types';
import { clientIp, hopPlace, natLit } from './hopPlace';

function hopsOf(text: string, from: string, to: string, port?: number, protocol?: 'UDP' | 'TCP') {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  const cluster = realize(p.scenario);
  const t = trace(buildDataplane(cluster), { from, to, ...(port ? { port } : {}), ...(protocol ? { protocol } : {}) });
  if (!t.ok) throw new Error(t.message);
  return { cluster, hops: t.result.hops };
}
const noVeth = () => undefined;

describe('hopPlace', () => {
  it('pod -> 8.8.8.8: the hop that takes the default route names its gateway, from the route itself', () => {
    const { hops } = hopsOf(DEFAULT_SCENARIO_YAML, 'pod/default/web-85469b5d-8g4nh', '8.8.8.8', 53, 'UDP');
    const out = hops.map((h) => hopPlace(h, noVeth)).filter((p) => p.viaGateway);
    expect(out.map((p) => [p.node, p.viaGateway, p.routeLine])).toEqual([
      ['node-a', '10.10.255.254', 'default via 10.10.255.254 dev eth0'],
    ]);
    // The text is not read: a hop whose rule says something else still has the route's gateway.
    const hop = hops.find((h) => h.routeUsed?.dst === null && h.namespace === 'host')!;
    expect(hopPlace({ ...hop, rule: 'default via 192.0.2.1 dev eth9' }, noVeth).viaGateway).toBe('10.10.255.254');
    // The pod's own default route (to cni0) is not the way out of the cluster.
    expect(hopPlace(hops[0]!, noVeth).viaGateway).toBeUndefined();
  });

  it('external -> NodePort: the client address and, at DNAT, the Service, its endpoint and the node', () => {
    const text = readFileSync('public/scenarios/nodeport.yaml', 'utf8');
    const { cluster, hops } = hopsOf(text, 'external', '172.18.0.2:30080');
    const first = hopPlace(hops[0]!, noVeth);
    expect(clientIp(first)).toBe('203.0.113.10');
    const dnat = hops.find((h) => h.action === 'dnat')!;
    const lit = natLit(hopPlace(dnat, noVeth), cluster);
    const endpoint = cluster.pods.find((p) => p.ip === hops.at(-1)!.dst.split(':')[0])!;
    expect(lit).toEqual({
      service: 'svc/default/frontend',
      pod: `pod/${endpoint.namespace}/${endpoint.name}`,
      nodePortOn: 'nodeports-control-plane',
    });
    // Addresses come from the parsed packet: text that disagrees changes nothing.
    const garbled: Hop = { ...dnat, dst: 'nowhere', dstAfter: 'nowhere' };
    expect(natLit(hopPlace(garbled, noVeth), cluster)).toEqual(lit);
  });
});
