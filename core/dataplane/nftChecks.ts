// What nft refuses to load, checked as it checks (nftables 1.0.6 on the lab kernel; lab/labNftLoops.test.ts):
// a jump, goto or verdict-map element naming no declared chain (No such file or directory), naming a
// base chain (Operation not supported), a set or map not declared (No such file or directory), and
// a rule whose jump closes a loop (Too many links: nf_tables_check_loops, rule by rule in file order,
// a verdict map counting as jumps to all of its elements' chains), and a rule matching the other
// family's header (`ip6 daddr` in table ip: "conflicting protocols specified: ip vs. ip6").
import type { NftFamily, NftTable } from './nftTable';
import { readVerdict, nftWords, ruleSets, ruleTargets, type NftRule } from './nftRule';

/** nft's refusal of a rule that names the other family's addresses, or undefined. */
export function ruleFamilyConflict(r: NftRule, family: NftFamily): string | undefined {
  const other = family === 'ip' ? 'ip6' : 'ip';
  const refuse = (what: string) =>
    `${what}: table ${family} kube-proxy holds ${family === 'ip' ? 'IPv4' : 'IPv6'} packets only; nft refuses it (conflicting protocols specified: ${family} vs. ${other})`;
  for (const t of r.terms) {
    if (t.k === 'addr' && t.family !== family) return refuse(`${t.family} ${t.field} ${t.text}`);
    if (t.k === 'update' && t.family !== family) return refuse(`update @${t.set} { ${t.family} saddr }`);
    if (t.k === 'vmap' && t.key.some((k) => k.startsWith(`${other} `))) return refuse(`${other} daddr`);
    // "Could not resolve hostname: Address family for hostname not supported"
    if (t.k === 'dnat' && t.ip.includes(':') !== (family === 'ip6'))
      return `dnat to ${t.ip}: not an ${family === 'ip' ? 'IPv4' : 'IPv6'} address in table ${family} kube-proxy; nft refuses it (Address family for hostname not supported)`;
  }
  return undefined;
}

/** Where the parser found each declaration, rule and map element. */
export interface NftLines {
  chains: Map<string, number>;
  sets: Map<string, number>;
  maps: Map<string, number>;
  rules: { chain: string; rule: NftRule; line: number }[];
  elements: { map: string; element: string; line: number }[];
}

/** The chain a map element's verdict names, if any. */
function elementTarget(element: string): { kind: string; chain: string } | undefined {
  const verdict = element.slice(element.lastIndexOf(' : ') + 3);
  const w = nftWords(verdict);
  const v = w.ok ? readVerdict(w.value, 0)?.verdict : undefined;
  return v && 'chain' in v ? v : undefined;
}

export function checkNftReferences(t: NftTable, at: NftLines): { line: number; message: string } | undefined {
  const table = `table ${t.family} kube-proxy`;
  const base = new Set(t.chains.filter((c) => c.head).map((c) => c.name));
  const target = (how: string, chain: string): string | undefined => {
    if (!at.chains.has(chain))
      return `${how} ${chain}: no chain "${chain}" is declared in ${table}; nft refuses it (No such file or directory)`;
    if (base.has(chain))
      return `${how} ${chain}: ${chain} is a base chain (it has a hook); only regular chains can be jumped to, nft refuses it (Operation not supported)`;
    return undefined;
  };
  for (const e of at.elements) {
    const v = elementTarget(e.element);
    const bad = v && target(`map ${e.map} element ${v.kind}`, v.chain);
    if (bad) return { line: e.line, message: bad };
  }
  const mapChains = new Map<string, string[]>();
  for (const m of t.maps)
    mapChains.set(
      m.name,
      m.elements.flatMap((e) => elementTarget(e)?.chain ?? []),
    );
  const edges = new Map<string, Set<string>>();
  /** A path of jumps from `from` to `to` over the edges added so far. */
  const path = (from: string, to: string, seen = new Set<string>()): string[] | undefined => {
    if (from === to) return [to];
    seen.add(from);
    for (const n of edges.get(from) ?? []) {
      if (seen.has(n)) continue;
      const p = path(n, to, seen);
      if (p) return [from, ...p];
    }
    return undefined;
  };
  for (const r of at.rules) {
    const { sets, maps } = ruleSets(r.rule);
    for (const s of sets)
      if (!at.sets.has(s))
        return {
          line: r.line,
          message: `@${s}: no set "${s}" is declared in ${table}; nft refuses it (No such file or directory)`,
        };
    for (const m of maps)
      if (!at.maps.has(m))
        return {
          line: r.line,
          message: `vmap @${m}: no map "${m}" is declared in ${table}; nft refuses it (No such file or directory)`,
        };
    const direct = ruleTargets(r.rule).map((v) => ({ how: v.kind, chain: v.chain }));
    for (const d of direct) {
      const bad = target(d.how, d.chain);
      if (bad) return { line: r.line, message: bad };
    }
    const viaMaps = maps.flatMap((m) => (mapChains.get(m) ?? []).map((c) => ({ how: `vmap @${m} ->`, chain: c })));
    for (const d of [...direct, ...viaMaps]) {
      const back = path(d.chain, r.chain);
      if (back)
        return {
          line: r.line,
          message: `${d.how} ${d.chain}: the jumps ${[r.chain, ...back].join(' -> ')} form a loop; nft refuses it (Too many links)`,
        };
      edges.set(r.chain, (edges.get(r.chain) ?? new Set()).add(d.chain));
    }
  }
  return undefined;
}
