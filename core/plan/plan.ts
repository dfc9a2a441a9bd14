// Capacity planning: what the ranges allow, how much is used, what breaks first.
import { cidrSize, formatCidr, subnetCount, usableCount } from '../ip/cidr';
import { formatCount } from '../ip/explain';
import { HostLocalRange } from '../ipam/hostLocal';
import { NODEPORT_RANGE } from '../ipam/nodePorts';
import { podTally } from '../store/podQueries';
import { plan6 } from './plan6';
import { planIpv6Only } from './planIpv6Only';
import { breaksFirstOf, type Limit, type Plan } from './limit';
import { clusterIp, nodePodCidr } from '../api/familyFields';
import type { RealizedCluster, Scenario } from '../api/types';

export type { Limit, Plan } from './limit';

export function plan(s: Scenario, r: RealizedCluster): Plan {
  const c = s.cluster;
  if (!c.podSubnet || !c.serviceSubnet) return planIpv6Only(s, r);
  const mask = c.nodeCIDRMaskSize;
  const nodeCapacity = subnetCount(c.podSubnet, mask);
  // Nodes holding an IPv4 PodCIDR, whichever family is primary.
  const withCidr = r.nodes.filter((n) => nodePodCidr(n, 'IPv4') !== undefined);
  const nodeRangeUsed = withCidr.length;
  const perNodeCidr = { base: 0, prefix: mask };
  const podIPs = mask <= 30 ? new HostLocalRange(perNodeCidr).capacity : 0;
  const maxPods = Math.max(0, ...c.nodes.map((n) => n.maxPods));
  const effective = Math.min(maxPods, podIPs);
  const svcCapacity = usableCount(c.serviceSubnet);
  // The IPv4 allocator's addresses: a SingleStack IPv6 Service holds none.
  const svcUsed = r.services.filter((x) => clusterIp(x, 'IPv4') !== undefined).length;
  const npCapacity = NODEPORT_RANGE.last - NODEPORT_RANGE.first + 1;
  const npUsed = r.services.reduce((a, x) => a + x.ports.filter((p) => p.nodePort !== null).length, 0);
  // Counted from realize's columns: no pod objects for 150,000 pods.
  const tally = podTally(r);
  const podsUsed = tally.withIp;
  const podsWanted = tally.wanted;
  const six = plan6(s, r, maxPods, tally.mostOnANode);
  // Dual-stack: a pod needs an address in both families, so the smaller node range counts.
  const podIPsBoth = six ? Math.min(podIPs, six.limits.find((l) => l.id === 'podsPerNodeIPv6')!.capacity) : podIPs;
  const podCapacity = withCidr.reduce((a, n) => a + Math.min(n.maxPods, podIPsBoth), 0);

  const limits: Limit[] = [
    {
      id: 'nodes',
      what: 'nodes with a PodCIDR',
      used: c.nodes.length,
      capacity: nodeCapacity,
      because: `${formatCidr(c.podSubnet)} holds ${formatCount(nodeCapacity)} blocks of /${mask}, one per node`,
    },
    {
      id: 'podsPerNode',
      what: 'pods per node',
      used: tally.mostOnANode,
      capacity: effective,
      because:
        podIPs < maxPods
          ? `/${mask} per node gives ${formatCount(podIPs)} pod addresses but kubelet allows ${maxPods} pods`
          : `kubelet allows ${maxPods} pods per node (--max-pods); the /${mask} range has ${formatCount(podIPs)} pod addresses`,
    },
    {
      id: 'pods',
      what: 'pods in the cluster',
      used: podsWanted,
      capacity: podCapacity,
      because: `${formatCount(nodeRangeUsed)} nodes with a PodCIDR × ${formatCount(Math.min(effective, podIPsBoth))} pods each`,
    },
    {
      id: 'services',
      what: 'Service ClusterIPs',
      used: svcUsed,
      capacity: svcCapacity,
      because: `${formatCidr(c.serviceSubnet)} has ${formatCount(cidrSize(c.serviceSubnet))} addresses, less the network and broadcast addresses`,
    },
    {
      id: 'nodePorts',
      what: 'NodePorts',
      used: npUsed,
      capacity: npCapacity,
      because: `the NodePort range ${NODEPORT_RANGE.first}-${NODEPORT_RANGE.last} (--service-node-port-range) is shared by every node`,
    },
  ];
  if (six) limits.push(...six.limits);
  const breaksFirst = breaksFirstOf(limits);
  const notes: string[] = [];
  if (podIPs < maxPods)
    notes.push(
      `/${mask} per node gives ${formatCount(podIPs)} pod addresses but kubelet allows ${maxPods} pods: pods past ${podIPs} on a node fail with "no IP addresses available in range set"`,
    );
  if (six) notes.push(...six.notes);
  if (podsUsed < podsWanted) notes.push(`${formatCount(podsWanted - podsUsed)} pods have no IP (Pending)`);

  return {
    podCIDR: { cidr: formatCidr(c.podSubnet), addresses: cidrSize(c.podSubnet) },
    nodeRanges: {
      mask,
      capacity: nodeCapacity,
      used: nodeRangeUsed,
      addressesPerNode: 2 ** (32 - mask),
      podIPsPerNode: podIPs,
    },
    podsPerNode: { maxPods, podIPs, effective, limitedBy: podIPs < maxPods ? 'podCIDR' : 'maxPods' },
    services: { cidr: formatCidr(c.serviceSubnet), capacity: svcCapacity, used: svcUsed },
    nodePorts: { range: `${NODEPORT_RANGE.first}-${NODEPORT_RANGE.last}`, capacity: npCapacity, used: npUsed },
    limits,
    breaksFirst,
    notes,
    ...(six ? { ipv6: six } : {}),
  };
}
