// Runs a packet through an nft table's chains as the kernel does: a base chain's rules in order,
// each rule's expressions left to right (a mismatch ends the rule), jump (come back), goto (no
// coming back), return, and the terminal verdicts and NAT statements. Only the table's own rules,
// sets and maps decide. Each rule that matched in a regular chain is cited as "chain: rule", with
// the set and map elements it used ("set NAME: key", "map NAME: element").
import { fnv32a } from '../api/names';
import { containsAny, parseAny, type AnyCidr } from '../ip/anyIp';
import type { NftFamily, NftTable } from '../dataplane/kubeProxyNftables';
import { parseNftRule, type NftKeyPart, type NftRule, type NftVerdict } from '../dataplane/nftRule';
import type { Pkt } from './nodeWalk';

interface Element {
  key: string;
  verdict: NftVerdict;
  comment?: string;
  text: string;
}

interface Chain {
  name: string;
  head?: { type: string; hook: string; priority: number; policy: 'accept' | 'drop' };
  rules: { text: string; rule: NftRule }[];
}

export interface NftIndex {
  chains: Map<string, Chain>;
  /** The chains with a hook. */
  base: Chain[];
  maps: Map<string, Map<string, Element>>;
  sets: Map<string, Set<string>>;
}

/** Named priorities (nft's `dstnat`, `srcnat`, `filter`), as nft resolves them for family ip. */
const PRIORITIES: Record<string, number> = {
  raw: -300,
  mangle: -150,
  dstnat: -100,
  filter: 0,
  security: 50,
  srcnat: 100,
};

function verdictOf(text: string): NftVerdict {
  const [kind, chain] = text.split(' ');
  return (chain ? { kind, chain } : { kind }) as NftVerdict;
}

const indexes = new WeakMap<NftTable, NftIndex>();

/** Chains with their rules read, map and set elements by key: once per table, as the kernel's hash sets are. */
export function nftIndex(t: NftTable): NftIndex {
  let ix = indexes.get(t);
  if (ix) return ix;
  const maps = new Map<string, Map<string, Element>>();
  for (const m of t.maps) {
    const els = new Map<string, Element>();
    for (const text of m.elements) {
      const e = /^(.*?)(?: comment "([^"]*)")? : (.+)$/.exec(text);
      if (e) els.set(e[1]!, { key: e[1]!, verdict: verdictOf(e[3]!), text, ...(e[2] ? { comment: e[2] } : {}) });
    }
    maps.set(m.name, els);
  }
  const chains = new Map<string, Chain>();
  for (const c of t.chains) {
    const h = /^type (\S+) hook (\S+) priority (?:([a-z]+)(?: ([+-]) (\d+))?|(-?\d+));/.exec(c.head ?? '');
    const named = (name: string) => PRIORITIES[name] ?? 0;
    const priority = h ? (h[6] ? Number(h[6]) : named(h[3]!) + (h[4] === '-' ? -1 : 1) * Number(h[5] ?? 0)) : 0;
    const policy = c.head?.endsWith('policy drop;') ? 'drop' : 'accept';
    // Rules are read when a walk first enters the chain: a 10,000-Service table has ~50,000 and a trace needs a few.
    let rules: Chain['rules'] | undefined;
    const read = () =>
      (rules ??= c.rules.map((text) => {
        const r = parseNftRule(text);
        // The computed tables and parsed dumps hold only rules parseNftRule reads.
        if (!r.ok) throw new Error(`internal: chain ${c.name}: ${r.message}: ${text}`);
        return { text, rule: r.value };
      }));
    chains.set(c.name, {
      name: c.name,
      ...(h ? { head: { type: h[1]!, hook: h[2]!, priority, policy } } : {}),
      get rules() {
        return read();
      },
    });
  }
  const base = [...chains.values()].filter((c) => c.head);
  ix = { chains, base, maps, sets: new Map(t.sets.map((s) => [s.name, new Set(s.elements)])) };
  indexes.set(t, ix);
  return ix;
}

/** The base chains of one hook and type, in the order the kernel runs them (lowest priority first). */
export function baseChains(ix: NftIndex, type: string, hook: string, where?: (priority: number) => boolean): Chain[] {
  return ix.base
    .filter((c) => c.head?.type === type && c.head.hook === hook && (!where || where(c.head.priority)))
    .sort((a, b) => a.head!.priority - b.head!.priority);
}

export interface NftRunState {
  pkt: Pkt;
  ct: 'new' | 'established';
  mark: number;
  /** The local table: `fib saddr type local`. */
  isLocal: (ip: string) => boolean;
}

export interface NftOutcome {
  verdict: 'accept' | 'drop' | 'reject';
  /** Every rule that matched in a regular chain, and the elements it used, in order. */
  lines: string[];
  mark: number;
  dnat?: { ip: string; port?: number };
  masquerade?: { fullyRandom: boolean; line: string };
  /** The base chain whose rules decided. */
  chain?: Chain;
  /** The rule (and map element) that gave the final drop/reject/dnat. */
  decisive?: { chain: string; rule: NftRule; text: string; element?: Element; map?: string };
  /** A numgen's targets, when one chose. */
  candidates: string[];
  /** The rule whose jump set the mark, first time it changed. */
  marker?: { chain: string; rule: NftRule; text: string };
}

const inCidr = (cidr: AnyCidr, ip: string) => {
  const p = parseAny(ip);
  return p.ok && containsAny(cidr, p.value);
};
/** The table family a packet's address belongs to: an `ip6` term never matches an IPv4 packet, nor `ip` an IPv6 one. */
const familyOfText = (ip: string): NftFamily => (ip.includes(':') ? 'ip6' : 'ip');

function keyOf(parts: NftKeyPart[], p: Pkt): string {
  return parts
    .map((k) =>
      k === 'ip daddr' || k === 'ip6 daddr'
        ? p.dst
        : k === 'ip saddr' || k === 'ip6 saddr'
          ? p.src
          : k === 'meta l4proto'
            ? p.proto.toLowerCase()
            : p.dport,
    )
    .join(' . ');
}

type Flow = 'return' | { verdict: 'accept' | 'drop' | 'reject' };

/** Runs the base chains in order; the first drop or reject (or a NAT statement) ends the hook. */
export function runHook(ix: NftIndex, chains: Chain[], s: NftRunState): NftOutcome {
  const out: NftOutcome = { verdict: 'accept', lines: [], mark: s.mark, candidates: [] };
  const callers: { chain: string; rule: NftRule; text: string }[] = [];
  const run = (chain: Chain, depth: number): Flow => {
    if (depth > 16) throw new Error(`internal: nft chain depth over 16 at ${chain.name} (the parser refuses loops)`);
    const cite = !chain.head;
    for (const { text, rule } of chain.rules) {
      const used: string[] = [];
      let verdict: NftVerdict | undefined;
      let element: { e: Element; map: string } | undefined;
      let matched = true;
      const marked = out.mark;
      const before = out.lines.length;
      for (const t of rule.terms) {
        if (t.k === 'ct') matched = t.states.includes(s.ct);
        else if (t.k === 'addr') {
          const ip = t.field === 'daddr' ? s.pkt.dst : s.pkt.src;
          const hit = t.set ? (ix.sets.get(t.set)?.has(ip) ?? false) : inCidr(t.cidr!, ip);
          matched = t.family === familyOfText(ip) && hit !== t.negate;
          if (hit && t.set && !t.negate) used.push(`set ${t.set}: ${ip}`);
        } else if (t.k === 'port') matched = s.pkt.proto.toLowerCase() === t.proto && s.pkt.dport === t.value;
        else if (t.k === 'l4proto') matched = s.pkt.proto.toLowerCase() === t.proto;
        else if (t.k === 'fibLocal') matched = s.isLocal(t.field === 'saddr' ? s.pkt.src : s.pkt.dst);
        else if (t.k === 'markIs') matched = (out.mark & t.mask) >>> 0 === t.value;
        else if (t.k === 'vmap') {
          const e = ix.maps.get(t.map)?.get(keyOf(t.key, s.pkt));
          matched = e !== undefined;
          if (e) {
            used.push(`map ${t.map}: ${e.text}`);
            verdict = e.verdict;
            element = { e, map: t.map };
          }
        } else if (t.k === 'numgen') {
          // A deterministic stand-in for numgen random: the same flow always lands on the same target.
          const p = s.pkt;
          verdict = t.targets[fnv32a(`${p.src}:${p.sport}>${p.dst}:${p.dport}`) % t.targets.length];
          out.candidates = t.targets.flatMap((v) => ('chain' in v ? [v.chain] : []));
        } else if (t.k === 'markSet') out.mark = (t.op === '|' ? out.mark | t.value : out.mark ^ t.value) >>> 0;
        else if (t.k === 'update') {
          // sessionAffinity ClientIP: the client joins the endpoint's affinity set (for later connections).
        } else if (t.k === 'dnat') {
          out.dnat = { ip: t.ip, ...(t.port !== undefined ? { port: t.port } : {}) };
          verdict = { kind: 'accept' };
        } else if (t.k === 'masquerade') {
          out.masquerade = { fullyRandom: t.fullyRandom, line: `${chain.name}: ${text}` };
          verdict = { kind: 'accept' };
        } else verdict = t.verdict;
        if (!matched || verdict) break;
      }
      if (!matched) {
        out.lines.length = before;
        continue;
      }
      if (cite) out.lines.push(`${chain.name}: ${text}`, ...used);
      if (out.mark !== marked && !out.marker && callers.length) out.marker = callers[callers.length - 1];
      if (!verdict) continue;
      if (verdict.kind === 'continue') continue;
      if (verdict.kind === 'return') return 'return';
      if (verdict.kind === 'jump' || verdict.kind === 'goto') {
        const next = ix.chains.get(verdict.chain);
        if (!next) throw new Error(`internal: ${chain.name}: no chain ${verdict.chain} (the parser refuses it)`);
        callers.push({ chain: chain.name, rule, text });
        const flow = run(next, depth + 1);
        callers.pop();
        if (flow !== 'return') return flow;
        if (verdict.kind === 'goto') return 'return';
        continue;
      }
      if (verdict.kind !== 'accept' || out.dnat || out.masquerade)
        out.decisive = { chain: chain.name, rule, text, ...(element ? { element: element.e, map: element.map } : {}) };
      return { verdict: verdict.kind };
    }
    return 'return';
  };
  for (const c of chains) {
    const flow = run(c, 0);
    if (flow === 'return' && c.head?.policy === 'drop') {
      out.decisive = { chain: c.name, rule: { terms: [] }, text: 'policy drop' };
      return { ...out, chain: c, verdict: 'drop' };
    }
    if (flow === 'return') continue;
    out.chain = c;
    out.verdict = flow.verdict;
    // accept ends this base chain only; drop, reject and NAT end the hook.
    if (flow.verdict !== 'accept' || out.dnat || out.masquerade) return out;
  }
  return out;
}
