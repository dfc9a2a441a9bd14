// What a packet walker reads of one node's kernel: its iptables tables, its
// routing tables (main, and local for its own addresses and 127.0.0.0/8) and
// the address each device holds. Computed nodes build their Service rules
// lazily, one Service port at a time, exactly as the full table holds them:
// a 10,000-Service node's table is half a million rules, and a trace needs a
// handful.
import { containsIp, formatIp, parseIp } from '../ip/cidr';
import type { Ipv4 } from '../ip/types';
import { isIp6, type IpAddr, type IpFamilyName } from '../ip/anyIp';
import type { AnyRoute } from './anyRoute';
import type { RealizedCluster, RealizedNode } from '../api/types';
import { deviceAddress, isNodeAddress } from './devices';
import { addFlannelRules } from './flannelIptables';
import type { ChainSource, Table, TableName } from './iptablesTable';
import { LazyIptables, ServiceChainPositions } from './lazyIptables';
import { emptyIptables } from './kubeProxyBaseRules';
import { clusterCidrOf, nodePodCidrOf } from './kubeProxyIptables';
import type { NftTable } from './kubeProxyNftables';
import type { EnforcerTable } from '../policy/enforcer';
import type { Route } from './routes';
import type { ServiceRuleIndex } from './serviceRules';

export { ServiceChainPositions };

export interface NodeKernel {
  name: string;
  /** The iptables tables present (nat and filter; raw and mangle when a dump has them); IPv6: ip6tables'. */
  table(name: TableName, family?: IpFamilyName): ChainSource | undefined;
  /** The main table's choice for an address (IPv6: `ip -6 route`'s); undefined when no route matches. */
  route(ip: Ipv4): Route | undefined;
  route(ip: IpAddr): AnyRoute | undefined;
  /** The local table: one of the node's own addresses, or loopback's 127.0.0.0/8 and ::1. */
  isLocal(ip: IpAddr): boolean;
  /** The address a device holds in a family (what MASQUERADE picks for a packet leaving through it). */
  addressOn(dev: string): Ipv4 | undefined;
  addressOn(dev: string, family: IpFamilyName): IpAddr | undefined;
  /** kube-proxy's `table ip kube-proxy`, in nftables mode. */
  nft?(): NftTable | undefined;
  /** kube-proxy's `table ip6 kube-proxy`, in nftables mode on a dual-stack node. */
  nft6?(): NftTable | undefined;
  /** kube-network-policies' table, when a dump gave it (computed nodes: core/policy computes it). */
  enforcer?(): EnforcerTable | undefined;
}

/** One family's side of a node's kernel: what the walker reads for a packet of that family. */
export interface FamilyKernel<A extends IpAddr> {
  table(name: TableName): ChainSource | undefined;
  route(ip: A): AnyRoute | undefined;
  isLocal(ip: A): boolean;
  addressOn(dev: string): A | undefined;
}

/** IPv6's ::1, the only local address of a node that has no IPv6 side (single-stack, or a dump without one). */
export const NO_IPV6: FamilyKernel<bigint> = {
  table: () => undefined,
  route: () => undefined,
  isLocal: (ip) => ip === 1n,
  addressOn: (dev) => (dev === 'lo' ? 1n : undefined),
};

/** A node's kernel from its two families' sides: a packet's address type picks the side (anyIp.ts: bigint = IPv6). */
export function bothFamilies(
  name: string,
  v4: FamilyKernel<Ipv4>,
  v6: FamilyKernel<bigint>,
  extra: Pick<NodeKernel, 'nft' | 'nft6' | 'enforcer'> = {},
): NodeKernel {
  return {
    name,
    table: (t, family) => (family === 'IPv6' ? v6.table(t) : v4.table(t)),
    route: ((ip: IpAddr) => (isIp6(ip) ? v6.route(ip) : v4.route(ip))) as NodeKernel['route'],
    isLocal: (ip) => (isIp6(ip) ? v6.isLocal(ip) : v4.isLocal(ip)),
    addressOn: ((dev: string, family?: IpFamilyName) =>
      family === 'IPv6' ? v6.addressOn(dev) : v4.addressOn(dev)) as NodeKernel['addressOn'],
    ...extra,
  };
}

const LOOPBACK = { base: 0x7f000000, prefix: 8 };
export const isLoopback = (ip: Ipv4) => containsIp(LOOPBACK, ip);

const ipOf = (s: string): Ipv4 => {
  const p = parseIp(s);
  if (!p.ok) throw new Error(`internal: bad IP ${s}`);
  return p.value;
};

/** A computed node (iptables mode): tables written lazily, routes from the cluster's route index. */
export function computedKernel(
  c: RealizedCluster,
  index: ServiceRuleIndex,
  nd: RealizedNode,
  route: (ip: Ipv4) => Route,
  positions: () => ServiceChainPositions,
  kubeProxyIptables: boolean,
  nft: () => NftTable | undefined,
  v6: FamilyKernel<bigint> = NO_IPV6,
): NodeKernel {
  let lazy: LazyIptables | undefined;
  let flannelOnly: { nat: Table; filter: Table } | undefined;
  const tables = () => {
    if (kubeProxyIptables) return (lazy ??= new LazyIptables(c, index, nd, positions)).tables;
    if (!flannelOnly) {
      flannelOnly = emptyIptables();
      addFlannelRules(flannelOnly.nat, flannelOnly.filter, clusterCidrOf(c, 'IPv4'), nodePodCidrOf(nd, 'IPv4'));
    }
    return flannelOnly;
  };
  const v4: FamilyKernel<Ipv4> = {
    table: (name) => (name === 'nat' || name === 'filter' ? tables()[name] : undefined),
    route,
    isLocal: (ip) => isLoopback(ip) || isNodeAddress(c, nd, formatIp(ip)),
    addressOn: (dev) => {
      const a = dev === 'lo' ? '127.0.0.1' : deviceAddress(nd, dev);
      return a === undefined ? undefined : ipOf(a);
    },
  };
  return bothFamilies(nd.name, v4, v6, { nft });
}
