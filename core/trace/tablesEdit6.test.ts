// Editing a dual-stack node's IPv6 dumps changes the IPv6 trace as the kernel would: without the route to a
// peer's IPv6 PodCIDR the packet takes the default route (and with no default, there is no route at all);
// without the IPv6 proxier's DNAT rules (ip6tables-save, or `table ip6 kube-proxy` in nftables mode) a
// Service's IPv6 ClusterIP is not translated. The IPv4 trace over the same dumps is unchanged.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDataplane, type Dataplane } from '../dataplane/dataplane';
import { editedDataplane, inNftablesMode } from './sampleQuestions';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace, type TraceRequest } from './trace';
import type { TraceResult } from './types';

const example = readFileSync('public/scenarios/dual-stack.yaml', 'utf8');
const dataplaneOf = (yaml: string) => {
  const p = parseScenario(yaml);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};
const dp = dataplaneOf(example);
const pods = dp.cluster.pods.filter((p) => p.name.startsWith('web-'));
const onWorker = pods.find((p) => p.node === 'dual-worker')!;
const onWorker2 = pods.find((p) => p.node === 'dual-worker2')!;
const podRef = (p: { namespace: string; name: string }) => `pod/${p.namespace}/${p.name}`;
const peerCidr = dp.cluster.nodes.find((n) => n.name === 'dual-worker2')!.podCIDRs![1]!;

function run(on: Dataplane, req: TraceRequest): TraceResult {
  const r = trace(on, req);
  if (!r.ok) throw new Error(r.message);
  return r.result;
}
const dropLines = (re: RegExp) => (node: string, text: string) =>
  node === 'dual-worker'
    ? text
        .split('\n')
        .filter((l) => !re.test(l))
        .join('\n')
    : text;

describe("a dual-stack node's edited ip6-route", () => {
  const toPeer = { from: podRef(onWorker), to: podRef(onWorker2), family: 'IPv6' as const };

  it("without the route to the peer's IPv6 PodCIDR, the packet takes the default route and is lost", () => {
    expect(peerCidr).toBe('fd00:10:244:2::/64');
    expect(run(dp, toPeer).verdict).toBe('delivered');
    const edited = editedDataplane(dp, { ip6Route: dropLines(/^fd00:10:244:2::\/64 via /) });
    const r = run(edited, toPeer);
    expect(r.verdict).toBe('unreachable');
    const last = r.hops.at(-1)!;
    expect([last.node, last.action]).toEqual(['dual-worker', 'drop']);
    // The kernel's choice is the dumped default route, via the node network's gateway.
    expect(last.rule).toBe('default via fc00:f853:ccd:e793::1 dev eth0 metric 1024 pref medium');
    expect(last.explain).toContain('follows the default route');
    // The IPv4 trace over the same dumps still crosses to dual-worker2.
    expect(run(edited, { ...toPeer, family: 'IPv4' }).verdict).toBe('delivered');
  });

  it('without the default route too, dual-worker has no route to the pod', () => {
    const edited = editedDataplane(dp, { ip6Route: dropLines(/^(fd00:10:244:2::\/64 via |default )/) });
    const r = run(edited, toPeer);
    expect(r.verdict).toBe('unreachable');
    expect(r.reason).toBe('no route to fd00:10:244:2::2 on dual-worker');
  });

  it('a route to the peer PodCIDR through another node is followed as the file says', () => {
    // Send dual-worker2's pods to the control plane's address instead: the packet goes there, and is not delivered.
    const edited = editedDataplane(dp, {
      ip6Route: (node, text) =>
        node === 'dual-worker'
          ? text.replace('fd00:10:244:2::/64 via fc00:f853:ccd:e793::4', 'fd00:10:244:2::/64 via fc00:f853:ccd:e793::2')
          : text,
    });
    const r = run(edited, toPeer);
    expect(r.hops.some((h) => h.node === 'dual-control-plane')).toBe(true);
  });
});

describe("a dual-stack node's edited IPv6 Service rules", () => {
  const toService = { from: podRef(onWorker), to: 'svc/default/web', family: 'IPv6' as const };
  const actions = (r: TraceResult) => r.hops.map((h) => h.action);

  it('without the IPv6 KUBE-SEP DNAT rules in ip6tables-save, the IPv6 ClusterIP is not translated', () => {
    expect(actions(run(dp, toService))).toContain('dnat');
    const edited = editedDataplane(dp, { ip6tablesSave: dropLines(/^-A KUBE-SEP-\S+ .*-j DNAT /) });
    const r = run(edited, toService);
    expect(actions(r)).not.toContain('dnat');
    expect(r.hops.every((h) => h.dstAfter.startsWith('[fd00:10:96::e4d4]'))).toBe(true);
    // kube-proxy's IPv4 rules are another file: the IPv4 ClusterIP is still DNATed.
    expect(actions(run(edited, { ...toService, family: 'IPv4' }))).toContain('dnat');
  });

  it('nftables mode: without the dnat statements of table ip6 kube-proxy, the IPv6 ClusterIP is not translated', () => {
    const nft = dataplaneOf(inNftablesMode(example));
    expect(actions(run(nft, toService))).toContain('dnat');
    const edited = editedDataplane(nft, { nftRuleset: dropLines(/dnat to \[fd00:/) });
    expect(actions(run(edited, toService))).not.toContain('dnat');
    expect(actions(run(edited, { ...toService, family: 'IPv4' }))).toContain('dnat');
  });
});
