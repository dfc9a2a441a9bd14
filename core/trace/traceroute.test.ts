import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';
import { tracerouteHops } from './traceroute';

const dp = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error('must parse');
  return buildDataplane(realize(p.scenario));
};
const ref = (d: ReturnType<typeof dp>, ip: string) => {
  const p = d.cluster.pods.find((x) => x.ip === ip)!;
  return `pod/${p.namespace}/${p.name}`;
};

// The same answers the kernel lab gets from a real `traceroute -n` (lab/lab.test.ts checks them against the kernel).
describe('what traceroute prints', () => {
  it("host-gw: the sender's gateway, then the remote node by its eth0 address, then the pod", () => {
    const d = dp(DEFAULT_SCENARIO_YAML);
    const r = trace(d, { from: ref(d, '10.32.0.4'), to: ref(d, '10.32.1.3'), port: 33434, protocol: 'UDP' });
    if (!r.ok) throw new Error(r.message);
    expect(tracerouteHops(d, r.result)).toEqual(['10.32.0.1', '10.10.1.1', '10.32.1.3']);
  });

  it('a pod on the same bridge is one hop away: bridging is not routing', () => {
    const d = dp(DEFAULT_SCENARIO_YAML);
    const r = trace(d, { from: ref(d, '10.32.0.4'), to: ref(d, '10.32.0.5'), port: 33434, protocol: 'UDP' });
    if (!r.ok) throw new Error(r.message);
    expect(tracerouteHops(d, r.result)).toEqual(['10.32.0.5']);
  });

  it("VXLAN: the remote node answers from its flannel.1 address (its PodCIDR's network address)", () => {
    const d = dp(readFileSync(join(__dirname, '../../public/scenarios/vxlan.yaml'), 'utf8'));
    const remote = d.cluster.nodes.find((n) => n.pods.some((p) => p.namespace === 'default'))!;
    const local = d.cluster.nodes.find((n) => n !== remote && n.pods.some((p) => p.ip))!;
    const r = trace(d, {
      from: `pod/${local.pods[0]!.namespace}/${local.pods[0]!.name}`,
      to: `pod/default/${remote.pods.find((p) => p.namespace === 'default')!.name}`,
      port: 33434,
      protocol: 'UDP',
    });
    if (!r.ok) throw new Error(r.message);
    expect(tracerouteHops(d, r.result)).toEqual([
      local.gateway,
      remote.podCIDR!.split('/')[0],
      remote.pods.find((p) => p.namespace === 'default')!.ip,
    ]);
  });
});

describe('flannel masquerades pod traffic to addresses outside the pod network', () => {
  it('pod → the kubernetes Service: DNAT to the API server on a node, then FLANNEL-POSTRTG masquerades; the reply is un-NATed back to the pod', () => {
    const d = dp(DEFAULT_SCENARIO_YAML);
    const r = trace(d, { from: ref(d, '10.32.1.2'), to: 'svc/default/kubernetes' });
    if (!r.ok) throw new Error(r.message);
    const snat = r.result.hops.find((h) => h.action === 'snat')!;
    expect(snat.rule).toBe(
      '-A FLANNEL-POSTRTG -s 10.32.0.0/14 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    );
    // --random-fully: a new source port (illustrative, from the flow), shown in the hop and in conntrack's reply tuple.
    const port = snat.srcAfter.split(':')[1]!;
    expect(port).not.toBe('40000');
    expect([snat.srcAfter, snat.dstAfter]).toEqual([`10.10.1.1:${port}`, '10.10.0.1:6443']);
    expect(r.result.conntrack).toEqual([
      `tcp      6 431999 ESTABLISHED src=10.32.1.2 dst=10.96.0.1 sport=40000 dport=443 src=10.10.0.1 dst=10.10.1.1 sport=6443 dport=${port} [ASSURED] mark=0 use=1`,
    ]);
    const last = r.result.reply!.hops.at(-1)!;
    expect([last.namespace, last.src, last.dst]).toEqual([
      'pod default/' + d.cluster.pods.find((p) => p.ip === '10.32.1.2')!.name,
      '10.96.0.1:443',
      '10.32.1.2:40000',
    ]);
  });

  it('pod → pod on another node is never masqueraded (RETURN for destinations in the cluster CIDR)', () => {
    const d = dp(DEFAULT_SCENARIO_YAML);
    const r = trace(d, { from: ref(d, '10.32.0.4'), to: ref(d, '10.32.1.3') });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.hops.every((h) => h.src === h.srcAfter && h.dst === h.dstAfter)).toBe(true);
  });
});
