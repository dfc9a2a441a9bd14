// Capacity of a dual-stack cluster's IPv6 half: node ranges, pod addresses per node and IPv6 ClusterIPs, and the
// notes that catch an IPv6 range sized smaller than its IPv4 twin (every node and pod needs an address in both).
import { subnetCount } from '../ip/cidr';
import { formatCidr6 } from '../ip/cidr6';
import { formatCount } from '../ip/explain';
import { formatBigCount } from '../ip/explain6';
import { ClusterIpAllocator6, hostLocalCapacity6 } from '../ipam/family6';
import type { Limit, Plan6 } from './limit';
import { clusterIp } from '../api/familyFields';
import type { RealizedCluster, Scenario } from '../api/types';

export type { Plan6 } from './limit';

export function plan6(s: Scenario, r: RealizedCluster, maxPods: number, mostOnANode: number): Plan6 | undefined {
  const sec = s.cluster.secondary;
  if (!sec) return undefined;
  const mask = sec.nodeCIDRMaskSize;
  const nodeCapacity = 2 ** Math.max(0, mask - sec.podSubnet.prefix);
  const podIPs = hostLocalCapacity6({ base: 0n, prefix: mask });
  const perNode = podIPs < BigInt(maxPods) ? Number(podIPs) : maxPods;
  const svcCapacity = new ClusterIpAllocator6(sec.serviceSubnet).capacity;
  const svcUsed = r.services.filter((x) => clusterIp(x, 'IPv6') !== undefined).length;
  const pod6 = formatCidr6(sec.podSubnet);
  const svc6 = formatCidr6(sec.serviceSubnet);
  const limits: Limit[] = [
    {
      id: 'nodesIPv6',
      what: 'nodes with an IPv6 PodCIDR',
      used: s.cluster.nodes.length,
      capacity: nodeCapacity,
      because: `${pod6} holds ${formatCount(nodeCapacity)} blocks of /${mask}, one per node (${s.cluster.podSubnet ? '--node-cidr-mask-size-ipv6' : '--node-cidr-mask-size'})`,
    },
    {
      id: 'podsPerNodeIPv6',
      what: 'pods per node (IPv6)',
      used: mostOnANode,
      capacity: perNode,
      because:
        podIPs < BigInt(maxPods)
          ? `/${mask} per node gives ${formatBigCount(podIPs)} IPv6 pod addresses but kubelet allows ${maxPods} pods`
          : `kubelet allows ${maxPods} pods per node; the IPv6 /${mask} range has ${formatBigCount(podIPs)} pod addresses`,
    },
    {
      id: 'servicesIPv6',
      what: 'IPv6 Service ClusterIPs',
      used: svcUsed,
      capacity: svcCapacity,
      because: `${svc6}: the API server's IPv6 bitmap holds ${formatCount(svcCapacity)} addresses (network address excluded, at most 65,536 tracked)`,
    },
  ];
  const notes: string[] = [];
  // An IPv6 single-stack cluster has no IPv4 twin to compare with.
  const nodes4 = s.cluster.podSubnet ? subnetCount(s.cluster.podSubnet, s.cluster.nodeCIDRMaskSize) : 0;
  if (nodes4 > 0 && nodeCapacity < nodes4)
    notes.push(
      `the IPv6 range is the smaller one: ${pod6} at /${mask} gives ${formatCount(nodeCapacity)} node ranges against ${formatCount(nodes4)} for the IPv4 range, and a node needs one of each, so the cluster stops at ${formatCount(nodeCapacity)} nodes; a /${Math.max(mask - 16, sec.podSubnet.prefix - Math.ceil(Math.log2(nodes4 / nodeCapacity)))} IPv6 podSubnet would match`,
    );
  if (podIPs < BigInt(maxPods))
    notes.push(
      `/${mask} per node (IPv6) gives ${formatBigCount(podIPs)} pod addresses but kubelet allows ${maxPods} pods: pods past ${formatBigCount(podIPs)} on a node fail with "failed to allocate for range ${s.cluster.podSubnet ? 1 : 0}"`,
    );
  return {
    podCIDR: pod6,
    nodeMask: mask,
    nodeCapacity,
    podIPsPerNode: formatBigCount(podIPs),
    podCIDRAddresses: formatBigCount(1n << BigInt(128 - sec.podSubnet.prefix)),
    serviceCIDR: svc6,
    limits,
    notes,
  };
}
