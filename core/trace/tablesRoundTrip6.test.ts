// `trace -6 --tables` over a dual-stack cluster's unedited dumps (ip6tables-save, ip6-route, the inet6 lines
// of ip-addr, and in nftables mode `table ip6 kube-proxy` in nft-ruleset) gives the trace over the computed
// tables, hop for hop, for every pod → pod and pod → Service pair of the dual-stack example.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDataplane, type Dataplane } from '../dataplane/dataplane';
import { parseIp6 } from '../ip/cidr6';
import { ipv6Entry } from '../ip/anyIp';
import { exportedDataplane, inNftablesMode } from './sampleQuestions';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';

const variantsOf = (file: string): [string, string, string][] => {
  const example = readFileSync(`public/scenarios/${file}`, 'utf8');
  return [
    [file, 'as written', example],
    [file, 'nftables', inNftablesMode(example)],
    [file, 'vxlan', example.replace(/^networking:$/m, 'networking:\n  cni: vxlan')],
  ];
};
// The dual-stack example's IPv6 half, and the IPv6 single-stack example's only family.
const variants = [...variantsOf('dual-stack.yaml'), ...variantsOf('ipv6.yaml')];

const dataplaneOf = (yaml: string) => {
  const p = parseScenario(yaml);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};

const json = (dp: Dataplane, q: { from: string; to: string }) =>
  JSON.stringify(trace(dp, { ...q, family: 'IPv6' }), (k, v: unknown) =>
    k === 'packet' ? undefined : typeof v === 'bigint' ? `${v}n` : v,
  );

/** Every pod → pod and pod → Service pair, and each node → every pod and Service. */
function questions(dp: Dataplane): { from: string; to: string }[] {
  const pods = dp.cluster.pods.filter((p) => ipv6Entry(p.ips) !== undefined).map((p) => `pod/${p.namespace}/${p.name}`);
  const services = dp.cluster.services.map((s) => `svc/${s.namespace}/${s.name}`);
  const nodes = dp.cluster.nodes.map((n) => `node/${n.name}`);
  return [...pods, ...nodes].flatMap((from) =>
    [...pods, ...services].filter((to) => to !== from).map((to) => ({ from, to })),
  );
}

describe('trace -6 --tables over unedited dumps gives the computed IPv6 trace', () => {
  it.each(variants)('%s (%s)', (_file, mode, yaml) => {
    const dp = dataplaneOf(yaml);
    const dumped = exportedDataplane(dp);
    const node = dp.cluster.nodes[1]!;
    const peer = ipv6Entry(dp.cluster.nodes[2]!.podCIDRs)!.split('/')[0]!;
    const ip = (parseIp6(peer) as { value: bigint }).value;
    // The dumped kernel's IPv6 route is the parsed ip6-route line, not the computed object.
    expect(dumped.kernel(node.name)!.route(ip)).not.toBe(dp.kernel(node.name)!.route(ip));
    expect(dumped.kernel(node.name)!.route(ip)).toEqual(dp.kernel(node.name)!.route(ip));
    const qs = questions(dp);
    expect(qs.length).toBeGreaterThan(50);
    let dnat = 0;
    let delivered = 0;
    for (const q of qs) {
      const want = json(dp, q);
      expect(json(dumped, q), `${mode}: ${q.from} -> ${q.to}`).toBe(want);
      if (want.includes('"action":"dnat"')) dnat++;
      if (want.startsWith('{"ok":true,"result":{"verdict":"delivered"')) delivered++;
    }
    // The walks crossed nodes and went through kube-proxy's IPv6 rules (the web Service's IPv6 ClusterIP, from
    // each of the 8 sources), not only routes.
    expect(dnat).toBeGreaterThanOrEqual(8);
    expect(delivered).toBeGreaterThan(40);
  });
});
