// Reads `iptables-save` text into tables of typed rules: the same model the
// renderers print from, so an exported (or edited, or real) dump can be
// traced. A line it cannot read is an error naming the document, the line
// and why; nothing is guessed. `ip6tables-save` text reads the same way, with
// IPv6 addresses ("[addr]:port" in --to-destination).
import { parseAny, parseAnyCidr, type IpFamilyName } from '../ip/anyIp';
import type { AddrMatch, CtState, IptProto, Match, Rule, Target } from './iptablesRule';
import { Table, type TableName } from './iptablesTable';
import { findJumpLoop } from './iptablesLoops';
import { words } from './iptablesWords';

export interface TablesError {
  document: string;
  line: number;
  message: string;
}

export type ParsedTables = { ok: true; tables: Map<TableName, Table> } | { ok: false; error: TablesError };

const TABLES: TableName[] = ['raw', 'mangle', 'nat', 'filter'];
const STATES = new Set(['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED', 'SNAT', 'DNAT']);
const BUILTIN = new Set(['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'DNAT', 'MASQUERADE', 'MARK']);

class LineError extends Error {}
const fail = (message: string): never => {
  throw new LineError(message);
};

/** iptables-save holds IPv4 addresses only, ip6tables-save IPv6 ones only; what each prints for an omitted option. */
const isFamily = (text: string, family: IpFamilyName) => text.includes(':') === (family === 'IPv6');
const DUMP = {
  IPv4: { tool: 'iptables-save', rejectWith: 'icmp-port-unreachable', mask: '255.255.255.255' },
  IPv6: {
    tool: 'ip6tables-save',
    rejectWith: 'icmp6-port-unreachable',
    mask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  },
};

function address(text: string | undefined, negate: boolean, family: IpFamilyName): AddrMatch {
  if (text === undefined) return fail('an address option has no value');
  if (!isFamily(text, family))
    return fail(`"${text}" is not an ${family} address or CIDR, as ${DUMP[family].tool} prints them`);
  const c = parseAnyCidr(text);
  if (!c.ok) return fail(`"${text}" is not an ${family} address or CIDR: ${c.message}`);
  return { cidr: c.value, negate };
}

function num(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+$/.test(text)) return fail(`${what} "${text ?? ''}" is not a number`);
  return Number(text);
}

function markPair(text: string | undefined): [number, number] {
  const m = /^(0x[0-9a-f]+|\d+)(?:\/(0x[0-9a-f]+|\d+))?$/i.exec(text ?? '');
  if (!m) return fail(`mark "${text ?? ''}" is not VALUE[/MASK]`);
  const v = Number(m[1]);
  return [v, m[2] !== undefined ? Number(m[2]) : 0xffffffff];
}

/** Parses the words after `-A CHAIN`. */
function parseRule(w: string[], family: IpFamilyName): Rule {
  const r: Rule = { matches: [], target: { kind: 'ACCEPT' } };
  let target: Target | undefined;
  let negate = false;
  let i = 0;
  const next = () => w[++i];
  for (; i < w.length; i++) {
    const t = w[i]!;
    if (t === '!') {
      negate = true;
      continue;
    }
    if (t === '-s' || t === '--source') r.src = address(next(), negate, family);
    else if (t === '-d' || t === '--destination') r.dst = address(next(), negate, family);
    else if (t === '-i' || t === '-o') {
      const name = next() ?? fail(`${t} has no interface name`);
      r[t === '-i' ? 'inIface' : 'outIface'] = { name, negate };
    } else if (t === '-p') {
      const p = next();
      if (negate || (p !== 'tcp' && p !== 'udp'))
        fail(`protocol "${negate ? '! ' : ''}${p ?? ''}" is not modelled (tcp, udp)`);
      r.proto = p as IptProto;
    } else if (t === '-m') {
      const mod = next() ?? fail('-m has no module name');
      const opts: { name: string; negate: boolean; value: string[] }[] = [];
      let neg = false;
      while (i + 1 < w.length && (w[i + 1]!.startsWith('--') || w[i + 1] === '!')) {
        const o = next()!;
        if (o === '!') {
          neg = true;
          continue;
        }
        const value: string[] = [];
        while (i + 1 < w.length && !w[i + 1]!.startsWith('-') && w[i + 1] !== '!') value.push(next()!);
        opts.push({ name: o.slice(2), negate: neg, value });
        neg = false;
      }
      r.matches.push(parseMatch(mod, opts, family));
    } else if (t === '-j' || t === '-g') {
      if (t === '-g') fail('goto (-g) is not modelled');
      const name = next() ?? fail('-j has no target');
      const opts = new Map<string, string | undefined>();
      while (i + 1 < w.length && w[i + 1]!.startsWith('--'))
        opts.set(next()!.slice(2), w[i + 1]?.startsWith('--') ? undefined : next());
      target = parseTarget(name, opts, family);
    } else fail(`"${t}" is not an option this model reads`);
    negate = false;
  }
  r.target = target ?? fail('the rule has no target (-j)');
  return r;
}

function parseMatch(
  mod: string,
  opts: { name: string; negate: boolean; value: string[] }[],
  family: IpFamilyName,
): Match {
  const get = (n: string) => opts.find((o) => o.name === n);
  const one = (n: string) => get(n)?.value[0];
  const known = (names: string[]) => {
    const bad = opts.find((o) => !names.includes(o.name));
    if (bad) fail(`-m ${mod}: option --${bad.name} is not modelled`);
  };
  switch (mod) {
    case 'comment':
      known(['comment']);
      return { kind: 'comment', text: one('comment') ?? fail('-m comment has no --comment') };
    case 'tcp':
    case 'udp': {
      known(['dport', 'sport']);
      if (opts.some((o) => o.negate)) fail(`-m ${mod}: a negated port is not modelled`);
      const m: Match = { kind: 'port', proto: mod };
      if (get('sport')) m.sport = num(one('sport'), '--sport');
      if (get('dport')) m.dport = num(one('dport'), '--dport');
      return m;
    }
    case 'addrtype': {
      known(['dst-type', 'src-type']);
      const o = opts[0] ?? fail('-m addrtype needs --dst-type or --src-type');
      if (o.value[0] !== 'LOCAL') fail(`-m addrtype: type "${o.value[0] ?? ''}" is not modelled (LOCAL)`);
      return { kind: 'addrtype', side: o.name === 'dst-type' ? 'dst' : 'src', negate: o.negate, type: 'LOCAL' };
    }
    case 'mark': {
      known(['mark']);
      const [value, mask] = markPair(one('mark'));
      return { kind: 'mark', negate: get('mark')!.negate, value, mask };
    }
    case 'statistic': {
      known(['mode', 'probability']);
      if (one('mode') !== 'random') fail('-m statistic: only --mode random is modelled');
      const text = one('probability') ?? fail('-m statistic has no --probability');
      const p = Number(text);
      if (!(p >= 0 && p <= 1)) fail(`-m statistic: probability "${text}" is not between 0 and 1`);
      return { kind: 'statistic', probability: p, text };
    }
    case 'recent': {
      known(['rcheck', 'set', 'seconds', 'reap', 'name', 'mask', 'rsource']);
      const op = get('set')
        ? 'set'
        : get('rcheck')
          ? 'rcheck'
          : fail('-m recent: only --set and --rcheck are modelled');
      const m: Match = {
        kind: 'recent',
        op,
        reap: !!get('reap'),
        name: one('name') ?? 'DEFAULT',
        mask: one('mask') ?? DUMP[family].mask,
      };
      if (get('seconds')) m.seconds = num(one('seconds'), '--seconds');
      return m;
    }
    case 'conntrack': {
      known(['ctstate']);
      const states = (one('ctstate') ?? '').split(',');
      const bad = states.find((s) => !STATES.has(s));
      if (bad !== undefined) fail(`-m conntrack: state "${bad}" is unknown`);
      return { kind: 'conntrack', negate: get('ctstate')!.negate, states: states as CtState[] };
    }
    default:
      return fail(`module -m ${mod} is not modelled`);
  }
}

function parseTarget(name: string, o: Map<string, string | undefined>, family: IpFamilyName): Target {
  const known = (names: string[]) => {
    for (const k of o.keys()) if (!names.includes(k)) fail(`-j ${name}: option --${k} is not modelled`);
  };
  switch (name) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      known([]);
      return { kind: name };
    case 'REJECT':
      known(['reject-with']);
      return { kind: 'REJECT', rejectWith: o.get('reject-with') ?? DUMP[family].rejectWith };
    case 'MASQUERADE':
      known(['random-fully']);
      return { kind: 'MASQUERADE', randomFully: o.has('random-fully') };
    case 'DNAT': {
      known(['to-destination']);
      const to = o.get('to-destination') ?? '';
      // ip6tables writes an IPv6 address in brackets when a port follows it, bare when none does.
      const m =
        family === 'IPv6'
          ? /^(?:\[([0-9a-f:.]+)\](?::(\d+))?|([0-9a-f:.]+))$/i.exec(to)
          : /^([0-9.]+)(?::(\d+))?$/.exec(to);
      const text = m ? (m[1] ?? m[3]!) : '';
      const ip = m && isFamily(text, family) ? parseAny(text) : undefined;
      const shape = family === 'IPv6' ? '[IPv6]:PORT or IPv6' : 'IP[:PORT]';
      if (!m || !ip?.ok) return fail(`-j DNAT: --to-destination "${to}" is not ${shape}`);
      return m[2] !== undefined ? { kind: 'DNAT', ip: ip.value, port: Number(m[2]) } : { kind: 'DNAT', ip: ip.value };
    }
    case 'MARK': {
      known(['set-xmark', 'or-mark', 'xor-mark', 'set-mark']);
      if (o.has('set-xmark')) {
        const [value, mask] = markPair(o.get('set-xmark'));
        return { kind: 'MARK', value, mask };
      }
      if (o.has('or-mark')) {
        const [v] = markPair(o.get('or-mark'));
        return { kind: 'MARK', value: v, mask: v };
      }
      if (o.has('xor-mark')) return { kind: 'MARK', value: markPair(o.get('xor-mark'))[0], mask: 0 };
      if (o.has('set-mark')) return { kind: 'MARK', value: markPair(o.get('set-mark'))[0], mask: 0xffffffff };
      return fail('-j MARK needs --set-xmark, --or-mark, --xor-mark or --set-mark');
    }
    default:
      known([]);
      return { kind: 'jump', chain: name };
  }
}

/** Parses a whole `iptables-save` dump (`ip6tables-save` with family IPv6); `document` names it in errors. */
export function parseIptablesSave(text: string, document: string, family: IpFamilyName = 'IPv4'): ParsedTables {
  const tables = new Map<TableName, Table>();
  let table: Table | null = null;
  const jumps: { chain: string; from: string; line: number; table: Table }[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    const err = (message: string): ParsedTables => ({ ok: false, error: { document, line: n + 1, message } });
    if (line === '' || line.startsWith('#')) continue;
    try {
      if (line.startsWith('*')) {
        const name = line.slice(1) as TableName;
        if (!TABLES.includes(name)) return err(`table "${name}" is not modelled (raw, mangle, nat, filter)`);
        if (table) return err(`table *${name} starts before *${table.name} has its COMMIT`);
        tables.set(name, (table = new Table(name, [])));
      } else if (line === 'COMMIT') {
        if (!table) return err('COMMIT outside a table');
        table = null;
      } else if (line.startsWith(':')) {
        const m = /^:(\S+) (ACCEPT|DROP|-)(?: \[\d+:\d+\])?$/.exec(line);
        if (!m) return err('a chain line reads ":NAME POLICY [packets:bytes]"');
        if (!table) return err('a chain declared outside a table');
        if (m[2] === '-') table.chain(m[1]!);
        else table.builtin(m[1]!, m[2] as 'ACCEPT' | 'DROP');
      } else if (line.startsWith('-A ')) {
        if (!table) return err('a rule outside a table (no *nat or *filter line before it)');
        const w = words(line);
        if (typeof w === 'string') return err(w);
        const chain = w[1];
        if (!chain || !table.has(chain)) return err(`chain "${chain ?? ''}" is not declared in *${table.name}`);
        const rule = parseRule(w.slice(2), family);
        table.add(chain, rule);
        if (rule.target.kind === 'jump') jumps.push({ chain: rule.target.chain, from: chain, line: n + 1, table });
      } else return err('not a line iptables-save prints (*table, :chain, -A rule, COMMIT)');
    } catch (e) {
      if (e instanceof LineError) return err(e.message);
      throw e;
    }
  }
  if (table) return { ok: false, error: { document, line: lines.length, message: `*${table.name} has no COMMIT` } };
  const missing = jumps.find((j) => !j.table.has(j.chain) && !BUILTIN.has(j.chain));
  if (missing)
    return {
      ok: false,
      error: { document, line: missing.line, message: `-j ${missing.chain}: no such chain in *${missing.table.name}` },
    };
  const loop = findJumpLoop(jumps.map((j) => ({ table: j.table.name, from: j.from, to: j.chain, line: j.line })));
  if (loop) {
    const message = `-j ${loop.jump.to}: the jumps ${loop.path.join(' -> ')} form a loop; iptables-restore refuses it (Too many links)`;
    return { ok: false, error: { document, line: loop.jump.line, message } };
  }
  return { ok: true, tables };
}
