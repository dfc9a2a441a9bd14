// A computed node's IPv6 side, as the walker reads it: `ip -6 route`'s main table (routes6.ts), the local
// table's addresses (::1, eth0's, cni0's gateway, flannel-v6.1's /128) and ip6tables' tables when something
// renders them. Without ip6tables tables the side has none: a walk that needs kube-proxy's IPv6 rules is
// refused by the tracer rather than walked through an empty table.
import type { RealizedCluster, RealizedNode } from '../api/types';
import { formatIp6, parseIp6 } from '../ip/cidr6';
import { lookupRoute6 } from './anyRoute';
import { deviceAddress6, isNodeAddress } from './devices';
import type { ChainSource, TableName } from './iptablesTable';
import type { FamilyKernel } from './nodeKernel';
import { nodeRoutes6, type Route6 } from './routes6';

/** A node's ip6tables nat and filter tables. */
export type Ip6Tables = { nat: ChainSource; filter: ChainSource };

export function computedKernel6(
  c: RealizedCluster,
  nd: RealizedNode,
  tables?: () => Ip6Tables | undefined,
): FamilyKernel<bigint> {
  let routes: Route6[] | undefined;
  const local = new Map<bigint, boolean>();
  return {
    table: (name: TableName) => (name === 'nat' || name === 'filter' ? tables?.()?.[name] : undefined),
    route: (ip) => lookupRoute6((routes ??= nodeRoutes6(c, nd) ?? []), ip),
    isLocal: (ip) => {
      let hit = local.get(ip);
      if (hit === undefined) local.set(ip, (hit = ip === 1n || isNodeAddress(c, nd, formatIp6(ip))));
      return hit;
    },
    addressOn: (dev) => {
      const a = deviceAddress6(nd, dev);
      const p = a === undefined ? undefined : parseIp6(a);
      return p?.ok ? p.value : undefined;
    },
  };
}
