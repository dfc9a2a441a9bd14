// `ip -6 route` and `ip -o addr`'s inet6 lines, written and read back: the dual-stack node's IPv6 side of
// `k8snet tables`. The line shapes are iproute2 6.x's, as `ip -o addr` and `ip -6 route` print them in a
// network namespace with a global and a link-local IPv6 address on eth0.
import { webDeployment } from '../scenario/webDeployment.testUtil';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane } from './dataplane';
import { nodeDumps } from './dumpedKernel';
import { parseIp6Route, parseIpAddr6 } from './kernelDumps6';
import { parseIpAddr } from './kernelDumps';
import { nodeRoutes6 } from './routes6';
import { formatIp6 } from '../ip/cidr6';

const dual = (cni: string) => {
  const p = parseScenario(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: dual, cni: ${cni}}
nodes: [{role: control-plane}, {role: worker}]
${webDeployment(2, { port: false })}`);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};

describe('ip6-route: `ip -6 route` written and read back', () => {
  it.each(['host-gw', 'vxlan'])('reads back the very routes the node holds (%s)', (cni) => {
    const dp = dual(cni);
    for (const n of dp.cluster.nodes) {
      const d = nodeDumps(dp, n.name)!;
      expect(d.ip6Route!.document).toBe(`${n.name}/ip6-route`);
      const r = parseIp6Route(d.ip6Route!.text, d.ip6Route!.document);
      expect(r).toEqual({ ok: true, value: nodeRoutes6(dp.cluster, n) });
    }
  });

  it('writes kind-worker’s table as `ip -6 route` prints it (vxlan: flannel-v6.1, onlink)', () => {
    const d = nodeDumps(dual('vxlan'), 'kind-worker')!;
    expect(d.ip6Route!.text).toContain(
      'fd00:10:244::/64 via fd00:10:244:: dev flannel-v6.1 metric 1024 onlink pref medium\n',
    );
    expect(d.ip6Route!.text).toContain('fd00:10:244:1:: dev flannel-v6.1 proto kernel metric 256 pref medium\n');
    expect(d.ip6Route!.text.trimEnd().split('\n').at(-1)).toBe(
      'default via fc00:f853:ccd:e793::1 dev eth0 metric 1024 pref medium',
    );
  });

  it('reads what iproute2 adds (pref, expires, proto ra, linkdown) and gives a route without a metric 1024', () => {
    const r = parseIp6Route(
      [
        'fd00::/64 dev eth0 proto ra metric 100 expires 86389sec pref medium',
        'fe80::/64 dev veth0 proto kernel metric 256 linkdown pref medium',
        'fd00:1::/64 via fd00::9 dev eth0',
        'default via fe80::1 dev eth0 proto ra metric 1024 expires 1789sec hoplimit 64 pref medium',
      ].join('\n'),
      'ip6-route',
    );
    expect(r).toEqual({
      ok: false,
      error: { document: 'ip6-route', line: 4, message: '"hoplimit" is not a route attribute this model reads' },
    });
    const ok = parseIp6Route(
      'fd00::/64 dev eth0 proto ra metric 100 expires 86389sec pref medium\nfd00:1::/64 via fd00::9 dev eth0\n',
      'x',
    );
    if (!ok.ok) throw new Error(ok.error.message);
    expect(ok.value.map((x) => [x.metric, x.origin, x.via === undefined ? '-' : formatIp6(x.via)])).toEqual([
      [100, 'host-gw', '-'],
      [1024, 'host-gw', 'fd00::9'],
    ]);
  });

  it('names the line and why for a line it cannot read', () => {
    const text = 'fd00::/64 dev eth0 proto kernel metric 256 pref medium\n10.0.0.0/8 dev eth0\n';
    expect(parseIp6Route(text, 'n/ip6-route')).toEqual({
      ok: false,
      error: {
        document: 'n/ip6-route',
        line: 2,
        message: '"10.0.0.0/8" is not a destination (default or an IPv6 prefix)',
      },
    });
    expect(parseIp6Route('default via 10.0.0.1 dev eth0\n', 'r')).toMatchObject({
      ok: false,
      error: { line: 1, message: 'via "10.0.0.1" is not an IPv6 address' },
    });
    expect(parseIp6Route('fd00::/64 via fd00::1\n', 'r')).toMatchObject({
      ok: false,
      error: { line: 1, message: 'the route names no device (dev)' },
    });
  });
});

describe("ip-addr's inet6 lines", () => {
  it("a dual-stack node's ip-addr holds each device's inet6 lines after its inet ones, as `ip -o addr` prints them", () => {
    const text = nodeDumps(dual('vxlan'), 'kind-worker')!.ipAddr.text;
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever',
      '2: eth0    inet 172.18.0.3/16 brd 172.18.255.255 scope global eth0\\       valid_lft forever preferred_lft forever',
      '2: eth0    inet6 fc00:f853:ccd:e793::3/64 scope global \\       valid_lft forever preferred_lft forever',
    ]);
    expect(lines).toContain(
      '3: cni0    inet6 fd00:10:244:1::1/64 scope global \\       valid_lft forever preferred_lft forever',
    );
    // flannel-v6.1 holds only an IPv6 address: it comes after the devices the IPv4 side lists.
    expect(lines.at(-1)).toMatch(/^\d+: flannel-v6\.1 {4}inet6 fd00:10:244:1::\/128 scope global \\ {7}valid_lft/);
    // The IPv4 reader still reads only the inet lines.
    const v4 = parseIpAddr(text, 'ip-addr');
    expect(v4.ok && v4.value.map((a) => a.dev)).toEqual(['lo', 'eth0', 'cni0', 'flannel.1']);
  });

  it('reads every inet6 line, a link-local one marked as such', () => {
    const r = parseIpAddr6(
      [
        '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
        '1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever',
        '4: eth0    inet6 fd00::2/64 scope global nodad \\       valid_lft forever preferred_lft forever',
        '4: eth0    inet6 fe80::fc:ff:fe00:1/64 scope link \\       valid_lft forever preferred_lft forever',
      ].join('\n'),
      'ip-addr',
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.map((a) => [a.dev, formatIp6(a.ip), a.prefix, a.link])).toEqual([
      ['lo', '::1', 128, false],
      ['eth0', 'fd00::2', 64, false],
      ['eth0', 'fe80::fc:ff:fe00:1', 64, true],
    ]);
    expect(parseIpAddr6('2: eth0    inet6 fd00::zz/64 scope global\n', 'a')).toEqual({
      ok: false,
      error: { document: 'a', line: 1, message: '"fd00::zz/64" is not an IPv6 address/prefix' },
    });
  });
});
