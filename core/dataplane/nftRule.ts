// One nft rule of kube-proxy's table as typed terms: the grammar `nft list table ip kube-proxy`
// (and `ip6 kube-proxy`) prints for the expressions kube-proxy's nftables proxier writes
// (pkg/proxy/nftables/proxier.go): `ip daddr` / `ip6 daddr`, IPv4 or IPv6 addresses and prefixes.
// The parser validates every rule with it and the walker runs the terms; anything else is an
// error saying which word it could not read, never a guess.
import { parseAnyCidr, type AnyCidr } from '../ip/anyIp';
import { parseIp6 } from '../ip/cidr6';
import type { NftFamily } from './nftTable';

export type NftVerdict =
  { kind: 'jump' | 'goto'; chain: string } | { kind: 'accept' | 'drop' | 'reject' | 'return' | 'continue' };

/** What a concatenated lookup key is made of: `ip daddr . meta l4proto . th dport`. */
export type NftKeyPart = 'ip daddr' | 'ip saddr' | 'ip6 daddr' | 'ip6 saddr' | 'meta l4proto' | 'th dport';

export type NftTerm =
  | { k: 'ct'; states: string[] }
  /** `ip saddr X` (family ip) or `ip6 saddr X` (ip6): an address, a prefix or a @set; IPv6 only in ip6. */
  | {
      k: 'addr';
      family: NftFamily;
      field: 'saddr' | 'daddr';
      negate: boolean;
      cidr?: AnyCidr;
      set?: string;
      text: string;
    }
  | { k: 'port'; proto: 'tcp' | 'udp'; value: number }
  | { k: 'l4proto'; proto: 'tcp' | 'udp' }
  | { k: 'fibLocal'; field: 'saddr' | 'daddr' }
  | { k: 'markIs'; mask: number; value: number }
  | { k: 'vmap'; key: NftKeyPart[]; map: string }
  | { k: 'numgen'; mod: number; targets: NftVerdict[] }
  | { k: 'markSet'; op: '|' | '^'; value: number }
  /** `update @SET { ip saddr }` or `{ ip6 saddr }`. */
  | { k: 'update'; set: string; family: NftFamily }
  /** `dnat to 10.0.0.1:80` or `dnat to [fd00::1]:80`; `ip` is the address text without brackets. */
  | { k: 'dnat'; ip: string; port?: number }
  | { k: 'masquerade'; fullyRandom: boolean }
  | { k: 'verdict'; verdict: NftVerdict };

export interface NftRule {
  terms: NftTerm[];
  comment?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const VERDICTS = new Set(['accept', 'drop', 'reject', 'return', 'continue']);
const KEY_PARTS: Record<string, NftKeyPart> = {
  'ip daddr': 'ip daddr',
  'ip saddr': 'ip saddr',
  'ip6 daddr': 'ip6 daddr',
  'ip6 saddr': 'ip6 saddr',
  'meta l4proto': 'meta l4proto',
  'th dport': 'th dport',
};
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export const isIpv4 = (s: string) => IPV4.test(s) && s.split('.').every((o) => Number(o) <= 255);
/** An IPv6 address as nft prints it (no zone, no brackets). */
export const isIpv6 = (s: string) => s.includes(':') && parseIp6(s).ok;
/** An address of the table's family. */
export const isAddrOf = (f: NftFamily, s: string) => (f === 'ip6' ? isIpv6(s) : isIpv4(s));
export const isPort = (s: string) => /^\d{1,5}$/.test(s) && Number(s) >= 0 && Number(s) <= 65535;
const isNumber = (s: string | undefined) => s !== undefined && /^(0x[0-9a-f]+|\d+)$/i.test(s);

/** Words of a rule: a quoted string is one word, `{` `}` `,` `:` stand alone. */
export function nftWords(text: string): Parsed<string[]> {
  const out: string[] = [];
  const re = /"[^"]*"|[{},]|[^\s{},"]+|"/g;
  for (const m of text.matchAll(re)) {
    if (m[0] === '"') return { ok: false, message: 'a quoted string is not closed' };
    out.push(m[0]);
  }
  return { ok: true, value: out };
}

/** A verdict's words at w[i]: `jump C`, `goto C`, `drop`, ...; with how many words it took. */
export function readVerdict(w: string[], i: number): { verdict: NftVerdict; used: number } | undefined {
  const v = w[i];
  if ((v === 'jump' || v === 'goto') && w[i + 1] && !/^[{},:]$/.test(w[i + 1]!))
    return { verdict: { kind: v, chain: w[i + 1]! }, used: 2 };
  if (v && VERDICTS.has(v)) return { verdict: { kind: v } as NftVerdict, used: 1 };
  return undefined;
}

class WordError extends Error {}
const fail = (message: string): never => {
  throw new WordError(message);
};

/** `10.0.0.1`, `10.0.0.1:80`, `fd00::1` or `[fd00::1]:80`, as nft prints a dnat target. */
function readDnatTarget(v: string): { ip: string; port?: number } | undefined {
  const six = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  const [ip, port] = six ? [six[1]!, six[2]] : v.includes('.') ? v.split(':') : [v, undefined];
  if (!(six || !v.includes('.') ? isIpv6(ip ?? '') : isIpv4(ip ?? ''))) return undefined;
  if (port !== undefined && !isPort(port)) return undefined;
  return { ip: ip!, ...(port !== undefined ? { port: Number(port) } : {}) };
}

/** Reads one rule's text. */
export function parseNftRule(text: string): Parsed<NftRule> {
  const words = nftWords(text);
  if (!words.ok) return words;
  const w = words.value;
  const rule: NftRule = { terms: [] };
  let i = 0;
  const at = (n = 0) => w[i + n];
  const num = (what: string) => {
    const s = w[i++];
    if (!isNumber(s)) fail(`${what} "${s ?? ''}" is not a number`);
    return Number(s);
  };
  try {
    while (i < w.length) {
      const t = w[i]!;
      const two = `${t} ${at(1) ?? ''}`;
      const key: NftKeyPart[] = [];
      // A concatenation (`a . b . c`) or a single key followed by `vmap @map`.
      let j = i;
      while (KEY_PARTS[`${w[j]} ${w[j + 1]}`]) {
        key.push(KEY_PARTS[`${w[j]} ${w[j + 1]}`]!);
        if (w[j + 2] !== '.') break;
        j += 3;
      }
      if (key.length > 0 && w[j + 2] === 'vmap' && w[j + 3]?.startsWith('@')) {
        rule.terms.push({ k: 'vmap', key, map: w[j + 3]!.slice(1) });
        i = j + 4;
      } else if (t === 'ct' && at(1) === 'state') {
        i += 2;
        const states = (w[i++] ?? '').split(',');
        if (!states.every((s) => ['new', 'established', 'related', 'invalid', 'untracked'].includes(s)))
          fail(`ct state "${states.join(',')}" is not a conntrack state`);
        rule.terms.push({ k: 'ct', states });
      } else if ((t === 'ip' || t === 'ip6') && (at(1) === 'daddr' || at(1) === 'saddr')) {
        const family: NftFamily = t;
        const field = at(1) as 'saddr' | 'daddr';
        i += 2;
        const negate = at() === '!=';
        if (negate) i++;
        const v = w[i++] ?? '';
        if (v.startsWith('@')) rule.terms.push({ k: 'addr', family, field, negate, set: v.slice(1), text: v });
        else {
          const c = parseAnyCidr(v);
          const want = family === 'ip6' ? 'IPv6' : 'IPv4';
          if (!c.ok || !isAddrOf(family, v.split('/')[0]!))
            fail(`${two} "${v}" is not an ${want} address, prefix or @set`);
          rule.terms.push({ k: 'addr', family, field, negate, cidr: c.ok ? c.value : undefined, text: v });
        }
      } else if ((t === 'tcp' || t === 'udp') && at(1) === 'dport') {
        i += 2;
        const v = w[i++] ?? '';
        if (!isPort(v)) fail(`${t} dport "${v}" is not a port`);
        rule.terms.push({ k: 'port', proto: t, value: Number(v) });
      } else if (two === 'meta l4proto') {
        const p = at(2);
        if (p !== 'tcp' && p !== 'udp') fail(`meta l4proto "${p ?? ''}" is not tcp or udp`);
        rule.terms.push({ k: 'l4proto', proto: p as 'tcp' | 'udp' });
        i += 3;
      } else if (t === 'fib' && (at(1) === 'saddr' || at(1) === 'daddr') && at(2) === 'type' && at(3) === 'local') {
        rule.terms.push({ k: 'fibLocal', field: at(1) as 'saddr' | 'daddr' });
        i += 4;
      } else if (two === 'meta mark' && at(2) === '&') {
        i += 3;
        const mask = num('mark mask');
        if (w[i++] !== '==') fail('meta mark & MASK must be followed by == VALUE');
        rule.terms.push({ k: 'markIs', mask, value: num('mark value') });
      } else if (two === 'meta mark' && at(2) === 'set') {
        if (at(3) !== 'meta' || at(4) !== 'mark' || (at(5) !== '|' && at(5) !== '^'))
          fail('meta mark set must read "meta mark set meta mark | VALUE" or "^ VALUE"');
        const op = at(5) as '|' | '^';
        i += 6;
        rule.terms.push({ k: 'markSet', op, value: num('mark value') });
      } else if (t === 'numgen' && at(1) === 'random' && at(2) === 'mod') {
        i += 3;
        const mod = num('numgen modulus');
        if (w[i++] !== 'vmap' || w[i++] !== '{') fail('numgen random mod N must be followed by vmap { ... }');
        const targets: NftVerdict[] = [];
        while (w[i] !== '}') {
          const n = w[i++];
          if (n !== String(targets.length) || w[i++] !== ':')
            fail(`numgen vmap element ${targets.length} must start "${targets.length} :"`);
          const v = readVerdict(w, i) ?? fail(`"${w[i] ?? ''}" is not a verdict`);
          targets.push(v.verdict);
          i += v.used;
          if (w[i] === ',') i++;
          else if (w[i] !== '}') fail('numgen vmap elements are separated by ", " and end with "}"');
        }
        i++;
        if (targets.length !== mod) fail(`numgen random mod ${mod} has ${targets.length} elements, not ${mod}`);
        rule.terms.push({ k: 'numgen', mod, targets });
      } else if (t === 'update' && at(1)?.startsWith('@')) {
        if (at(2) !== '{' || (at(3) !== 'ip' && at(3) !== 'ip6') || at(4) !== 'saddr' || at(5) !== '}')
          fail('update must read "update @SET { ip saddr }" or "{ ip6 saddr }"');
        rule.terms.push({ k: 'update', set: at(1)!.slice(1), family: at(3) as NftFamily });
        i += 6;
      } else if (t === 'dnat' && at(1) === 'to') {
        const v = at(2) ?? '';
        const d = readDnatTarget(v) ?? fail(`dnat to "${v}" is not IPv4[:PORT], IPv6 or [IPv6]:PORT`);
        rule.terms.push({ k: 'dnat', ...d });
        i += 3;
      } else if (t === 'masquerade') {
        const fullyRandom = at(1) === 'fully-random';
        rule.terms.push({ k: 'masquerade', fullyRandom });
        i += fullyRandom ? 2 : 1;
      } else if (t === 'comment') {
        const c = at(1);
        if (!c?.startsWith('"') || i + 2 !== w.length) fail('comment must be last and quoted: comment "..."');
        rule.comment = c!.slice(1, -1);
        i += 2;
      } else {
        const v = readVerdict(w, i) ?? fail(`"${t}" is not an expression or statement this model reads`);
        rule.terms.push({ k: 'verdict', verdict: v.verdict });
        i += v.used;
      }
    }
  } catch (e) {
    if (e instanceof WordError) return { ok: false, message: e.message };
    throw e;
  }
  if (rule.terms.length === 0) return { ok: false, message: 'an empty rule' };
  return { ok: true, value: rule };
}

/** The chains a rule's verdicts name (jump/goto, numgen vmap targets). */
export function ruleTargets(r: NftRule): { kind: 'jump' | 'goto'; chain: string }[] {
  const out: { kind: 'jump' | 'goto'; chain: string }[] = [];
  for (const t of r.terms) {
    if (t.k === 'verdict' && 'chain' in t.verdict) out.push(t.verdict);
    if (t.k === 'numgen') for (const v of t.targets) if ('chain' in v) out.push(v);
  }
  return out;
}

/** The sets and maps a rule names (@NAME). */
export function ruleSets(r: NftRule): { sets: string[]; maps: string[] } {
  const sets: string[] = [];
  const maps: string[] = [];
  for (const t of r.terms) {
    if (t.k === 'addr' && t.set) sets.push(t.set);
    if (t.k === 'update') sets.push(t.set);
    if (t.k === 'vmap') maps.push(t.map);
  }
  return { sets, maps };
}
