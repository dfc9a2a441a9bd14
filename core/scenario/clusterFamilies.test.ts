import { describe, expect, it } from 'vitest';
import { formatCidr6 } from '../ip/cidr6';
import { formatCidr } from '../ip/cidr';
import { parseScenario } from './parse';

const CLUSTER = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n';
const net = (lines: string) => `${CLUSTER}networking:\n${lines}`;
const errorsOf = (text: string) => {
  const r = parseScenario(text);
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => `${e.path}: ${e.value}: ${e.message}`);
};
const clusterOf = (text: string) => {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.scenario.cluster;
};

// kubernetes-sigs/kind pkg/internal/apis/config/default.go (SetDefaultsCluster) and validate.go (validateSubnets).
describe("kind's networking.ipFamily", () => {
  it("dual with no subnets takes kind's dual defaults: 10.244.0.0/16,fd00:10:244::/56 and 10.96.0.0/16,fd00:10:96::/112", () => {
    const c = clusterOf(net('  ipFamily: dual\n'));
    expect(c.ipFamily).toBe('dual');
    expect(formatCidr(c.podSubnet!)).toBe('10.244.0.0/16');
    expect(formatCidr(c.serviceSubnet!)).toBe('10.96.0.0/16');
    expect(formatCidr6(c.secondary!.podSubnet)).toBe('fd00:10:244::/56');
    expect(formatCidr6(c.secondary!.serviceSubnet)).toBe('fd00:10:96::/112');
    // kube-controller-manager's defaultNodeMaskCIDRIPv6 (cmd/kube-controller-manager/app/core.go)
    expect(c.secondary!.nodeCIDRMaskSize).toBe(64);
    expect(c.nodeCIDRMaskSize).toBe(24);
  });

  it('dual reads comma-separated subnets in order, the first family primary; RFC 5952 text', () => {
    const c = clusterOf(
      net(
        '  ipFamily: dual\n  podSubnet: 10.32.0.0/14,FD00:0010:0244:0000::/56\n  serviceSubnet: 10.96.0.0/12, fd00:10:96::/108\n  nodeCIDRMaskSizeIPv6: 72\n',
      ),
    );
    expect(formatCidr(c.podSubnet!)).toBe('10.32.0.0/14');
    expect(formatCidr6(c.secondary!.podSubnet)).toBe('fd00:10:244::/56');
    expect(formatCidr6(c.secondary!.serviceSubnet)).toBe('fd00:10:96::/108');
    expect(c.secondary!.nodeCIDRMaskSize).toBe(72);
  });

  it('ipv4 (and no ipFamily) stays single-stack with no secondary family', () => {
    expect(clusterOf(net('  ipFamily: ipv4\n')).secondary).toBeUndefined();
    expect(clusterOf(CLUSTER).ipFamily).toBeUndefined();
  });

  it("mismatches between ipFamily and the subnets fail with kind's reasons, naming field and value", () => {
    expect(errorsOf(net('  podSubnet: 10.244.0.0/16,fd00:10:244::/56\n'))).toEqual([
      'networking.podSubnet: 10.244.0.0/16,fd00:10:244::/56: only one CIDR allowed for single-stack networking (ipFamily ipv4)',
    ]);
    expect(errorsOf(net('  serviceSubnet: fd00:10:96::/112\n'))).toEqual([
      'networking.serviceSubnet: fd00:10:96::/112: expected IPv4 CIDR for IPv4 family; for IPv6 too, set ipFamily: dual and list the IPv4 range first (ipFamily ipv4)',
    ]);
    expect(errorsOf(net('  ipFamily: dual\n  podSubnet: 10.244.0.0/16,10.245.0.0/16\n'))).toEqual([
      'networking.podSubnet: 10.244.0.0/16,10.245.0.0/16: expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking (ipFamily dual)',
    ]);
    expect(errorsOf(net('  ipFamily: dual\n  serviceSubnet: 10.96.0.0/16,fd00::/112,fd01::/112\n'))[0]).toContain(
      'expected one (IPv4 or IPv6) CIDR or two CIDRs from each family',
    );
    expect(errorsOf(net('  ipFamily: dual\n  podSubnet: 10.244.0.0/16\n'))[0]).toContain(
      'a dual-stack cluster needs two CIDRs, one IPv4 and one IPv6',
    );
    expect(errorsOf(net('  ipFamily: ipv5\n'))).toEqual([
      'networking.ipFamily: ipv5: invalid ipFamily: ipv5 (kind accepts ipv4, ipv6 or dual)',
    ]);
    expect(errorsOf(net('  ipFamily: dual\n  podSubnet: 10.244.0.0/16,fd00:zz::/56\n'))[0]).toContain(
      'invalid CIDR "fd00:zz::/56"',
    );
  });

  it('reads IPv6-first dual-stack (IPv6 primary), refuses pods and Services in different orders; IPv6-only is read', () => {
    const first6 = clusterOf(
      net(
        '  ipFamily: dual\n  podSubnet: fd00:10:244::/56,10.244.0.0/16\n  serviceSubnet: fd00:10:96::/112,10.96.0.0/16\n',
      ),
    );
    expect([first6.podSubnet?.prefix, first6.secondary!.podSubnet.prefix, first6.secondary!.primary]).toEqual([
      16,
      56,
      true,
    ]);
    expect(clusterOf(net('  ipFamily: dual\n')).secondary!.primary).toBeUndefined();
    // Only podSubnet reordered: kind's default serviceSubnet still lists IPv4 first.
    expect(errorsOf(net('  ipFamily: dual\n  podSubnet: fd00:10:244::/56,10.244.0.0/16\n'))).toEqual([
      "networking.serviceSubnet: 10.96.0.0/16,fd00:10:96::/112: kind's default for ipFamily dual lists IPv4 first but networking.podSubnet lists IPv6 first: pods and Services with different primary families are not modelled; list both in the same order, the primary family first (serviceSubnet: fd00:10:96::/112,10.96.0.0/16)",
    ]);
    const six = clusterOf(net('  ipFamily: ipv6\n'));
    expect([six.podSubnet, six.secondary!.podSubnet.prefix, six.nodeCIDRMaskSize]).toEqual([undefined, 56, 64]);
  });

  it('checks the IPv6 node mask as kubeadm and cidrset do: at most 16 bits longer than the cluster mask', () => {
    // cmd/kubeadm/app/apis/kubeadm/validation/validation.go ValidatePodSubnetNodeMask (PodSubnetNodeMaskMaxDiff = 16);
    // pkg/controller/nodeipam/ipam/cidrset/cidr_set.go clusterSubnetMaxDiff = 16, ErrCIDRSetSubNetTooBig.
    expect(errorsOf(net('  ipFamily: dual\n  podSubnet: 10.244.0.0/16,fd00:10::/47\n'))[0]).toBe(
      'networking.nodeCIDRMaskSizeIPv6: 64: New CIDR set failed; the node CIDR size is too big: pod subnet mask (47) and node-mask (64) difference is greater than 16 (kubeadm and kube-controller-manager allow at most 2^16 node blocks; use --node-cidr-mask-size-ipv6 63 or shorter)',
    );
    // /48 with a /64 mask is exactly 16 bits: accepted.
    expect(
      clusterOf(net('  ipFamily: dual\n  podSubnet: 10.244.0.0/16,fd00:10::/48\n')).secondary!.podSubnet.prefix,
    ).toBe(48);
    expect(errorsOf(net('  ipFamily: dual\n  nodeCIDRMaskSizeIPv6: 48\n'))[0]).toContain(
      'node CIDR mask size /48 is larger than the cluster CIDR fd00:10:244::/56',
    );
    expect(
      errorsOf(net('  ipFamily: dual\n  podSubnet: 10.244.0.0/16,fd00:10:244::/120\n  nodeCIDRMaskSizeIPv6: 127\n'))[0],
    ).toContain('too small to allocate from');
  });

  it("refuses an IPv6 service range over 20 host bits, in kube-apiserver's words", () => {
    // cmd/kube-apiserver/app/options/validation.go validateMaxCIDRRange
    expect(errorsOf(net('  ipFamily: dual\n  serviceSubnet: 10.96.0.0/16,fd00:10:96::/64\n'))[0]).toContain(
      'specified --service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108',
    );
    expect(
      errorsOf(
        net('  ipFamily: dual\n  podSubnet: 10.244.0.0/16,fd00:10::/56\n  serviceSubnet: 10.96.0.0/16,fd00:10::/112\n'),
      )[0],
    ).toContain('overlaps the IPv6 podSubnet fd00:10::/56');
  });
});
