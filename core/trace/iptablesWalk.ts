// Walks a packet through one netfilter hook of a node's iptables tables, rule
// by rule, as the kernel does: each table's chain for the hook in priority
// order (raw, mangle, nat, filter), jumps and RETURNs, marks, DNAT and
// MASQUERADE. In the style of kube-proxy's test tracer (iptablesTracer in
// pkg/proxy/iptables/proxier_test.go), but over typed rules. Every rule that
// matched is returned with its table, chain and position: the hop's evidence.
import { containsAny, familyOf, isIp6, type IpAddr } from '../ip/anyIp';
import { fnv32a } from '../api/names';
import type { NodeKernel } from '../dataplane/nodeKernel';
import type { CtState, Match, Rule } from '../dataplane/iptablesRule';
import type { ChainSource, PlacedRule, TableName } from '../dataplane/iptablesTable';
import type { Pkt } from './types';

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export type WirePacket = Pkt;

/** A rule that matched, where it stands. */
export interface RuleRef {
  table: TableName;
  chain: string;
  at: PlacedRule;
}

/** Per-connection facts the matches read. */
export interface FlowState {
  /** The packet's mark (skb->mark); it never leaves the node. */
  mark: number;
  /** The first packet of a connection is NEW; its reply ESTABLISHED. */
  ct: 'NEW' | 'ESTABLISHED';
  /** This node's conntrack entry for the flow was DNATed (conntrack's DNAT status). */
  dnat: boolean;
  inIface?: string;
  outIface?: string;
  /** xt_recent lists: name -> source addresses, for this trace. */
  recent: Map<string, Set<IpAddr>>;
  /** The seed of `-m statistic --mode random`: the flow as it entered the node. */
  seed: number;
}

export interface HookResult {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  /** Every rule that matched, in the order the kernel met them. */
  matched: RuleRef[];
  /** The rule whose target rewrote or decided: DNAT, MASQUERADE, DROP or REJECT. */
  decisive?: RuleRef;
  packet: WirePacket;
  /** The rule that jumped to the chain that set the mark last (KUBE-MARK-MASQ's caller). */
  markedBy?: RuleRef;
  /** The statistic ladder a DNAT came through: its chain and how many endpoints it balanced. */
  ladder?: { chain: string; size: number };
  /** The rcheck/set rules' timeout when a `-m recent --set` matched. */
  affinity?: { name: string; seconds: number | undefined };
  masquerade?: { randomFully: boolean };
}

/** The chains a hook runs, in netfilter priority order; nat only for a connection's first packet. */
const HOOK_TABLES: Record<Hook, TableName[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter'],
  FORWARD: ['mangle', 'filter'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter'],
  POSTROUTING: ['mangle', 'nat'],
};

/** The flow's draw for `-m statistic`: the same flow always lands on the same rule. */
export const flowSeed = (p: WirePacket, fmt: (ip: IpAddr) => string) =>
  fnv32a(`${fmt(p.src)}:${p.sport}>${fmt(p.dst)}:${p.dport}`);

interface Walk {
  kernel: NodeKernel;
  st: FlowState;
  out: HookResult;
  table: TableName;
  source: ChainSource;
  depth: number;
  /** Set by a MARK target; the rule that jumped to its chain takes the credit. */
  markSet: boolean;
  /** `-m recent --rcheck` lists met on the way, with their --seconds. */
  rchecks: Map<string, number | undefined>;
}

const ifaceMatch = (want: { name: string; negate: boolean } | undefined, have: string | undefined) => {
  if (!want) return true;
  const hit = want.name.endsWith('+') ? !!have?.startsWith(want.name.slice(0, -1)) : want.name === have;
  return hit !== want.negate;
};

function matchOne(m: Match, w: Walk): boolean {
  const p = w.out.packet;
  switch (m.kind) {
    case 'comment':
      return true;
    case 'port':
      return (
        m.proto === p.proto.toLowerCase() &&
        (m.dport === undefined || m.dport === p.dport) &&
        (m.sport === undefined || m.sport === p.sport)
      );
    case 'addrtype':
      return w.kernel.isLocal(m.side === 'dst' ? p.dst : p.src) !== m.negate;
    case 'mark':
      return ((w.st.mark & m.mask) === (m.value & m.mask)) !== m.negate;
    case 'conntrack': {
      const states: CtState[] = [w.st.ct, ...(w.st.dnat ? (['DNAT'] as const) : [])];
      return m.states.some((s) => states.includes(s)) !== m.negate;
    }
    case 'recent': {
      if (m.op === 'set') return true;
      return w.st.recent.get(m.name)?.has(p.src) ?? false;
    }
    case 'statistic':
      return true; // decided by the ladder in walkChain
  }
}

function matches(r: Rule, w: Walk): boolean {
  const p = w.out.packet;
  if (r.proto && r.proto !== p.proto.toLowerCase()) return false;
  if (r.src && containsAny(r.src.cidr, p.src) === r.src.negate) return false;
  if (r.dst && containsAny(r.dst.cidr, p.dst) === r.dst.negate) return false;
  if (!ifaceMatch(r.inIface, w.st.inIface) || !ifaceMatch(r.outIface, w.st.outIface)) return false;
  return r.matches.every((m) => matchOne(m, w));
}

type ChainEnd = 'return' | 'ACCEPT' | 'DROP' | 'REJECT';

/**
 * One chain. `-m statistic` is resolved by one draw per chain traversal: the flow's seed picks
 * slot seed mod L of the chain's ladder (L = its statistic rules + the unconditional rule after
 * them), and each statistic rule takes its probability's share of what is left, so kube-proxy's
 * 1/n, 1/(n-1), ... ladder sends the flow to endpoint seed mod n.
 */
function walkChain(w: Walk, chain: string): ChainEnd {
  const rules = w.source.candidates(chain, {
    dst: w.out.packet.dst,
    proto: w.out.packet.proto === 'TCP' ? 'tcp' : 'udp',
    dport: w.out.packet.dport,
  });
  if (!rules || w.depth > 64) return 'return';
  let ladder = 0;
  for (const x of rules) if (x.rule.matches.some((m) => m.kind === 'statistic')) ladder++;
  const size = ladder + 1;
  const draw = ((w.st.seed % size) + 0.5) / size;
  let taken = 0;
  let statisticSeen = false;
  for (const at of rules) {
    const r = at.rule;
    for (const m of r.matches) if (m.kind === 'recent' && m.op === 'rcheck') w.rchecks.set(m.name, m.seconds);
    if (!matches(r, w)) continue;
    const stat = r.matches.find((m) => m.kind === 'statistic');
    if (stat) {
      statisticSeen = true;
      const share = (1 - taken) * stat.probability;
      if (draw >= taken + share) {
        taken += share;
        continue;
      }
    }
    const ref: RuleRef = { table: w.table, chain, at };
    w.out.matched.push(ref);
    for (const m of r.matches)
      if (m.kind === 'recent' && m.op === 'set') {
        const set = w.st.recent.get(m.name) ?? new Set<IpAddr>();
        set.add(w.out.packet.src);
        w.st.recent.set(m.name, set);
        w.out.affinity = { name: m.name, seconds: w.rchecks.get(m.name) };
      }
    const t = r.target;
    switch (t.kind) {
      case 'jump': {
        if (statisticSeen || stat) w.out.ladder = { chain, size };
        w.depth++;
        const end = walkChain(w, t.chain);
        w.depth--;
        if (w.markSet) w.out.markedBy = ref;
        w.markSet = false;
        if (end !== 'return') return end;
        break;
      }
      case 'RETURN':
        return 'return';
      case 'ACCEPT':
        return 'ACCEPT';
      case 'DROP':
      case 'REJECT':
        w.out.decisive = ref;
        return t.kind;
      case 'MARK':
        w.st.mark = ((w.st.mark & ~t.mask) ^ t.value) >>> 0;
        w.markSet = t.value !== 0;
        break;
      case 'DNAT':
        if (isIp6(t.ip) !== isIp6(w.out.packet.dst)) throw new Error('internal: a DNAT target of the other family');
        w.out.packet = { ...w.out.packet, dst: t.ip, dport: t.port ?? w.out.packet.dport };
        w.out.decisive = ref;
        return 'ACCEPT';
      case 'MASQUERADE':
        w.out.masquerade = { randomFully: t.randomFully };
        w.out.decisive = ref;
        return 'ACCEPT';
    }
  }
  return 'return';
}

/** Runs one hook of a node over a packet. The nat table is consulted only for a connection's first packet. */
export function walkHook(
  kernel: NodeKernel,
  hook: Hook,
  packet: WirePacket,
  st: FlowState,
  only?: TableName[],
): HookResult {
  const out: HookResult = { verdict: 'ACCEPT', matched: [], packet };
  // iptables sees IPv4 packets, ip6tables IPv6 ones: the packet's family picks the node's tables.
  const family = familyOf(packet.dst);
  for (const table of HOOK_TABLES[hook]) {
    if (only && !only.includes(table)) continue;
    if (table === 'nat' && st.ct !== 'NEW') continue;
    const source = kernel.table(table, family);
    if (!source) continue;
    const end = walkChain({ kernel, st, out, table, source, depth: 0, markSet: false, rchecks: new Map() }, hook);
    const verdict = end === 'return' ? (source.policy(hook) ?? 'ACCEPT') : end;
    if (verdict !== 'ACCEPT') {
      out.verdict = verdict;
      return out;
    }
    // A nat decision (DNAT, MASQUERADE) ends that table's chain for the hook; the next table still runs.
  }
  return out;
}
