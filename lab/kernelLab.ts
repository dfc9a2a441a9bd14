// Shared by the kernel lab tests: whether this machine can run them, and a
// lab that is built from `labScript` and always torn down.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDataplane, type Dataplane } from '../core/dataplane/dataplane';
import { parseIp } from '../core/ip/cidr';
import { labNames, labScript } from '../core/lab/script';
import { DEFAULT_SCENARIO_YAML } from '../core/scenario/defaultScenario';
import { parseScenario } from '../core/scenario/parse';
import { realize } from '../core/cluster/realize';

const TOOLS: [tool: string, pkg: string][] = [
  ['ip', 'iproute2'],
  ['bridge', 'iproute2'],
  ['iptables-restore', 'iptables'],
  ['ip6tables-restore', 'iptables'], // a dual-stack lab loads each node's ip6tables too
  ['conntrack', 'conntrack'],
  ['traceroute', 'traceroute'],
  ['nft', 'nftables'],
  ['sysctl', 'procps'], // the lab script turns on forwarding in each node namespace
];

function missing(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const absent = TOOLS.filter(([tool]) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  // All of them at once, so one apt-get line is enough.
  if (absent.length > 0)
    return `${absent.map(([tool]) => tool).join(', ')} ${absent.length === 1 ? 'is' : 'are'} not installed (apt-get install -y ${[...new Set(absent.map(([, pkg]) => pkg))].join(' ')})`;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return 'ip netns does not work here';
  }
  return undefined;
}

/**
 * Why the kernel lab tests cannot run here, or undefined. With
 * K8SNET_REQUIRE_KERNEL=1 (CI) a reason is an error, never a skip.
 */
export function kernelLabUnavailable(suite: string): string | undefined {
  const why = missing();
  if (why && process.env.K8SNET_REQUIRE_KERNEL) throw new Error(`${suite} cannot run: ${why}`);
  if (why) console.warn(`\n*** SKIPPING ${suite}: ${why} ***\n`);
  return why;
}

export const sh = (cmd: string[], input?: string) =>
  execFileSync(cmd[0]!, cmd.slice(1), { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
export const nsExec = (ns: string, ...cmd: string[]) => sh(['ip', 'netns', 'exec', ns, ...cmd]);
export const ipOf = (s: string) => (parseIp(s) as { value: number }).value;

export const scenarioText = (file?: string) =>
  file
    ? readFileSync(fileURLToPath(new URL(`../public/scenarios/${file}`, import.meta.url)), 'utf8')
    : DEFAULT_SCENARIO_YAML;

export function dataplaneOf(yaml: string): Dataplane {
  const p = parseScenario(yaml);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
}

/** A prefix no other run of these tests uses at the same time. */
export const testPrefix = (tag: string) => `kl${process.pid % 100000}-${tag}`;

export const buildLab = (dp: Dataplane, prefix: string) => sh(['bash', '-s'], labScript(dp, { prefix }));
export const teardownLab = (dp: Dataplane, prefix: string) =>
  sh(['bash', '-s'], labScript(dp, { prefix, teardown: true }));

/** The namespaces that exist with this prefix. */
export const labNamespaces = (prefix: string) =>
  sh(['ip', 'netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((ns) => ns.startsWith(`${prefix}.`))
    .sort();

/** Lines of kernel output whose order carries no meaning (hash tables), sorted. */
export const lineSet = (t: string) => t.split('\n').filter(Boolean).sort();

/**
 * A lab for one describe block: built before its tests, torn down after them
 * (servers the tests started are stopped first), even when a test fails.
 */
export function labForSuite(
  dp: Dataplane,
  tag: string,
): { prefix: string; names: ReturnType<typeof labNames>; servers: ChildProcess[] } {
  const prefix = testPrefix(tag);
  const servers: ChildProcess[] = [];
  beforeAll(() => void buildLab(dp, prefix), 60_000);
  afterAll(() => {
    for (const s of servers) s.kill();
    teardownLab(dp, prefix);
  }, 60_000);
  return { prefix, names: labNames(prefix, dp.cluster), servers };
}
