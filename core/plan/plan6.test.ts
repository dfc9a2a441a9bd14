import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { plan } from './plan';

const planOf = (networking: string, nodes = 5) => {
  const p = parseScenario(
    `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n${networking}\nnodes: [${Array.from({ length: nodes }, (_, i) => (i === 0 ? '{role: control-plane}' : '{role: worker}')).join(', ')}]\n`,
  );
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return plan(p.scenario, realize(p.scenario));
};

describe('plan for both families', () => {
  it('catches an undersized IPv6 range: a /108 podSubnet at a /110 node mask holds four nodes', () => {
    const p = planOf('  podSubnet: 10.244.0.0/16,fd00:10:244::/108\n  nodeCIDRMaskSizeIPv6: 110');
    const l = p.limits.find((x) => x.id === 'nodesIPv6')!;
    expect([l.used, l.capacity]).toEqual([5, 4]);
    expect(p.breaksFirst.id).toBe('nodesIPv6');
    expect(p.breaksFirst.message).toContain('nodes with an IPv6 PodCIDR are exhausted: 5 wanted, 4 possible');
    // 256 IPv4 node ranges need 2^8 IPv6 blocks of /110: a /102.
    expect(p.notes.find((n) => n.startsWith('the IPv6 range is the smaller one'))).toContain(
      'gives 4 node ranges against 256 for the IPv4 range',
    );
    expect(p.notes.join('\n')).toContain('a /102 IPv6 podSubnet would match');
  });

  it("kind's dual defaults: 256 IPv6 /64 blocks like the IPv4 /24s, 2^64-2 pod addresses per node, kubelet's 110 the limit", () => {
    const p = planOf('', 2);
    expect(p.ipv6).toMatchObject({ podCIDR: 'fd00:10:244::/56', nodeMask: 64, nodeCapacity: 256 });
    expect(p.ipv6!.podIPsPerNode).toBe('18,446,744,073,709,551,614');
    expect(p.limits.find((x) => x.id === 'podsPerNodeIPv6')!.capacity).toBe(110);
    // ipallocator bitmap.go: fd00:10:96::/112 tracks 65,536 addresses less the network address.
    expect(p.limits.find((x) => x.id === 'servicesIPv6')!.capacity).toBe(65535);
    expect(p.notes.some((n) => n.includes('IPv6'))).toBe(false);
  });

  it('warns when a node IPv6 range holds fewer addresses than kubelet admits pods', () => {
    const p = planOf('  podSubnet: 10.244.0.0/16,fd00:10:244::/112\n  nodeCIDRMaskSizeIPv6: 121', 2);
    // /121: 128 addresses less the network address and the gateway.
    expect(p.limits.find((x) => x.id === 'podsPerNodeIPv6')!.capacity).toBe(110);
    const q = planOf('  podSubnet: 10.244.0.0/16,fd00:10:244::/112\n  nodeCIDRMaskSizeIPv6: 122', 2);
    expect(q.limits.find((x) => x.id === 'podsPerNodeIPv6')!.capacity).toBe(62);
    expect(q.notes.join('\n')).toContain('/122 per node (IPv6) gives 62 pod addresses but kubelet allows 110 pods');
    // Every pod needs both addresses: the cluster's pod capacity follows the smaller range.
    expect(q.limits.find((x) => x.id === 'pods')!.capacity).toBe(2 * 62);
  });

  it('single-stack plans have no IPv6 part', () => {
    const p = parseScenario('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
    if (!p.ok) throw new Error('parse');
    const pl = plan(p.scenario, realize(p.scenario));
    expect(pl.ipv6).toBeUndefined();
    expect(pl.limits.map((l) => l.id)).toEqual(['nodes', 'podsPerNode', 'pods', 'services', 'nodePorts']);
  });
});
