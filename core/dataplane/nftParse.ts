// Reads the text `nft list table ip kube-proxy` prints (what renderNftTable writes) back into the
// NftTable the walker runs: an exported, edited or real node's table can be traced. A dual-stack
// node's `nft list ruleset` holds `table ip kube-proxy` and then `table ip6 kube-proxy`; each is
// read the same way, with its family's address type. A line it cannot read is an error naming the
// document, the line and why; nothing is guessed. What nft itself refuses to load (nftChecks.ts)
// is refused too.
import type { TablesError } from './iptablesParse';
import { checkNftReferences, ruleFamilyConflict, type NftLines } from './nftChecks';
import { isAddrOf, isPort, nftWords, parseNftRule, readVerdict } from './nftRule';
import { nftAddrType, type NftFamily, type NftTable } from './nftTable';

export type ParsedNft = { ok: true; table: NftTable } | { ok: false; error: TablesError };
export type ParsedNftRuleset = { ok: true; tables: NftTable[] } | { ok: false; error: TablesError };

class LineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const SET_BODY = /^(type ipv[46]_addr|size \d+|flags [a-z]+(,[a-z]+)*|timeout (\d+[dhms])+|comment "[^"]*")$/;
const HEAD =
  /^type (filter|nat) hook (prerouting|input|forward|output|postrouting) priority ((raw|mangle|dstnat|filter|security|srcnat)( [+-] \d+)?|-?\d+); policy (accept|drop);$/;
const mapTypes = (f: NftFamily) =>
  new Set([`${nftAddrType(f)} . inet_proto . inet_service : verdict`, 'inet_proto . inet_service : verdict']);

/** A map element `KEY [comment "..."] : VERDICT`, checked against the map's key type. */
function checkMapElement(el: string, type: string, line: number): void {
  const m = /^(.*?)(?: comment "[^"]*")? : (.+)$/.exec(el);
  if (!m) throw new LineError(line, `map element "${el}" is not KEY : VERDICT`);
  const parts = m[1]!.split(' . ');
  const want = type.replace(/ : verdict$/, '').split(' . ');
  const ok =
    parts.length === want.length &&
    parts.every((p, i) =>
      want[i] === 'ipv4_addr'
        ? isAddrOf('ip', p)
        : want[i] === 'ipv6_addr'
          ? isAddrOf('ip6', p)
          : want[i] === 'inet_proto'
            ? p === 'tcp' || p === 'udp'
            : isPort(p),
    );
  if (!ok) throw new LineError(line, `map element key "${m[1]}" does not match the map's type ${want.join(' . ')}`);
  const w = nftWords(m[2]!);
  const v = w.ok ? readVerdict(w.value, 0) : undefined;
  if (!w.ok || !v || v.used !== w.value.length) throw new LineError(line, `"${m[2]}" is not a verdict`);
}

/** Splits elements at commas outside quotes. */
function splitElements(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** One kube-proxy table's text (either family), as `nft list table ip kube-proxy` prints it. */
export function parseNftTable(text: string, document: string): ParsedNft {
  const r = parseNftRuleset(text, document);
  if (!r.ok) return r;
  if (r.tables.length !== 1) {
    const line = text.split('\n').findIndex((l, i) => i > 0 && l.startsWith('table ')) + 1;
    return { ok: false, error: { document, line, message: 'one table was expected, not two' } };
  }
  return { ok: true, table: r.tables[0]! };
}

/**
 * A node's kube-proxy tables as `nft list ruleset` prints them: `table ip kube-proxy`, then on a
 * dual-stack node `table ip6 kube-proxy` (NewDualStackProxier: one proxier, and table, per family).
 */
export function parseNftRuleset(text: string, document: string): ParsedNftRuleset {
  const lines = text.split('\n');
  const tables: NftTable[] = [];
  let n = 0;
  /** The next non-blank line, trimmed; undefined at the end. */
  const next = (): string | undefined => {
    while (n < lines.length) {
      const l = lines[n++]!.trim();
      if (l !== '') return l;
    }
    return undefined;
  };
  const expectMore = (l: string | undefined, inside: string): string => {
    if (l === undefined) throw new LineError(lines.length, `the file ends inside ${inside}: a "}" is missing`);
    return l;
  };
  /** `elements = { a, b,\n c }`, possibly over several lines. */
  const elements = (first: string): { els: string[]; line: number }[] => {
    let body = first.replace(/^elements = \{/, '');
    const start = n;
    const out: { els: string[]; line: number }[] = [];
    for (;;) {
      const closed = /\}\s*$/.test(body);
      const part = closed ? body.replace(/\}\s*$/, '') : body;
      out.push({ els: splitElements(part), line: n });
      if (closed) return out;
      body = expectMore(next(), `the elements starting on line ${start}`);
    }
  };
  try {
    for (let first = next(); first !== undefined; first = next()) {
      const head = /^table (ip6?) kube-proxy \{$/.exec(first);
      if (!head)
        throw new LineError(
          n,
          `expected "table ip kube-proxy {" or "table ip6 kube-proxy {" (as \`nft list ruleset\` prints them), not "${first}"`,
        );
      const family = head[1] as NftFamily;
      if (tables.some((t) => t.family === family))
        throw new LineError(n, `table ${family} kube-proxy is listed twice; a node has one per family`);
      if (family === 'ip' && tables.length > 0)
        throw new LineError(n, 'table ip kube-proxy must come first, as `nft list ruleset` prints it');
      tables.push(readTable(family));
    }
    if (tables.length === 0) throw new LineError(1, 'expected "table ip kube-proxy {", not an empty file');
  } catch (e) {
    if (e instanceof LineError) return { ok: false, error: { document, line: e.line, message: e.message } };
    throw e;
  }
  return { ok: true, tables };

  function readTable(family: NftFamily): NftTable {
    const table: NftTable = { family, sets: [], maps: [], chains: [] };
    const at: NftLines = { chains: new Map(), sets: new Map(), maps: new Map(), rules: [], elements: [] };
    const addr = nftAddrType(family);
    const MAP_TYPES = mapTypes(family);
    for (;;) {
      const l = expectMore(next(), `table ${family} kube-proxy`);
      if (l === '}') break;
      if (/^comment "[^"]*"$/.test(l)) continue;
      const block = /^(set|map|chain) (\S+) \{$/.exec(l);
      if (!block) throw new LineError(n, `"${l}" is not a set, map or chain declaration (KIND NAME {)`);
      const [, kind, name] = block as unknown as [string, 'set' | 'map' | 'chain', string];
      const declared = at.chains.get(name) ?? at.sets.get(name) ?? at.maps.get(name);
      if ((kind === 'chain' ? at.chains : kind === 'set' ? at.sets : at.maps).has(name))
        throw new LineError(
          n,
          `${kind} ${name} is declared twice (first on line ${declared}); nft refuses it (File exists)`,
        );
      const declLine = n;
      if (kind === 'set') {
        const set = { name, body: [] as string[], elements: [] as string[] };
        for (let b = expectMore(next(), `set ${name}`); b !== '}'; b = expectMore(next(), `set ${name}`)) {
          if (b.startsWith('elements = {')) {
            for (const chunk of elements(b))
              for (const e of chunk.els) {
                if (!isAddrOf(family, e))
                  throw new LineError(
                    chunk.line,
                    `set element "${e}" is not an ${family === 'ip6' ? 'IPv6' : 'IPv4'} address (table ${family})`,
                  );
                set.elements.push(e);
              }
          } else if (SET_BODY.test(b)) set.body.push(b);
          else
            throw new LineError(
              n,
              `"${b}" is not a set property this model reads (type, size, flags, timeout, comment)`,
            );
        }
        if (!set.body.includes(`type ${addr}`))
          throw new LineError(declLine, `set ${name} has no "type ${addr}" (table ${family} kube-proxy)`);
        at.sets.set(name, declLine);
        table.sets.push(set);
      } else if (kind === 'map') {
        const map = { name, type: '', comment: '', elements: [] as string[] };
        for (let b = expectMore(next(), `map ${name}`); b !== '}'; b = expectMore(next(), `map ${name}`)) {
          let m: RegExpExecArray | null;
          if ((m = /^type (.+)$/.exec(b))) {
            if (!MAP_TYPES.has(m[1]!)) throw new LineError(n, `map type "${m[1]}" is not one kube-proxy's table uses`);
            map.type = m[1]!;
          } else if ((m = /^comment "([^"]*)"$/.exec(b))) map.comment = m[1]!;
          else if (b.startsWith('elements = {')) {
            if (!map.type) throw new LineError(n, `map ${name} lists elements before its type`);
            for (const chunk of elements(b))
              for (const e of chunk.els) {
                checkMapElement(e, map.type, chunk.line);
                map.elements.push(e);
                at.elements.push({ map: name, element: e, line: chunk.line });
              }
          } else throw new LineError(n, `"${b}" is not a map property this model reads (type, comment, elements)`);
        }
        if (!map.type) throw new LineError(declLine, `map ${name} has no type`);
        at.maps.set(name, declLine);
        table.maps.push(map);
      } else {
        const chain: NftTable['chains'][number] = { name, rules: [] };
        for (let b = expectMore(next(), `chain ${name}`); b !== '}'; b = expectMore(next(), `chain ${name}`)) {
          const comment = /^comment "([^"]*)"$/.exec(b);
          if (comment && !chain.head && chain.rules.length === 0) chain.comment = comment[1]!;
          else if (b.startsWith('type ')) {
            if (!HEAD.test(b))
              throw new LineError(n, `"${b}" is not a base chain head (type T hook H priority P; policy accept|drop;)`);
            if (chain.head || chain.rules.length)
              throw new LineError(n, 'a base chain head must come before the rules');
            chain.head = b;
          } else {
            const r = parseNftRule(b);
            if (!r.ok) throw new LineError(n, r.message);
            const conflict = ruleFamilyConflict(r.value, family);
            if (conflict) throw new LineError(n, conflict);
            chain.rules.push(b);
            at.rules.push({ chain: name, rule: r.value, line: n });
          }
        }
        at.chains.set(name, declLine);
        table.chains.push(chain);
      }
    }
    const bad = checkNftReferences(table, at);
    if (bad) throw new LineError(bad.line, bad.message);
    return table;
  }
}
