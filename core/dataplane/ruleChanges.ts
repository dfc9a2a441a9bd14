// kube-proxy's rule changes on each node in one family, from the Services an edit touched: a Service's rules on a
// node are a function of the Service, the node's name and the family's cluster CIDR, so a Service that is the same
// before and after writes the same lines before and after, and only the table's fixed part and the changed
// Services' lines need printing. Where the unchanged lines stand matters only for texts that repeat (an nft
// chain's closing brace): they are looked up in an index of the unchanged Services' lines, printed once.
import type { RealizedCluster, RealizedNode, RealizedService } from '../api/types';
import type { LineChanges } from './kernelLines';
import { compareKeys, placedLineChanges, type LineKey, type PlacedLine, type PlacedSide } from './placedLines';
import type { ServicePortRule, ServiceRuleIndex } from './serviceRules';

/** One Service's ports in a proxier's index: its rules are written together, `at` the first one's position. */
export interface ServiceGroup {
  owner: string;
  service: RealizedService;
  rules: ServicePortRule[];
  at: number;
  /** Its rules differ from node to node (an internal or external traffic policy of Local). */
  perNode: boolean;
}

/** How a table is written, Service by Service, with each line's position in the printed table. */
export interface OwnedTableWriter {
  /** The whole table on a node, for a comparison that cannot go by Service. */
  whole(node: RealizedNode): PlacedLine[];
  /** The lines that are no Service's: the fixed chains (and flannel's), the sets' and maps' own lines. */
  fixed(node: RealizedNode): PlacedLine[];
  /** A Service's lines; `edges`: as they stand on this node, else as if neither first nor last in any list. */
  service(g: ServiceGroup, node: RealizedNode, edges: boolean): PlacedLine[];
  /** A Service's line's key had the Service stood `by` Service ports later in the index. */
  shift(key: LineKey, by: number): LineKey;
  /** Services whose lines on a node depend on their neighbours' (first or last in an nft element list). */
  edgeOwners(node: RealizedNode): Iterable<string>;
}

const ownerOf = (s: RealizedService) => `${s.namespace}/${s.name}`;

/** The index's Services in order; undefined when one is listed twice or two share a port name or a ClusterIP. */
export function serviceGroups(index: ServiceRuleIndex): Map<string, ServiceGroup> | undefined {
  const groups = new Map<string, ServiceGroup>();
  const spns = new Set<string>();
  const ips = new Set<string>();
  let last: ServiceGroup | undefined;
  for (const [i, r] of index.rules.entries()) {
    if (spns.has(r.spn)) return undefined;
    spns.add(r.spn);
    if (last?.service === r.service) {
      last.rules.push(r);
      continue;
    }
    const owner = ownerOf(r.service);
    if (groups.has(owner) || ips.has(r.clusterIP)) return undefined;
    ips.add(r.clusterIP);
    const s = r.service;
    const perNode = s.internalTrafficPolicy === 'Local' || s.externalTrafficPolicy === 'Local';
    groups.set(owner, (last = { owner, service: s, rules: [r], at: i, perNode }));
  }
  return groups;
}

interface Placed {
  key: LineKey;
  owner: string;
}

function indexLines(into: Map<string, Placed[]>, owner: string, lines: readonly PlacedLine[]) {
  for (const l of lines) {
    const list = into.get(l.text);
    if (list) list.push({ key: l.key, owner });
    else into.set(l.text, [{ key: l.key, owner }]);
  }
}

/**
 * The lines of the Services written alike on every node and the same on both sides, by text, printed once (on the
 * first side's node asked for) and placed on either side: a Service's lines stand where its position puts them.
 */
class UnchangedLines {
  private byText: Map<string, Placed[]> | undefined;
  /** Per side, a text's lines in the order that side prints them. */
  private readonly ordered = new Map<RuleSide, Map<string, Placed[]>>();

  constructor(
    private readonly from: RuleSide,
    private readonly changed: ReadonlySet<string>,
  ) {}

  private on(side: RuleSide, text: string, node: RealizedNode): Placed[] {
    if (!this.byText) {
      this.byText = new Map();
      for (const g of this.from.groups.values())
        if (!g.perNode && !this.changed.has(g.owner))
          indexLines(this.byText, g.owner, this.from.writer.service(g, node, false));
    }
    let bySide = this.ordered.get(side);
    if (!bySide) this.ordered.set(side, (bySide = new Map()));
    let list = bySide.get(text);
    if (!list) {
      list = (this.byText.get(text) ?? []).map((p) => {
        const by = side === this.from ? 0 : side.groups.get(p.owner)!.at - this.from.groups.get(p.owner)!.at;
        return by === 0 ? p : { owner: p.owner, key: side.writer.shift(p.key, by) };
      });
      list.sort((x, y) => compareKeys(x.key, y.key));
      bySide.set(text, list);
    }
    return list;
  }

  /** The first (or last) `n` places of `text` on a side, among the Services that are not `candidates`. */
  keys(text: string, n: number, last: boolean, side: RuleSide, node: RealizedNode, candidates: ReadonlySet<string>) {
    const list = this.on(side, text, node);
    const out: LineKey[] = [];
    for (let i = 0; i < list.length && out.length < n; i++) {
      const p = list[last ? list.length - 1 - i : i]!;
      if (!candidates.has(p.owner)) out.push(p.key);
    }
    return out;
  }
}

/** One side's Services and writer, with the lines of changed Services written the same on every node kept. */
class RuleSide {
  private readonly kept = new Map<string, PlacedLine[]>();
  unchanged!: UnchangedLines;

  constructor(
    readonly groups: Map<string, ServiceGroup>,
    readonly writer: OwnedTableWriter,
  ) {}

  private lines(g: ServiceGroup, node: RealizedNode): PlacedLine[] {
    if (g.perNode) return this.writer.service(g, node, false);
    let l = this.kept.get(g.owner);
    if (!l) this.kept.set(g.owner, (l = this.writer.service(g, node, false)));
    return l;
  }

  side(node: RealizedNode, candidates: ReadonlySet<string>): PlacedSide {
    const edges = new Set(this.writer.edgeOwners(node));
    const lines = [...this.writer.fixed(node)];
    for (const owner of candidates) {
      const g = this.groups.get(owner);
      if (g) lines.push(...(edges.has(owner) ? this.writer.service(g, node, true) : this.lines(g, node)));
    }
    let perNode: Map<string, Placed[]> | undefined;
    const elsewhere = (text: string, n: number, last: boolean): LineKey[] => {
      if (!perNode) {
        perNode = new Map();
        for (const g of this.groups.values())
          if (g.perNode && !candidates.has(g.owner)) indexLines(perNode, g.owner, this.lines(g, node));
      }
      const keys = this.unchanged.keys(text, n, last, this, node, candidates);
      for (const p of perNode.get(text) ?? []) keys.push(p.key);
      return keys;
    };
    return { lines, elsewhere };
  }
}

const NOTHING_ELSEWHERE = () => [];

/** What a family's comparison needs of one side: its cluster, its proxier's index and the writer of its tables. */
export interface RuleSource {
  cluster: RealizedCluster;
  index: ServiceRuleIndex | undefined;
  /** The writer of the index's tables, given its Services (none when the comparison cannot go by Service). */
  writer: ((groups: readonly ServiceGroup[]) => OwnedTableWriter) | undefined;
  /** What the writer's lines depend on besides the Services and the node (mode, the family's cluster CIDR). */
  context: string;
}

/** A family's rule changes per node, from the Services whose rules may differ (or the whole tables when it must). */
export function ruleComparer(before: RuleSource, after: RuleSource) {
  const bg = before.index && serviceGroups(before.index);
  const ag = after.index && serviceGroups(after.index);
  const byService = bg && ag && before.writer && after.writer && before.context === after.context;
  const bw = before.writer?.(bg ? [...bg.values()] : []);
  const aw = after.writer?.(ag ? [...ag.values()] : []);
  const changed = new Set<string>();
  if (byService) {
    const fingerprint = (s: RealizedService) => JSON.stringify(s);
    for (const [owner, g] of bg) {
      const other = ag.get(owner);
      if (!other || fingerprint(other.service) !== fingerprint(g.service)) changed.add(owner);
    }
    for (const owner of ag.keys()) if (!bg.has(owner)) changed.add(owner);
  }
  const sides = byService ? [new RuleSide(bg, bw!), new RuleSide(ag, aw!)] : [];
  if (byService) sides[0]!.unchanged = sides[1]!.unchanged = new UnchangedLines(sides[0]!, changed);
  const whole = (w: OwnedTableWriter | undefined, n: RealizedNode): PlacedSide => ({
    lines: w ? w.whole(n) : [],
    elsewhere: NOTHING_ELSEWHERE,
  });
  return (nb: RealizedNode, na: RealizedNode): LineChanges => {
    if (!byService) return placedLineChanges(whole(bw, nb), whole(aw, na));
    const [b, a] = sides as [RuleSide, RuleSide];
    const candidates = new Set([...changed, ...b.writer.edgeOwners(nb), ...a.writer.edgeOwners(na)]);
    return placedLineChanges(b.side(nb, candidates), a.side(na, candidates));
  };
}
