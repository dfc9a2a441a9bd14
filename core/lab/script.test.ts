// What the lab script may touch, read from its text (no root needed): every
// command names a namespace of its own prefix, nothing lands in the host's
// root namespace, interface names fit the kernel's 15 characters, and the
// build tears down first so it can be run again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane, type Dataplane } from '../dataplane/dataplane';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { DUAL_SCENARIO } from '../dataplane/dualStack.testUtil';
import { defaultLabPrefix, labNames, labPods, labScript, NETNS_NAME_MAX, validateLabPrefix } from './script';

const SCENARIOS = [
  'default',
  'vxlan.yaml',
  'multi-port.yaml',
  'nodeport.yaml',
  'talk-10-4.yaml',
  'exhausted.yaml',
  'dual-stack',
  'ipv6.yaml',
];
/** Those with an IPv6 side: dual-stack, and IPv6 single-stack (nothing but it). */
const WITH_IPV6 = new Set(['dual-stack', 'ipv6.yaml']);

function dataplaneOf(file: string): Dataplane {
  const text =
    file === 'default'
      ? DEFAULT_SCENARIO_YAML
      : file === 'dual-stack'
        ? DUAL_SCENARIO()
        : readFileSync(join(__dirname, '../../public/scenarios', file), 'utf8');
  const p = parseScenario(text);
  if (!p.ok) throw new Error(`${file}: ${p.errors[0]!.message}`);
  return buildDataplane(realize(p.scenario));
}

/** The script's command lines: no comments, no blank lines, no iptables-restore heredoc bodies. */
function commands(script: string): string[] {
  const out: string[] = [];
  let heredoc: string | undefined;
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (heredoc !== undefined) {
      if (line === heredoc) heredoc = undefined;
      continue;
    }
    if (!line || line.startsWith('#')) continue;
    heredoc = /<<'(\w+)'$/.exec(line)?.[1];
    out.push(line);
  }
  return out;
}

/** Why a command may reach outside the lab's namespaces, or undefined when it stays inside them. */
function escapes(cmd: string, prefix: string): string | undefined {
  const ours = (ns: string | undefined) => ns !== undefined && ns.startsWith(`${prefix}.`);
  // The teardown loop: lists namespaces, kills what runs in them, deletes them.
  if (/^(set -euo pipefail|done|echo .*|lab_teardown\(\) \{|\}|lab_teardown)$/.test(cmd)) return undefined;
  if (cmd.startsWith('for ns in $(ip netns list ')) return undefined;
  if (cmd.startsWith("trap 'status=$?; trap - ERR; echo ") && cmd.endsWith("lab_teardown; exit $status' ERR"))
    return undefined;
  if (cmd === `ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true` || cmd === 'ip netns del "$ns"')
    return undefined;
  let m = /^ip netns (add|del) (\S+)$/.exec(cmd);
  if (m) return ours(m[2]) ? undefined : `namespace ${m[2]} is not the lab's`;
  m = /^ip netns exec (\S+) /.exec(cmd);
  if (m) return ours(m[1]) ? undefined : `runs in ${m[1]}`;
  m = /^ip -n (\S+) /.exec(cmd);
  if (m) {
    if (!ours(m[1])) return `runs in ${m[1]}`;
    // A veth's peer is created in the same namespace unless "netns" moves it: it must move into the lab, never stay behind.
    const peer = / peer name \S+(?: mtu \d+)? netns (\S+)/.exec(cmd);
    if (/ type veth /.test(cmd) && (!peer || !ours(peer[1]))) return 'a veth peer outside the lab';
    return undefined;
  }
  return 'not a namespaced command';
}

describe('the lab script stays inside its own namespaces', () => {
  it('the check itself catches commands that would touch the root namespace', () => {
    expect(escapes('ip link add eth0 type veth peer name n0', 'lab1')).toBeDefined();
    expect(escapes('ip -n lab1.node-a link add eth0 type veth peer name n0', 'lab1')).toBeDefined();
    expect(escapes('ip -n lab1.node-a link add eth0 type veth peer name n0 netns other', 'lab1')).toBeDefined();
    expect(escapes('ip netns exec other iptables-restore', 'lab1')).toBeDefined();
    expect(escapes('sysctl -w net.ipv4.ip_forward=1', 'lab1')).toBeDefined();
    expect(escapes('iptables -t nat -F', 'lab1')).toBeDefined();
    expect(
      escapes('ip -n lab1.node-a link add eth0 type veth peer name n0 netns lab1.underlay', 'lab1'),
    ).toBeUndefined();
  });

  for (const file of SCENARIOS) {
    it(`every command of the build and teardown scripts names a namespace of its prefix (${file})`, () => {
      const dp = dataplaneOf(file);
      const prefix = 'lab1';
      for (const teardown of [false, true]) {
        const bad = commands(labScript(dp, { prefix, teardown }))
          .map((c) => [c, escapes(c, prefix)] as const)
          .filter(([, why]) => why !== undefined);
        expect(bad).toEqual([]);
      }
    });

    it(`interface names fit the kernel's 15 characters (IFNAMSIZ - 1) (${file})`, () => {
      const names = commands(labScript(dataplaneOf(file), { prefix: 'lab1' })).flatMap((c) =>
        [...c.matchAll(/(?:link add|peer name) (\S+)/g)].map((m) => m[1]!),
      );
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => n.length > 15)).toEqual([]);
    });

    it(`namespace names are unique, and one per node, per running pod and the underlay (${file})`, () => {
      const dp = dataplaneOf(file);
      const added = commands(labScript(dp, { prefix: 'lab1' })).flatMap(
        (c) => /^ip netns add (\S+)$/.exec(c)?.[1] ?? [],
      );
      const names = labNames('lab1', dp.cluster);
      const want = [names.underlay, ...dp.cluster.nodes.flatMap((n) => [names.node(n), ...labPods(n).map(names.pod)])];
      expect(new Set(added).size).toBe(added.length);
      expect([...added].sort()).toEqual([...want].sort());
    });
  }

  it("a dual-stack lab adds each node's IPv6 side (addresses without DAD, ip -6 routes, ip6tables); a single-stack one has none", () => {
    const dual = dataplaneOf('dual-stack');
    const script = labScript(dual, { prefix: 'lab1' });
    for (const n of dual.cluster.nodes) {
      const ns = labNames('lab1', dual.cluster).node(n);
      expect(script).toContain(`ip netns exec ${ns} ip6tables-restore <<'RULES'`);
      expect(script).toContain(`ip -n ${ns} -6 addr add ${n.ips![1]}/64 dev eth0 nodad`);
      expect(script).toContain(`ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.forwarding=1`);
    }
    expect(script).toContain('! -d ::1/128 -m comment');
    for (const file of SCENARIOS.filter((f) => !WITH_IPV6.has(f)))
      expect(labScript(dataplaneOf(file), { prefix: 'lab1' })).not.toMatch(/ -6 |ip6tables|ipv6/);
  });

  it('the build script tears down first (re-running rebuilds), and --teardown only removes', () => {
    const dp = dataplaneOf('default');
    const build = commands(labScript(dp, { prefix: 'lab1' }));
    const teardown = commands(labScript(dp, { prefix: 'lab1', teardown: true }));
    expect(build.slice(0, teardown.length)).toEqual(teardown);
    expect(teardown.filter((c) => / add /.test(c))).toEqual([]);
    expect(teardown.some((c) => c === 'ip netns del "$ns"')).toBe(true);
  });

  it('the script is a function of the scenario and the prefix: same input, same bytes', () => {
    expect(labScript(dataplaneOf('vxlan.yaml'), { prefix: 'lab1' })).toBe(
      labScript(dataplaneOf('vxlan.yaml'), { prefix: 'lab1' }),
    );
  });

  it('a prefix must be a namespace-safe name; the default one is derived from the cluster name', () => {
    expect(defaultLabPrefix('talk')).toBe('k8snet-talk');
    expect(validateLabPrefix('k8snet-talk')).toBeUndefined();
    for (const bad of ['', '-x', 'A', 'a b', "a'b", 'a;rm', 'x'.repeat(41)])
      expect(validateLabPrefix(bad)).toMatch(/prefix/);
    expect(() => labScript(dataplaneOf('default'), { prefix: 'a;b' })).toThrow(/prefix/);
  });
});

describe('two labs never touch each other', () => {
  it('a prefix that is another prefix plus "-node" does not match its namespaces in teardown', () => {
    const dp = dataplaneOf('default');
    const a = labScript(dp, { prefix: 'a', teardown: true });
    expect(a).toContain("grep -E '^a\\.(underlay|node-|pod-)'");
    // Lab "a-node" names its namespaces "a-node.…", which "^a\." cannot match.
    expect(new RegExp('^a\\.(underlay|node-|pod-)').test(labNames('a-node', dp.cluster).underlay)).toBe(false);
    expect(new RegExp('^a\\.(underlay|node-|pod-)').test(labNames('a', dp.cluster).underlay)).toBe(true);
  });
});

describe('lab names never collide and fit the kernel', () => {
  const long = (c: string) => `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${c.repeat(61)}`;
  const pod = (ns: string, name: string) =>
    `---\napiVersion: v1\nkind: Pod\nmetadata: {name: "${name}", namespace: ${ns}}\nspec: {containers: [{name: c, image: i}]}\n`;
  const text =
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: t\n' +
    pod('a-b', 'c') +
    pod('a', 'b-c') +
    pod('n'.repeat(63), long('x')) +
    pod('n'.repeat(63), long('y'));
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  const dp = buildDataplane(realize(p.scenario));
  const prefix = 'k8snet-a-forty-character-prefix-for-test';

  it('pod c in namespace a-b and pod b-c in namespace a get different namespaces', () => {
    const names = labNames('lab1', dp.cluster);
    const pods = dp.cluster.nodes.flatMap(labPods);
    const byPod = (ns: string, n: string) => names.pod(pods.find((x) => x.namespace === ns && x.name === n)!);
    expect(byPod('a-b', 'c')).toBe('lab1.pod-a-b.c');
    expect(byPod('a', 'b-c')).toBe('lab1.pod-a.b-c');
  });

  it('every namespace name is unique and at most 255 characters; long ones end in a hash of the whole', () => {
    expect(prefix.length).toBe(40);
    const added = commands(labScript(dp, { prefix })).flatMap((c) => /^ip netns add (\S+)$/.exec(c)?.[1] ?? []);
    expect(added).toHaveLength(1 + dp.cluster.nodes.length + dp.cluster.nodes.flatMap(labPods).length);
    expect(new Set(added).size).toBe(added.length);
    expect(added.filter((n) => n.length > NETNS_NAME_MAX)).toEqual([]);
    const cut = added.filter((n) => n.length === NETNS_NAME_MAX);
    expect(cut).toHaveLength(2);
    for (const n of cut) expect(n).toMatch(/-[0-9a-f]{8}$/);
  });

  it('a failing command rolls the lab back instead of stopping halfway', () => {
    const script = labScript(dp, { prefix: 'lab1' });
    const trap = script.split('\n').findIndex((l) => l.startsWith('trap '));
    const firstAdd = script.split('\n').findIndex((l) => l.startsWith('ip netns add '));
    expect(trap).toBeGreaterThan(0);
    expect(trap).toBeLessThan(firstAdd);
    expect(script).toContain('lab_teardown; exit $status');
  });
});
