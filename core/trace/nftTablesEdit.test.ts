// Editing kube-proxy's exported nft table changes the trace the way the kernel would: the walker
// decides from the table's rules, sets and maps (nftRun.ts), never from the Service objects.
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { realize } from '../cluster/realize';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { exportedDataplane, inNftablesMode } from './sampleQuestions';
import { trace } from './trace';
import type { Dataplane } from '../dataplane/dataplane';

const dp = (() => {
  const p = parseScenario(inNftablesMode(DEFAULT_SCENARIO_YAML));
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
})();
const web = dp.cluster.services.find((s) => s.name === 'web')!;
const client = dp.cluster.pods.find((p) => p.node === 'node-b' && p.ip !== null)!;
const run = (d: Dataplane, from: string, to: string) => {
  const r = trace(d, { from, to });
  if (!r.ok) throw new Error(r.message);
  return r.result;
};
/** The exported tables with node's nft-ruleset edited; the edit must change the text. */
const edited = (node: string, edit: (text: string) => string) =>
  exportedDataplane(dp, undefined, (n, text) => {
    if (n !== node) return text;
    const out = edit(text);
    expect(out).not.toBe(text);
    return out;
  });
const withoutLine = (line: string) => (text: string) => text.replace(`\t\t${line}\n`, '');
/** Drops the map element starting with `key` (elements are ", "-joined, one per line). */
const withoutElement = (key: string) => (text: string) =>
  text.replace(
    new RegExp(`(,\\n\\t\\t\\t     )?${key.replace(/\./g, '\\.')} : [^,}\\n]+(,\\n\\t\\t\\t     )?`),
    (_, a, b) => (a && b ? a : ''),
  );

describe('an edited nft-ruleset changes the trace (nftables mode, default scenario)', () => {
  it('removing `masquerade fully-random` removes the SNAT hop of a node -> Service trace', () => {
    const from = 'node/node-a';
    const to = `svc/default/web`;
    expect(run(exportedDataplane(dp), from, to).hops.find((h) => h.action === 'snat')?.rule).toBe(
      'masquerading: masquerade fully-random',
    );
    const after = run(edited('node-a', withoutLine('masquerade fully-random')), from, to);
    expect(after.hops.map((h) => h.action)).toContain('dnat');
    expect(after.hops.filter((h) => h.action === 'snat').map((h) => h.rule)).toEqual([]);
  });

  it("removing the Service's service-ips element sends its ClusterIP to cluster-ips-check's reject; removing that rule too, to the range's drop", () => {
    const from = `pod/${client.namespace}/${client.name}`;
    const to = `${web.clusterIP}:80`;
    expect(run(exportedDataplane(dp), from, to).hops.map((h) => h.action)).toContain('dnat');
    const noElement = withoutElement(`${web.clusterIP} . tcp . 80`);
    const r = run(edited('node-b', noElement), from, to);
    expect(r.verdict).toBe('unreachable');
    expect(r.hops.at(-1)).toMatchObject({
      action: 'reject',
      device: 'FORWARD (filter)',
      rule: `cluster-ips-check: ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"\nset cluster-ips: ${web.clusterIP}`,
    });
    const d = run(
      edited('node-b', (t) =>
        withoutLine('ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"')(
          noElement(t),
        ),
      ),
      from,
      to,
    );
    expect(d.verdict).toBe('dropped');
    expect(d.hops.at(-1)!.rule).toBe(
      `cluster-ips-check: ip daddr ${dp.cluster.cluster.serviceCIDR} drop comment "Drop traffic to unallocated ClusterIPs"`,
    );
  });

  it('an endpoint chain edited to DNAT elsewhere sends the packet where the rule says, not to the Service endpoint', () => {
    const from = `pod/${client.namespace}/${client.name}`;
    const to = `${web.clusterIP}:80`;
    const before = run(exportedDataplane(dp), from, to).hops.find((h) => h.action === 'dnat')!;
    const target = /dnat to (\S+)$/.exec(before.rule!)![1]!;
    const other = dp.cluster.pods.find((p) => p.ip !== null && !web.endpoints.some((e) => e.ip === p.ip))!;
    const r = run(
      edited('node-b', (t) => t.replace(`dnat to ${target}\n`, `dnat to ${other.ip}:8080\n`)),
      from,
      to,
    );
    const dnat = r.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.dstAfter).toBe(`${other.ip}:8080`);
    expect(dnat.explain).toContain('no endpoint of the Service has this address');
  });

  it("a base chain's policy drop drops what no rule accepted", () => {
    const from = `pod/${client.namespace}/${client.name}`;
    const to = `${web.clusterIP}:80`;
    const r = run(
      edited('node-b', (t) =>
        t.replace(
          'type filter hook forward priority -110; policy accept;',
          'type filter hook forward priority -110; policy drop;',
        ),
      ),
      from,
      to,
    );
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)).toMatchObject({ action: 'drop', device: 'FORWARD (filter)' });
  });
});
