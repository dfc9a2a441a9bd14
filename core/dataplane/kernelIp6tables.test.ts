// The real kernel as the judge for a dual-stack node's ip6tables: ip6tables-restore core's IPv6 nat and filter
// tables into a throwaway network namespace and ip6tables-save them back, line for line.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { DUAL_SCENARIO } from './dualStack.testUtil';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from './ip6tables';
import { parseIptablesSave } from './iptablesParse';

function canUseNetns(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    execFileSync('ip6tables-save', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'ip or ip6tables-save not installed (apt-get install -y iproute2 iptables)';
  }
  return undefined;
}
const why = canUseNetns();
if (why && process.env.K8SNET_REQUIRE_KERNEL) throw new Error(`ip6tables kernel agreement tests cannot run: ${why}`);
if (why) console.warn(`\n*** SKIPPING the ip6tables kernel agreement tests: ${why} ***\n`);

const run = (args: string[], input?: string) => execFileSync(args[0]!, args.slice(1), { input, encoding: 'utf8' });

function withNetns<T>(fn: (ns: string) => T): T {
  const ns = `k8snet-ip6t-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  run(['ip', 'netns', 'add', ns]);
  try {
    return fn(ns);
  } finally {
    run(['ip', 'netns', 'del', ns]);
  }
}

describe.skipIf(why !== undefined)('the kernel agrees with core: ip6tables on a dual-stack or IPv6-only node', () => {
  // The same cluster as IPv6 single-stack (kind's ipFamily ipv6): its only proxier is the IPv6 one.
  for (const family of ['dual', 'ipv6'])
    for (const node of ['kind-control-plane', 'kind-worker', 'kind-worker2'])
      it(`ip6tables-save reads back core's IPv6 nat and filter tables unchanged (${family}, ${node})`, () => {
        function dualCluster(kubeProxyMode?: string) {
          const text = DUAL_SCENARIO(kubeProxyMode).replace('ipFamily: dual', `ipFamily: ${family}`);
          // RequireDualStack is refused where there is one family: PreferDualStack is the IPv6-only equivalent.
          const p = parseScenario(family === 'ipv6' ? text.replace(/RequireDualStack/g, 'PreferDualStack') : text);
          if (!p.ok) throw new Error(p.errors[0]!.message);
          return realize(p.scenario);
        }

        const c = dualCluster();
        const t = nodeIp6tables(
          c,
          buildServiceRules6(c)!,
          c.nodes.find((n) => n.name === node)!,
        )!;
        withNetns((ns) => {
          // Loaded as kube-proxy writes them (no --mask, no --reject-with, addresses without /128), so what comes
          // back is what ip6tables-save fills in.
          const asKubeProxyWrites = renderIp6tablesSave([t.nat, t.filter])
            .replace(/ --mask \S+/g, '')
            .replace(/ --reject-with \S+/g, '')
            .replace(/(-[sd] [0-9a-f:]+)\/128/g, '$1');
          expect(asKubeProxyWrites).toContain('-m recent --set --name');
          expect(asKubeProxyWrites).toContain('-j REJECT\n');
          run(['ip', 'netns', 'exec', ns, 'ip6tables-restore'], asKubeProxyWrites);
          for (const table of [t.nat, t.filter]) {
            const saved = run(['ip', 'netns', 'exec', ns, 'ip6tables-save', '-t', table.name]);
            const back = saved
              .split('\n')
              .filter((l) => l && !l.startsWith('#'))
              .join('\n');
            expect(back).toBe(table.render());
            // And what the kernel printed parses back into the same rules.
            const parsed = parseIptablesSave(saved, 'ip6tables-save', 'IPv6');
            expect(parsed.ok && parsed.tables.get(table.name)!.render()).toBe(table.render());
          }
        });
      });
});
