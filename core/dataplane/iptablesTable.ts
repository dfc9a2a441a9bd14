// One iptables table (nat or filter) as data: chains in iptables-save order,
// each a list of typed rules. Long chains (KUBE-SERVICES holds a rule per
// Service port) are indexed by destination on first lookup, as nftables'
// verdict maps do, so a packet's walk never scans them.
import { cidrFamily, hostPrefix, type IpAddr } from '../ip/anyIp';
import { renderRule, type IptProto, type Rule } from './iptablesRule';

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';

/** What a walker needs of a packet to find the rules that may match it. */
export interface LookupKey {
  dst: IpAddr;
  proto: IptProto;
  dport: number;
}

/** A rule and its position in its chain (0-based; iptables -L --line-numbers counts from 1). */
export interface PlacedRule {
  index: number;
  rule: Rule;
}

/** The part of a table a walker reads: a chain's candidate rules for a packet, and built-in policies. */
export interface ChainSource {
  readonly name: TableName;
  /** The rules of `chain` that may match a packet with this key, in chain order; undefined for a missing chain. */
  candidates(chain: string, key: LookupKey): PlacedRule[] | undefined;
  /** A built-in chain's policy; undefined for a user chain. */
  policy(chain: string): 'ACCEPT' | 'DROP' | undefined;
}

const INDEX_FROM = 16;

interface ChainIndex {
  exact: Map<string, PlacedRule[]>;
  byPort: Map<string, PlacedRule[]>;
  rest: PlacedRule[];
}

function dportOf(r: Rule): number | undefined {
  for (const m of r.matches) if (m.kind === 'port' && m.dport !== undefined) return m.dport;
  return undefined;
}

function mergeByIndex(lists: PlacedRule[][]): PlacedRule[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  return nonEmpty.flat().sort((a, b) => a.index - b.index);
}

export class Table implements ChainSource {
  private readonly chains = new Map<string, Rule[]>();
  private readonly policies = new Map<string, 'ACCEPT' | 'DROP'>();
  private readonly indexes = new Map<string, ChainIndex>();

  constructor(
    readonly name: TableName,
    builtins: string[],
  ) {
    for (const b of builtins) {
      this.chains.set(b, []);
      this.policies.set(b, 'ACCEPT');
    }
  }

  /** Declares a built-in chain with its policy (a parsed table). */
  builtin(name: string, policy: 'ACCEPT' | 'DROP'): void {
    if (!this.chains.has(name)) this.chains.set(name, []);
    this.policies.set(name, policy);
  }

  chain(name: string): void {
    if (!this.chains.has(name)) this.chains.set(name, []);
  }

  has(name: string): boolean {
    return this.chains.has(name);
  }

  add(chain: string, rule: Rule): void {
    let rules = this.chains.get(chain);
    if (!rules) this.chains.set(chain, (rules = []));
    rules.push(rule);
    this.indexes.delete(chain);
  }

  /** The typed rules of a chain. */
  chainRules(chain: string): readonly Rule[] {
    return this.chains.get(chain) ?? [];
  }

  /** A chain's rules as iptables-save prints them. */
  rules(chain: string): string[] {
    return this.chainRules(chain).map((r) => renderRule(chain, r));
  }

  policy(chain: string): 'ACCEPT' | 'DROP' | undefined {
    return this.policies.get(chain);
  }

  /** Built-in chains first, then user chains sorted (libiptc's order). */
  chainNames(): string[] {
    const all = [...this.chains.keys()];
    return [...all.filter((c) => this.policies.has(c)), ...all.filter((c) => !this.policies.has(c)).sort()];
  }

  /** A copy without one rule: what a user's edit of the printed table does. */
  without(chain: string, index: number): Table {
    const t = new Table(this.name, []);
    for (const c of this.chainNames()) {
      const p = this.policies.get(c);
      if (p) t.builtin(c, p);
      else t.chain(c);
      this.chainRules(c).forEach((r, i) => (c === chain && i === index ? undefined : t.add(c, r)));
    }
    return t;
  }

  candidates(chain: string, key: LookupKey): PlacedRule[] | undefined {
    const rules = this.chains.get(chain);
    if (!rules) return undefined;
    let ix = this.indexes.get(chain);
    if (rules.length < INDEX_FROM) {
      if (!ix) this.indexes.set(chain, (ix = { exact: new Map(), byPort: new Map(), rest: placed(rules) }));
      return ix.rest;
    }
    if (!ix) this.indexes.set(chain, (ix = buildIndex(rules)));
    return mergeByIndex([
      ix.exact.get(`${key.dst}|${key.proto}|${key.dport}`) ?? [],
      ix.byPort.get(`${key.proto}|${key.dport}`) ?? [],
      ix.rest,
    ]);
  }

  /** What render() prints, line by line. */
  lines(): string[] {
    const order = this.chainNames();
    const out = [`*${this.name}`];
    for (const c of order) out.push(`:${c} ${this.policies.get(c) ?? '-'} [0:0]`);
    // A loop, not a spread: a node's nat table at 10,000 Services has half a million rules.
    for (const c of order) for (const rule of this.chains.get(c)!) out.push(renderRule(c, rule));
    out.push('COMMIT');
    return out;
  }

  render(): string {
    return this.lines().join('\n');
  }
}

const placed = (rules: Rule[]): PlacedRule[] => rules.map((rule, index) => ({ index, rule }));

/** Rules that name one destination address, protocol and port go in a map; the rest stay in a list. */
function buildIndex(rules: Rule[]): ChainIndex {
  const ix: ChainIndex = { exact: new Map(), byPort: new Map(), rest: [] };
  rules.forEach((rule, index) => {
    const dport = dportOf(rule);
    const placed = { index, rule };
    const push = (m: Map<string, PlacedRule[]>, k: string) => {
      const l = m.get(k);
      if (l) l.push(placed);
      else m.set(k, [placed]);
    };
    if (
      rule.proto &&
      dport !== undefined &&
      rule.dst &&
      !rule.dst.negate &&
      rule.dst.cidr.prefix === hostPrefix(cidrFamily(rule.dst.cidr))
    )
      push(ix.exact, `${rule.dst.cidr.base}|${rule.proto}|${dport}`);
    else if (rule.proto && dport !== undefined && !rule.dst) push(ix.byPort, `${rule.proto}|${dport}`);
    else ix.rest.push(placed);
  });
  return ix;
}
