// `nft list table ip kube-proxy` text read back into the table kube-proxy's nftables mode holds
// (the shape renderNftTable prints): sets, maps with their elements, chains with their base-chain
// head and rules. A line outside that shape is an error naming the file, the line and why.
import type { TablesError } from './iptablesParse';
import type { NftTable } from './kubeProxyNftables';

export type ParsedNft = { ok: true; table: NftTable } | { ok: false; error: TablesError };

type Block =
  | { kind: 'set'; set: NftTable['sets'][number] }
  | { kind: 'map'; map: NftTable['maps'][number] }
  | { kind: 'chain'; chain: NftTable['chains'][number] };

const unquote = (s: string) => /^"(.*)"$/.exec(s)?.[1] ?? s;

export function parseNftTable(text: string, document: string): ParsedNft {
  const table: NftTable = { sets: [], maps: [], chains: [] };
  const fail = (line: number, message: string): ParsedNft => ({ ok: false, error: { document, line, message } });
  const lines = text.split('\n');
  let inTable = false;
  let done = false;
  let block: Block | undefined;
  /** Elements still being read: the block they go to, until the line that ends in "}". */
  let elements: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const l = lines[i]!.trim();
    if (l === '' || l.startsWith('#')) continue;
    if (done) return fail(n, `"${l}" after the table's closing "}"`);
    if (elements) {
      const last = l.endsWith('}');
      elements.push(l.replace(/\s*}$/, '').replace(/,$/, ''));
      if (last) elements = undefined;
      continue;
    }
    if (!inTable) {
      if (l !== 'table ip kube-proxy {') return fail(n, `expected "table ip kube-proxy {", not "${l}"`);
      inTable = true;
      continue;
    }
    if (!block) {
      let m: RegExpExecArray | null;
      if (l === '}') done = true;
      else if (/^comment ".*"$/.test(l)) continue;
      else if ((m = /^set (\S+) \{$/.exec(l)))
        table.sets.push((block = { kind: 'set', set: { name: m[1]!, body: [], elements: [] } }).set);
      else if ((m = /^map (\S+) \{$/.exec(l)))
        table.maps.push((block = { kind: 'map', map: { name: m[1]!, type: '', comment: '', elements: [] } }).map);
      else if ((m = /^chain (\S+) \{$/.exec(l)))
        table.chains.push((block = { kind: 'chain', chain: { name: m[1]!, rules: [] } }).chain);
      else return fail(n, `"${l}" is not a set, map or chain of the table`);
      continue;
    }
    if (l === '}') {
      if (block.kind === 'map' && !block.map.type) return fail(n, `map ${block.map.name} has no type`);
      block = undefined;
      continue;
    }
    const opened = /^elements = \{ (.*)$/.exec(l);
    if (opened && block.kind !== 'chain') {
      const into = block.kind === 'set' ? block.set.elements : block.map.elements;
      const rest = opened[1]!;
      into.push(rest.replace(/\s*}$/, '').replace(/,$/, ''));
      if (!rest.endsWith('}')) elements = into;
      continue;
    }
    if (block.kind === 'set') block.set.body.push(l);
    else if (block.kind === 'map') {
      const m = /^(type|comment) (.+)$/.exec(l);
      if (!m) return fail(n, `"${l}" is not a type, comment or elements line of map ${block.map.name}`);
      if (m[1] === 'type') block.map.type = m[2]!;
      else block.map.comment = unquote(m[2]!);
    } else {
      const c = block.chain;
      if (c.rules.length === 0 && !c.head && /^comment ".*"$/.test(l)) c.comment = unquote(l.slice(8));
      else if (c.rules.length === 0 && !c.head && /^type \S+ hook \S+ priority .+;( policy \S+;)?$/.test(l)) c.head = l;
      else c.rules.push(l);
    }
  }
  if (elements) return fail(lines.length, 'elements = { ... } is not closed');
  if (block) return fail(lines.length, `${block.kind} is not closed with "}"`);
  if (!done)
    return fail(lines.length, inTable ? 'the table is not closed with "}"' : 'no "table ip kube-proxy {" line');
  return { ok: true, table };
}
