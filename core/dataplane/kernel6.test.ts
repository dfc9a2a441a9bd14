// The real kernel as the judge for a dual-stack node's IPv6 table: the links and addresses set up as kind, the
// bridge plugin and flannel set them up, only the non-kernel routes added, then `ip -6 route` read back.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ipv6Entry } from '../ip/anyIp';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { vethName } from './devices';
import { nodeRoutes6, renderRoute6, renderRouteTable6 } from './routes6';

function canUseNetns(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'ip not installed (apt-get install -y iproute2)';
  }
  return undefined;
}
const why = canUseNetns();
if (why && process.env.K8SNET_REQUIRE_KERNEL) throw new Error(`kernel agreement tests cannot run: ${why}`);
if (why) console.warn(`\n*** SKIPPING the IPv6 kernel agreement tests: ${why} ***\n`);

const run = (args: string[]) => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8' });

function withNetns<T>(fn: (ns: string) => T): T {
  const ns = `k8snet-test6-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  run(['ip', 'netns', 'add', ns]);
  try {
    return fn(ns);
  } finally {
    run(['ip', 'netns', 'del', ns]);
  }
}

const dual = (cni: string, family: string) => {
  const p = parseScenario(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: ${family}, cni: ${cni}}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 5
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
};

describe.skipIf(why !== undefined)('the kernel agrees with core: ip -6 route on a dual-stack or IPv6-only node', () => {
  for (const family of ['dual', 'ipv6'])
    for (const cni of ['host-gw', 'vxlan'])
      it(`prints core's IPv6 table line for line (${family}, ${cni}, kind-worker)`, () => {
        const c = dual(cni, family);
        const n = c.nodes.find((x) => x.name === 'kind-worker')!;
        const routes = nodeRoutes6(c, n)!;
        const pods = n.pods.filter((p) => !p.hostNetwork && p.ip !== null);
        expect(pods.length).toBeGreaterThan(1);
        withNetns((ns) => {
          const ip = (...a: string[]) => run(['ip', '-n', ns, ...a]);
          const up = (l: string) => ip('link', 'set', l, 'up');
          // The peers stand for the far ends (the Docker bridge, each pod's eth0): no link-local address in this namespace.
          const peer = (name: string, other: string) => {
            ip('link', 'add', name, 'type', 'veth', 'peer', 'name', other);
            ip('link', 'set', other, 'addrgenmode', 'none');
          };
          peer('eth0', 'uplink');
          ip('-6', 'addr', 'add', `${ipv6Entry(n.ips)}/64`, 'dev', 'eth0', 'nodad');
          up('eth0');
          up('uplink');
          if (cni === 'vxlan') {
            // flannel's createVXLANDevice and configureDeviceIPv4IPv6: flannel-v6.1 with the PodCIDR's first address as a /128.
            ip(
              'link',
              'add',
              'flannel-v6.1',
              'type',
              'vxlan',
              'id',
              '1',
              'local',
              ipv6Entry(n.ips)!,
              'dev',
              'eth0',
              'dstport',
              '8472',
              'nolearning',
            );
            ip('-6', 'addr', 'add', `${ipv6Entry(n.podCIDRs)!.split('/')[0]}/128`, 'dev', 'flannel-v6.1', 'nodad');
            up('flannel-v6.1');
          }
          // The bridge plugin: cni0 with the IPv6 gateway, then a veth per pod attached to it.
          ip('link', 'add', 'cni0', 'type', 'bridge');
          ip('-6', 'addr', 'add', `${ipv6Entry(n.gateways)}/64`, 'dev', 'cni0', 'nodad');
          up('cni0');
          pods.forEach((p, i) => {
            const v = vethName(p.namespace, p.name);
            peer(v, `pod${i}`);
            ip('link', 'set', v, 'master', 'cni0');
            up(`pod${i}`);
            up(v);
          });
          for (const r of routes)
            if (r.proto !== 'kernel')
              ip(
                '-6',
                'route',
                'add',
                ...renderRoute6(r)
                  .replace(/ pref medium$/, '')
                  .split(' '),
              );
          // Link-local routes appear as each link's address is configured; wait for them rather than for a fixed time.
          let back = '';
          for (let tries = 0; tries < 50; tries++) {
            back = ip('-6', 'route');
            if (
              back.split('\n').filter((l) => l.startsWith('fe80::/64')).length ===
              pods.length + (cni === 'vxlan' ? 3 : 2)
            )
              break;
            run(['sleep', '0.1']);
          }
          // Every line the same and in the same place, except that the fe80::/64 lines (one per link, added as each
          // link gets carrier) are compared as a set: their order is a race between the links in the kernel.
          const linkLocalSorted = (t: string) => {
            const lines = t.split('\n');
            const ll = lines.filter((l) => l.startsWith('fe80::/64')).sort();
            return lines.map((l) => (l.startsWith('fe80::/64') ? ll.shift()! : l)).join('\n');
          };
          expect(linkLocalSorted(back)).toBe(linkLocalSorted(renderRouteTable6(routes)));
          expect(back.split('\n').length).toBe(renderRouteTable6(routes).split('\n').length);
        });
      });
});
