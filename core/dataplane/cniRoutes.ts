// The routes the CNI added on a node, one per other node's PodCIDR, with the node each one leads to:
// "the CNI adds a route per node", as a diagram draws it, in either family's table.
import { nodePodCidr, primaryFamily } from '../api/familyFields';
import type { RealizedCluster } from '../api/types';
import type { IpFamilyName } from '../ip/anyIp';
import { formatCidr } from '../ip/cidr';
import { formatCidr6 } from '../ip/cidr6';
import { nodeRoutes, renderRoute } from './routes';
import { nodeRoutes6, renderRoute6 } from './routes6';

export interface CniRoute {
  /** The node whose PodCIDR the route leads to. */
  to: string;
  /** The line as `ip route` (IPv4) or `ip -6 route` (IPv6) prints it. */
  line: string;
}

const fromCni = (origin: string) => origin === 'host-gw' || origin === 'flannel';

/**
 * IPv6: the node's `ip -6 route` lines to the other nodes' IPv6 PodCIDRs (none in an IPv4 cluster). The family
 * defaults to the cluster's primary one, the one kind lists first (IPv6 in an IPv6-first dual-stack cluster and in an
 * IPv6 single-stack one, which has no IPv4 routes).
 */
export function cniRoutesByNode(
  c: RealizedCluster,
  nodeName: string,
  family: IpFamilyName = primaryFamily(c.cluster),
): CniRoute[] {
  const node = c.nodes.find((x) => x.name === nodeName);
  if (!node) return [];
  const byCidr = new Map<string, string>();
  for (const o of c.nodes) {
    const cidr = nodePodCidr(o, family);
    if (cidr) byCidr.set(cidr, o.name);
  }
  const routes =
    family === 'IPv6'
      ? (nodeRoutes6(c, node) ?? []).flatMap((r) =>
          fromCni(r.origin) && r.dst ? [{ to: byCidr.get(formatCidr6(r.dst)) ?? '', line: renderRoute6(r) }] : [],
        )
      : nodeRoutes(c, node).flatMap((r) =>
          fromCni(r.origin) && r.dst ? [{ to: byCidr.get(formatCidr(r.dst)) ?? '', line: renderRoute(r) }] : [],
        );
  return routes.filter((x) => x.to !== '');
}
