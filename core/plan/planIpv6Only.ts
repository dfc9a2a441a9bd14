// Capacity planning for an IPv6 single-stack cluster (kind's ipFamily: ipv6): the IPv6 ranges are the only ones, so
// plan6's IPv6 limits become the plan's nodes, pods per node and Service limits.
import { formatCount } from '../ip/explain';
import { hostLocalCapacity6 } from '../ipam/family6';
import { NODEPORT_RANGE } from '../ipam/nodePorts';
import { podTally } from '../store/podQueries';
import { plan6 } from './plan6';
import { breaksFirstOf, type Limit, type Plan } from './limit';
import { nodePodCidr } from '../api/familyFields';
import type { RealizedCluster, Scenario } from '../api/types';

/** 2^bits as a number (rounded past 2^53, as JSON numbers are). */
const pow2 = (bits: number): number => 2 ** bits;

export function planIpv6Only(s: Scenario, r: RealizedCluster): Plan {
  const sec = s.cluster.secondary!;
  const maxPods = Math.max(0, ...s.cluster.nodes.map((n) => n.maxPods));
  const tally = podTally(r);
  const six = plan6(s, r, maxPods, tally.mostOnANode)!;
  const byId = (id: string) => six.limits.find((l) => l.id === id)!;
  const rename = (l: Limit, id: string, what: string): Limit => ({ ...l, id, what });
  const nodes = rename(byId('nodesIPv6'), 'nodes', 'nodes with a PodCIDR');
  const perNode = rename(byId('podsPerNodeIPv6'), 'podsPerNode', 'pods per node');
  const services = rename(byId('servicesIPv6'), 'services', 'Service ClusterIPs');
  const withCidr = r.nodes.filter((n) => nodePodCidr(n, 'IPv6') !== undefined).length;
  const exact = hostLocalCapacity6({ base: 0n, prefix: sec.nodeCIDRMaskSize });
  const podIPs = exact > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(exact);
  const npCapacity = NODEPORT_RANGE.last - NODEPORT_RANGE.first + 1;
  const limits: Limit[] = [
    nodes,
    perNode,
    {
      id: 'pods',
      what: 'pods in the cluster',
      used: tally.wanted,
      capacity: r.nodes.reduce((a, n) => a + (nodePodCidr(n, 'IPv6') ? Math.min(n.maxPods, perNode.capacity) : 0), 0),
      because: `${formatCount(withCidr)} nodes with a PodCIDR × ${formatCount(perNode.capacity)} pods each`,
    },
    services,
    {
      id: 'nodePorts',
      what: 'NodePorts',
      used: r.services.reduce((a, x) => a + x.ports.filter((p) => p.nodePort !== null).length, 0),
      capacity: npCapacity,
      because: `the NodePort range ${NODEPORT_RANGE.first}-${NODEPORT_RANGE.last} (--service-node-port-range) is shared by every node`,
    },
  ];
  const notes = [...six.notes];
  if (tally.withIp < tally.wanted) notes.push(`${formatCount(tally.wanted - tally.withIp)} pods have no IP (Pending)`);
  return {
    podCIDR: { cidr: six.podCIDR, addresses: pow2(128 - sec.podSubnet.prefix) },
    nodeRanges: {
      mask: sec.nodeCIDRMaskSize,
      capacity: nodes.capacity,
      used: withCidr,
      addressesPerNode: pow2(128 - sec.nodeCIDRMaskSize),
      podIPsPerNode: podIPs,
    },
    podsPerNode: {
      maxPods,
      podIPs,
      effective: perNode.capacity,
      limitedBy: podIPs < maxPods ? 'podCIDR' : 'maxPods',
    },
    services: { cidr: six.serviceCIDR, capacity: services.capacity, used: services.used },
    nodePorts: { range: `${NODEPORT_RANGE.first}-${NODEPORT_RANGE.last}`, capacity: npCapacity, used: limits[4]!.used },
    limits,
    breaksFirst: breaksFirstOf(limits),
    notes,
    ipv6: six,
  };
}
