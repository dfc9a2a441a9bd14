// kube-proxy's and flannel's iptables (or ip6tables) tables on one computed node, written lazily: the long
// chains are looked up through the cluster's Service index of the proxier's family, one Service port at a time,
// exactly as the full table holds them. A 10,000-Service node's table is half a million rules; a trace needs a
// handful.
import type { RealizedCluster, RealizedNode } from '../api/types';
import { endpointsIn } from '../api/familyFields';
import { formatAny } from '../ip/anyIp';
import { addFlannelRules } from './flannelIptables';
import type { Rule } from './iptablesRule';
import { Table, type ChainSource, type LookupKey, type PlacedRule } from './iptablesTable';
import { emptyIptables, nodePortsRule, writeBaseRules } from './kubeProxyBaseRules';
import { clusterCidrOf, nodePodCidrOf, servicePortTables } from './kubeProxyIptables';
import { clusterIpKey, nodePortKey, type ServicePortRule, type ServiceRuleIndex } from './serviceRules';

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
      out.push(new LazyPlaced(nodePortsRule(this.node.index.family), () => this.node.chainLength('nat', chain)));
    return out;
  }
}

const LONG = new Set(['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES']);

export class LazyIptables {
  readonly tables: { nat: ComputedTables; filter: ComputedTables };
  /** Service ports whose rules this node's walk has written. */
  readonly written = new Set<ServicePortRule>();

  constructor(
    private readonly c: RealizedCluster,
    readonly index: ServiceRuleIndex,
    private readonly nd: RealizedNode,
    private readonly positions: () => ServiceChainPositions,
  ) {
    // The index's family: the IPv4 proxier writes iptables, the IPv6 one ip6tables (each with its flannel rules).
    const family = index.family;
    const { nat, filter } = emptyIptables();
    writeBaseRules(nat, filter, family);
    addFlannelRules(nat, filter, clusterCidrOf(c, family), nodePodCidrOf(nd, family));
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
      const eps = endpointsIn(r.service, r.family);
      const has = eps.some((e) => e.portName === r.port.name && e.protocol === r.port.protocol);
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
