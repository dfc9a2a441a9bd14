// What a packet walker reads of one node's kernel: its iptables tables, its
// routing tables (main, and local for its own addresses and 127.0.0.0/8) and
// the address each device holds. Computed nodes build their Service rules
// lazily, one Service port at a time, exactly as the full table holds them:
// a 10,000-Service node's table is half a million rules, and a trace needs a
// handful.
import { containsIp, parseIp } from '../ip/cidr';
import type { Ipv4 } from '../ip/types';
import { formatAny, isIp6, type IpAddr, type IpFamilyName } from '../ip/anyIp';
import type { AnyRoute } from './anyRoute';
import type { RealizedCluster, RealizedNode } from '../api/types';
import { deviceAddress, isNodeAddress } from './devices';
import { addFlannelRules } from './flannelIptables';
import type { Rule } from './iptablesRule';
import { Table, type ChainSource, type LookupKey, type PlacedRule, type TableName } from './iptablesTable';
import { NODEPORTS_RULE, emptyIptables, writeBaseRules } from './kubeProxyBaseRules';
import { servicePortTables } from './kubeProxyIptables';
import type { NftTable } from './kubeProxyNftables';
import type { EnforcerTable } from '../policy/enforcer';
import type { Route } from './routes';
import { clusterIpKey, nodePortKey, type ServicePortRule, type ServiceRuleIndex } from './serviceRules';
import { formatIp } from '../ip/cidr';

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

/** A rule whose position is counted only when someone asks (it needs a count over a long chain). */
class LazyPlaced implements PlacedRule {
  private at: number | undefined;
  constructor(
    readonly rule: Rule,
    private readonly count: () => number,
  ) {}
  get index(): number {
    return (this.at ??= this.count());
  }
}

/**
 * kube-proxy's and flannel's iptables tables on one computed node. The long chains (KUBE-SERVICES,
 * KUBE-NODEPORTS and the filter table's KUBE-SERVICES / KUBE-EXTERNAL-SERVICES) are looked up through
 * the cluster's Service index, which is what indexing them by destination means; every other chain is
 * the real one, written by the same writer as the printed table.
 */
class ComputedTables implements ChainSource {
  /** Chains written for Service ports this node's walk has touched. */
  readonly extra = new Map<string, PlacedRule[]>();

  constructor(
    readonly name: 'nat' | 'filter',
    private readonly base: Table,
    private readonly node: LazyIptables,
  ) {}

  /** Writes one Service port's rules on this node, once. */
  touch(r: ServicePortRule): void {
    if (this.node.written.has(r)) return;
    this.node.written.add(r);
    const t = this.node.servicePort(r);
    for (const [name, table] of [
      ['nat', t.nat],
      ['filter', t.filter],
    ] as const) {
      const into = this.node.tables[name];
      for (const c of table.chainNames()) {
        const rules = table.chainRules(c).map((rule, index) => ({ index, rule }));
        into.extra.set(LONG.has(c) ? `${c}|${r.spn}|${r.protocol}` : c, rules);
      }
    }
  }

  policy(chain: string): 'ACCEPT' | 'DROP' | undefined {
    return this.base.policy(chain);
  }

  candidates(chain: string, key: LookupKey): PlacedRule[] | undefined {
    if (!LONG.has(chain)) {
      return this.extra.get(chain) ?? this.base.candidates(chain, key);
    }
    const proto = key.proto === 'tcp' ? 'TCP' : 'UDP';
    const byPort = chain === 'KUBE-NODEPORTS' || chain === 'KUBE-EXTERNAL-SERVICES';
    const r = byPort
      ? this.node.index.byNodePort.get(nodePortKey(proto, key.dport))
      : this.node.index.byClusterIp.get(clusterIpKey(formatAny(key.dst), proto, key.dport));
    const out: PlacedRule[] = [];
    if (r) {
      this.touch(r);
      const rules = this.extra.get(`${chain}|${r.spn}|${r.protocol}`) ?? [];
      for (const { rule, index } of rules)
        out.push(new LazyPlaced(rule, () => this.node.position(this.name, chain, r) + index));
    }
    if (this.name === 'nat' && chain === 'KUBE-SERVICES')
      out.push(new LazyPlaced(NODEPORTS_RULE, () => this.node.chainLength('nat', chain)));
    return out;
  }
}

const LONG = new Set(['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES']);

class LazyIptables {
  readonly tables: { nat: ComputedTables; filter: ComputedTables };
  /** Service ports whose rules this node's walk has written. */
  readonly written = new Set<ServicePortRule>();

  constructor(
    private readonly c: RealizedCluster,
    readonly index: ServiceRuleIndex,
    private readonly nd: RealizedNode,
    private readonly positions: () => ServiceChainPositions,
  ) {
    const { nat, filter } = emptyIptables();
    writeBaseRules(nat, filter);
    addFlannelRules(nat, filter, c.cluster.podCIDR, nd.podCIDR);
    this.tables = { nat: new ComputedTables('nat', nat, this), filter: new ComputedTables('filter', filter, this) };
  }

  servicePort(r: ServicePortRule): { nat: Table; filter: Table } {
    return servicePortTables(this.c, r, this.nd.name);
  }

  /** Where a Service port's first rule in a long chain stands in the full table. */
  position(table: 'nat' | 'filter', chain: string, r: ServicePortRule): number {
    return this.positions().before(table, chain, r, (x) => this.servicePort(x));
  }

  chainLength(table: 'nat' | 'filter', chain: string): number {
    return this.positions().before(table, chain, undefined, (x) => this.servicePort(x));
  }
}

/**
 * How many rules each Service port writes in the long chains, counted once per cluster: a port whose
 * policies are Cluster writes the same on every node; one with a Local policy is written per node.
 */
export class ServiceChainPositions {
  private readonly order = new Map<ServicePortRule, number>();
  private readonly prefix = new Map<string, Int32Array>();
  private readonly perNode: number[] = [];

  constructor(private readonly index: ServiceRuleIndex) {
    index.rules.forEach((r, i) => {
      this.order.set(r, i);
      if (r.service.internalTrafficPolicy === 'Local' || r.service.externalTrafficPolicy === 'Local')
        this.perNode.push(i);
    });
  }

  private counts(table: string, chain: string): Int32Array {
    const key = `${table}|${chain}`;
    let p = this.prefix.get(key);
    if (p) return p;
    const rules = this.index.rules;
    p = new Int32Array(rules.length + 1);
    rules.forEach((r, i) => {
      const local = r.service.internalTrafficPolicy === 'Local' || r.service.externalTrafficPolicy === 'Local';
      const has = r.service.endpoints.some((e) => e.portName === r.port.name && e.protocol === r.port.protocol);
      let n = 0;
      if (!local) {
        if (table === 'nat' && chain === 'KUBE-SERVICES') n = has ? 1 : 0;
        else if (table === 'filter' && chain === 'KUBE-SERVICES') n = has ? 0 : 1;
        else if (r.port.nodePort !== null) n = table === 'nat' ? (has ? 1 : 0) : has ? 0 : 1;
        if (chain === 'KUBE-NODEPORTS' && table === 'filter') n = 0;
      }
      p![i + 1] = p![i]! + n;
    });
    this.prefix.set(key, p);
    return p;
  }

  /** Rules before `r` (or all of them, for undefined) in a long chain on a node. */
  before(
    table: 'nat' | 'filter',
    chain: string,
    r: ServicePortRule | undefined,
    written: (r: ServicePortRule) => { nat: Table; filter: Table },
  ): number {
    const i = r ? this.order.get(r)! : this.index.rules.length;
    let n = this.counts(table, chain)[i]!;
    for (const j of this.perNode) {
      if (j >= i) break;
      n += written(this.index.rules[j]!)[table].chainRules(chain).length;
    }
    return n;
  }
}

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
      addFlannelRules(flannelOnly.nat, flannelOnly.filter, c.cluster.podCIDR, nd.podCIDR);
    }
    return flannelOnly;
  };
  const v4: FamilyKernel<Ipv4> = {
    table: (name) => (name === 'nat' || name === 'filter' ? tables()[name] : undefined),
    route,
    isLocal: (ip) => isLoopback(ip) || isNodeAddress(c, nd, formatIp(ip)),
    addressOn: (dev) => (dev === 'lo' ? ipOf('127.0.0.1') : ipOf(deviceAddress(nd, dev))),
  };
  return bothFamilies(nd.name, v4, v6, { nft });
}
