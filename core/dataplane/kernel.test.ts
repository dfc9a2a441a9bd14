// The real Linux kernel as the judge: load core's rules and routes into a
// throwaway network namespace and read them back with the kernel's own tools.
// The namespace is never connected to the host's network and is always removed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane, renderRouteTable } from './dataplane';
import { renderRoute } from './routes';
import { kubeProxyNftables, renderNftTable } from './kubeProxyNftables';
import { renderVxlanFdb, renderVxlanNeighbors, vtepMac } from './devices';

function canUseNetns(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    execFileSync('iptables-save', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'ip or iptables-save not installed (apt-get install -y iproute2 iptables)';
  }
  return undefined;
}
const why = canUseNetns();
if (why && process.env.K8SNET_REQUIRE_KERNEL) throw new Error(`kernel agreement tests cannot run: ${why}`);
if (why) console.warn(`\n*** SKIPPING kernel agreement tests: ${why} ***\n`);

const hasNft = (() => {
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.K8SNET_REQUIRE_KERNEL)
      throw new Error('kernel agreement tests need nft (apt-get install -y nftables)');
    console.warn(
      '\n*** SKIPPING the nftables agreement tests: nft is not installed (apt-get install -y nftables) ***\n',
    );
    return false;
  }
})();

/** Set and map elements sorted, one per line: nft prints them in hash order and wraps lines its own way. */
function normaliseNft(t: string): string {
  return t.replace(
    /elements = \{([^}]*)\}/g,
    (_, body: string) =>
      `elements = {\n${body
        .split(',')
        .map((e) => e.trim())
        .sort()
        .join('\n')}\n}`,
  );
}

const run = (args: string[], input?: string) => execFileSync(args[0]!, args.slice(1), { input, encoding: 'utf8' });

function withNetns<T>(fn: (ns: string) => T): T {
  const ns = `k8snet-test-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  run(['ip', 'netns', 'add', ns]);
  try {
    return fn(ns);
  } finally {
    run(['ip', 'netns', 'del', ns]);
  }
}

const cluster = (file?: string) => {
  const p = parseScenario(
    file ? readFileSync(join(__dirname, '../../public/scenarios', file), 'utf8') : DEFAULT_SCENARIO_YAML,
  );
  if (!p.ok) throw new Error('scenario must parse');
  return realize(p.scenario);
};

describe.skipIf(why !== undefined)('the kernel agrees with core', () => {
  for (const [file, node] of [
    [undefined, 'node-a'],
    ['nodeport.yaml', 'nodeports-worker'],
    ['multi-port.yaml', 'ports-worker2'],
    ['session-affinity.yaml', 'sticky-worker'],
  ] as const) {
    it(`iptables-save reads back core's nat and filter tables unchanged (${file ?? 'default'}, ${node})`, () => {
      const d = buildDataplane(cluster(file)).node(node)!;
      withNetns((ns) => {
        for (const [table, text] of [
          ['nat', d.nat.render()],
          ['filter', d.filter.render()],
        ] as const) {
          run(['ip', 'netns', 'exec', ns, 'iptables-restore'], `${text}\n`);
          const back = run(['ip', 'netns', 'exec', ns, 'iptables-save', '-t', table])
            .split('\n')
            .filter((l) => l && !l.startsWith('#'))
            .join('\n');
          expect(back).toBe(text);
        }
      });
    });
  }

  // kube-proxy's nftables mode: nft loads core's table and lists it back the same, up to the order
  // in which it prints set and map elements (the kernel keeps them in a hash).
  for (const [file, node] of [
    [undefined, 'node-a'],
    ['nodeport.yaml', 'nodeports-worker'],
    ['nodeport.yaml', 'nodeports-worker3'],
    ['session-affinity.yaml', 'sticky-worker'],
    ['multi-port.yaml', 'ports-worker2'],
  ] as const) {
    it.skipIf(!hasNft)(
      `nft list table ip kube-proxy reads back core's nftables table (${file ?? 'default'}, ${node})`,
      () => {
        const c = cluster(file);
        const dp = buildDataplane(c);
        const text = renderNftTable(kubeProxyNftables(c, dp.services, node));
        withNetns((ns) => {
          run(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], text);
          const back = run(['ip', 'netns', 'exec', ns, 'nft', 'list', 'table', 'ip', 'kube-proxy']);
          expect(normaliseNft(back)).toBe(normaliseNft(text));
        });
      },
    );
  }

  for (const [file, node] of [
    [undefined, 'node-b'],
    ['vxlan.yaml', 'overlay-worker'],
  ] as const) {
    it(`ip route prints core's node table line for line (${file ?? 'default'}, ${node})`, () => {
      const c = cluster(file);
      const d = buildDataplane(c).node(node)!;
      const n = d.node;
      const net = c.cluster.nodeSubnet.split('/')[1];
      withNetns((ns) => {
        const ip = (...a: string[]) => run(['ip', '-n', ns, ...a]);
        // eth0 with the node IP; cni0 with the gateway and one pod port attached (a bridge with no port is "linkdown").
        ip('link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'uplink');
        ip('addr', 'add', `${n.ip}/${net}`, 'dev', 'eth0');
        ip('link', 'add', 'cni0', 'type', 'bridge');
        ip('addr', 'add', `${n.gateway}/${n.podCIDR!.split('/')[1]}`, 'dev', 'cni0');
        ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'podeth0');
        ip('link', 'set', 'veth0', 'master', 'cni0');
        if (c.cluster.cni === 'vxlan') {
          ip(
            'link',
            'add',
            'flannel.1',
            'type',
            'vxlan',
            'id',
            '1',
            'dstport',
            '8472',
            'local',
            n.ip,
            'dev',
            'eth0',
            'nolearning',
          );
          ip('addr', 'add', `${n.podCIDR!.split('/')[0]}/32`, 'dev', 'flannel.1');
        }
        for (const l of [
          'eth0',
          'uplink',
          'cni0',
          'veth0',
          'podeth0',
          ...(c.cluster.cni === 'vxlan' ? ['flannel.1'] : []),
        ])
          ip('link', 'set', l, 'up');
        for (const r of d.routes) if (r.proto !== 'kernel') ip('route', 'add', ...renderRoute(r).split(' '));
        expect(ip('route')).toBe(renderRouteTable(d.routes));
        if (c.cluster.cni === 'vxlan') {
          // flannel's per-remote-node entries, added the way flannel adds them, read back from the kernel.
          ip('link', 'set', 'flannel.1', 'address', vtepMac(n.name));
          for (const other of c.nodes.filter((o) => o !== n && o.podCIDR)) {
            ip(
              'neigh',
              'replace',
              other.podCIDR!.split('/')[0]!,
              'lladdr',
              vtepMac(other.name),
              'dev',
              'flannel.1',
              'nud',
              'permanent',
            );
            run([
              'ip',
              'netns',
              'exec',
              ns,
              'bridge',
              'fdb',
              'append',
              vtepMac(other.name),
              'dev',
              'flannel.1',
              'dst',
              other.ip,
              'self',
              'permanent',
            ]);
          }
          // The kernel lists these from hash tables: the order carries no meaning, so compare as sets of lines.
          const lines = (t: string) => t.split('\n').filter(Boolean).sort();
          expect(lines(ip('neigh', 'show', 'dev', 'flannel.1'))).toEqual(lines(renderVxlanNeighbors(c, n)));
          expect(lines(run(['ip', 'netns', 'exec', ns, 'bridge', 'fdb', 'show', 'dev', 'flannel.1']))).toEqual(
            lines(renderVxlanFdb(c, n)),
          );
        }
      });
    });
  }
});
