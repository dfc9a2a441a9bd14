// The real kernel as the judge of a dual-stack node's IPv6 nft tables: `nft -f` loads what core renders
// (kube-proxy's `table ip6 kube-proxy` beside `table ip kube-proxy`, and kube-network-policies' table with
// its podips-v6 set) in a throwaway network namespace, and `nft list` prints it back unchanged, up to the
// order of set elements. The namespace is never connected to anything and is always removed.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { realize } from '../cluster/realize';
import { parseScenario } from '../scenario/parse';
import { policyEnforcerTable, renderEnforcerTable } from '../policy/enforcer';
import { parseEnforcerTable } from '../policy/enforcerParse';
import { buildDataplane } from './dataplane';
import { DUAL_NFT_YAML } from './dualStackNft.testUtil';
import { renderNftRuleset, renderNftTable } from './kubeProxyNftables';
import { parseNftRuleset } from './nftParse';

const why = (() => {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'ip or nft not installed (apt-get install -y iproute2 nftables)';
  }
  return undefined;
})();
if (why && process.env.K8SNET_REQUIRE_KERNEL) throw new Error(`IPv6 nft kernel tests cannot run: ${why}`);
if (why) console.warn(`\n*** SKIPPING the IPv6 nftables kernel tests: ${why} ***\n`);

const run = (args: string[], input?: string) =>
  execFileSync(args[0]!, args.slice(1), { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

function withNetns<T>(fn: (ns: string) => T): T {
  const ns = `k8snet-nft6-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  run(['ip', 'netns', 'add', ns]);
  try {
    return fn(ns);
  } finally {
    run(['ip', 'netns', 'del', ns]);
  }
}

/** Set and map elements sorted, one per line: nft prints them in hash order and wraps lines its own way. */
const normalise = (t: string) =>
  t.replace(
    /elements = \{([^}]*)\}/g,
    (_, body: string) =>
      `elements = {\n${body
        .split(',')
        .map((e) => e.trim())
        .sort()
        .join('\n')}\n}`,
  );

const cluster = () => {
  const p = parseScenario(DUAL_NFT_YAML);
  if (!p.ok) throw new Error(p.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return realize(p.scenario);
};

describe.skipIf(why !== undefined)('the kernel agrees with core: IPv6 nft tables on a dual-stack node', () => {
  const c = cluster();
  const dp = buildDataplane(c);
  for (const node of ['kind-control-plane', 'kind-worker'])
    it(`nft list table ip6 kube-proxy reads back core's table (${node}), loaded with table ip from one ruleset`, () => {
      const d = dp.node(node)!;
      const ruleset = renderNftRuleset([d.nft!, d.nft6!]);
      withNetns((ns) => {
        run(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], ruleset);
        const six = run(['ip', 'netns', 'exec', ns, 'nft', 'list', 'table', 'ip6', 'kube-proxy']);
        expect(normalise(six)).toBe(normalise(renderNftTable(d.nft6!)));
        const all = run(['ip', 'netns', 'exec', ns, 'nft', 'list', 'ruleset']);
        expect(normalise(all)).toBe(normalise(ruleset));
        // trace --tables reads what the kernel lists, element order and all.
        const back = parseNftRuleset(all, `${node}/nft-ruleset`);
        if (!back.ok) throw new Error(JSON.stringify(back.error));
        expect(back.tables.map((t) => normalise(renderNftTable(t)))).toEqual(
          [d.nft!, d.nft6!].map((t) => normalise(renderNftTable(t))),
        );
      });
    });

  it("nft list table inet kube-network-policies reads back core's table with its podips-v6 set (kind-worker)", () => {
    const t = policyEnforcerTable(c, 'kind-worker');
    expect(t.podIps6.length).toBeGreaterThan(0);
    const text = renderEnforcerTable(t);
    withNetns((ns) => {
      let loaded = text;
      try {
        run(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], text);
      } catch (e) {
        // A kernel without nft_queue refuses the queue statement: check the rest with a verdict in its place.
        if (!String((e as { stderr?: string }).stderr).includes('queue')) throw e;
        loaded = text.replaceAll('queue to 100', 'drop');
        run(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], loaded);
      }
      const back = run(['ip', 'netns', 'exec', ns, 'nft', 'list', 'table', 'inet', 'kube-network-policies']);
      expect(normalise(back)).toBe(normalise(loaded));
      const read = parseEnforcerTable(back.replaceAll('drop', 'queue to 100'), 'kind-worker/nft-policy');
      if (!read.ok) throw new Error(JSON.stringify(read.error));
      expect(new Set(read.table.podIps6)).toEqual(new Set(t.podIps6));
    });
  });
});
