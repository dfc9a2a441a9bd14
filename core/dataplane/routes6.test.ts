import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { nodeRoutes6, renderRouteTable6 } from './routes6';

const cluster = (networking: string, nodes = '[{role: control-plane}, {role: worker}, {role: worker}]') => {
  const p = parseScenario(
    `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: ${networking}\nnodes: ${nodes}\n`,
  );
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
};
const table = (networking: string, node: string, nodes?: string) => {
  const c = cluster(networking, nodes);
  return renderRouteTable6(
    nodeRoutes6(
      c,
      c.nodes.find((n) => n.name === node)!,
    )!,
  );
};

describe('ip -6 route on a dual-stack node', () => {
  it('host-gw: each other node IPv6 PodCIDR via that node IPv6 address on eth0 (flannel hostgw.go GetV6Route)', () => {
    expect(table('{ipFamily: dual}', 'kind-worker')).toBe(
      [
        'fc00:f853:ccd:e793::/64 dev eth0 proto kernel metric 256 pref medium',
        'fd00:10:244::/64 via fc00:f853:ccd:e793::2 dev eth0 metric 1024 pref medium',
        'fd00:10:244:2::/64 via fc00:f853:ccd:e793::4 dev eth0 metric 1024 pref medium',
        'fe80::/64 dev eth0 proto kernel metric 256 pref medium',
        'default via fc00:f853:ccd:e793::1 dev eth0 metric 1024 pref medium',
        '',
      ].join('\n'),
    );
  });

  it("vxlan: via each PodCIDR's first address on flannel-v6.1, onlink, with its own /128 (vxlan_network.go v6VxlanRoute)", () => {
    const t = table('{ipFamily: dual, cni: vxlan}', 'kind-control-plane');
    expect(t).toContain('fd00:10:244:: dev flannel-v6.1 proto kernel metric 256 pref medium\n');
    expect(t).toContain('fd00:10:244:1::/64 via fd00:10:244:1:: dev flannel-v6.1 metric 1024 onlink pref medium\n');
    // coredns runs here: cni0 holds the node's IPv6 PodCIDR, and every link with a link-local address has fe80::/64.
    expect(t).toContain('fd00:10:244::/64 dev cni0 proto kernel metric 256 pref medium\n');
    expect(t.match(/^fe80::\/64 dev (\S+)/gm)).toEqual([
      'fe80::/64 dev eth0',
      'fe80::/64 dev flannel-v6.1',
      'fe80::/64 dev cni0',
      expect.stringMatching(/^fe80::\/64 dev veth[0-9a-f]{8}$/),
      expect.stringMatching(/^fe80::\/64 dev veth[0-9a-f]{8}$/),
    ]);
    expect(t.trimEnd().split('\n').at(-1)).toBe('default via fc00:f853:ccd:e793::1 dev eth0 metric 1024 pref medium');
  });

  it('a single-stack cluster has no IPv6 table', () => {
    const c = cluster('{}');
    expect(nodeRoutes6(c, c.nodes[0]!)).toBeUndefined();
  });
});
