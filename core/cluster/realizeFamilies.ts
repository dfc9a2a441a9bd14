// What realize does per family mode: an IPv4 or dual-stack cluster's pod columns hold IPv4 addresses first (the
// IPv6 ones beside them); an IPv6 single-stack cluster's (kind's ipFamily: ipv6, no IPv4 podSubnet) hold IPv6
// offsets in each node's PodCIDR, and its nodes, pods, Services and cluster ranges show IPv6 in the primary fields.
import { HostLocalRange, type PodAddressRange } from '../ipam/hostLocal';
import { HostLocalPrimary6, type HostLocalRange6 } from '../ipam/family6';
import { dnsServiceIp } from '../ipam/serviceIps';
import { firstUsable, formatCidr, formatIp } from '../ip/cidr';
import { formatCidr6, formatIp6 } from '../ip/cidr6';
import { cidrSetKey, type NodeState } from './realizeNodes';
import { dualStackNodeFields, hostLocal6 } from './realizeDual';
import { builtInClusterIp6 } from './realizeServices6';
import type { PackedNode } from '../store/packedCluster';
import type { ClusterSpec, RealizedClusterInfo } from '../api/types';

/** kind's ipFamily: ipv6: no IPv4 range at all. */
export const isIpv6Only = (spec: ClusterSpec): boolean => !spec.podSubnet && !!spec.secondary;

/** IPv6 is the primary family: an IPv6 single-stack cluster, or a dual-stack one whose ranges list IPv6 first. */
export const isIpv6Primary = (spec: ClusterSpec): boolean => isIpv6Only(spec) || !!spec.secondary?.primary;

/** Each node's host-local range for the pod columns, and in a dual-stack cluster its second (IPv6) range. */
export function podRanges(
  spec: ClusterSpec,
  nodes: readonly NodeState[],
): { ranges: (PodAddressRange | null)[]; ranges6: (HostLocalRange6 | null)[] | undefined } {
  if (isIpv6Only(spec))
    return {
      ranges: nodes.map((n) => {
        const r = hostLocal6(n);
        return r ? new HostLocalPrimary6(r) : null;
      }),
      ranges6: undefined,
    };
  return {
    ranges: nodes.map((n) => (n.podCIDR ? new HostLocalRange(n.podCIDR) : null)),
    ranges6: spec.secondary ? nodes.map(hostLocal6) : undefined,
  };
}

/**
 * A node as the packed cluster holds it (`both`: its both-family fields, absent in an IPv4 cluster; `primary6`: its
 * primary fields are the lists' first, IPv6, entries).
 */
export function packedNodeOf(
  n: NodeState,
  both: ReturnType<typeof dualStackNodeFields> | undefined,
  primary6: boolean,
): PackedNode {
  const six = primary6 ? both?.node : undefined;
  return {
    name: n.name,
    role: n.role,
    ip: six ? six.ips[0]! : formatIp(n.ip),
    podCIDR: six ? (six.podCIDRs[0] ?? null) : n.podCIDR ? formatCidr(n.podCIDR) : null,
    gateway: six ? (six.gateways[0] ?? null) : n.podCIDR ? formatIp(firstUsable(n.podCIDR)) : null,
    labels: n.labels,
    taints: n.taints,
    maxPods: n.maxPods,
    ...(both ? both.node : {}),
  };
}

/** The cluster's ranges as RealizedClusterInfo lists them (primary family first). */
export function clusterInfoOf(spec: ClusterSpec): RealizedClusterInfo {
  const sec = spec.secondary;
  const v4 =
    spec.podSubnet && spec.serviceSubnet
      ? {
          pod: formatCidr(spec.podSubnet),
          svc: formatCidr(spec.serviceSubnet),
          node: formatCidr(spec.nodeSubnet),
          dns: formatIp(dnsServiceIp(spec.serviceSubnet)),
        }
      : undefined;
  const v6 = sec
    ? {
        pod: formatCidr6(sec.podSubnet),
        svc: formatCidr6(sec.serviceSubnet),
        node: formatCidr6(sec.nodeSubnet),
        dns: formatIp6(builtInClusterIp6(sec.serviceSubnet, 'kube-system/kube-dns')!),
      }
    : undefined;
  // Each family's ranges, primary first; the single fields are the primary family's.
  const families = [v4, v6].filter((f) => f !== undefined);
  if (isIpv6Primary(spec)) families.reverse();
  const primary = families[0]!;
  return {
    name: spec.name,
    podCIDR: primary.pod,
    serviceCIDR: primary.svc,
    nodeSubnet: primary.node,
    nodeCIDRMaskSize: spec.nodeCIDRMaskSize,
    cni: spec.cni,
    kubeProxyMode: spec.kubeProxyMode,
    clusterDomain: spec.clusterDomain,
    // kubeadm's kube-dns: SingleStack in the primary family, the tenth address of the first service range.
    dnsIP: primary.dns,
    ...(sec
      ? {
          ipFamily: spec.ipFamily,
          podCIDRs: families.map((f) => f.pod),
          serviceCIDRs: families.map((f) => f.svc),
          nodeSubnets: families.map((f) => f.node),
          nodeCIDRMaskSizeIPv6: sec.nodeCIDRMaskSize,
        }
      : {}),
  };
}

/** The IPv4 cidrset a live cluster's allocator position counts in ("" when the cluster has no IPv4 range). */
export const cidrSetKeyOf = (spec: ClusterSpec): string =>
  spec.podSubnet ? cidrSetKey(spec.podSubnet, spec.nodeCIDRMaskSize) : '';
