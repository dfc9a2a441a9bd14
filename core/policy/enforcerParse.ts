// Reads `nft list table inet kube-network-policies` (what renderEnforcerTable writes) back into the
// EnforcerTable the trace judges with, so an exported or edited table can be traced
// (`k8snet trace --tables`). Only the rules kube-network-policies writes are read; any other line
// is an error naming the document, the line and why.
import type { EnforcerChain, EnforcerTable } from './enforcer';
import { ENFORCER_TABLE } from './enforcer';
import { parseIp6 } from '../ip/cidr6';

export type ParsedEnforcer =
  { ok: true; table: EnforcerTable } | { ok: false; error: { document: string; line: number; message: string } };

const RULES = [
  /^udp dport 53 accept$/,
  /^icmpv6 type nd-(router-solicit|router-advert|neighbor-solicit|neighbor-advert|redirect) accept$/,
  /^meta skuid 0 accept$/,
  /^ct state established,related accept$/,
  /^ip (saddr|daddr) @podips-v4 queue to \d+$/,
  /^ip6 (saddr|daddr) @podips-v6 queue to \d+$/,
  /^meta l4proto != udp accept$/,
  /^udp dport != 53 accept$/,
];
const HEADS: Record<EnforcerChain['name'], RegExp> = {
  postrouting: /^type filter hook postrouting priority srcnat - \d+; policy accept;$/,
  prerouting: /^type filter hook prerouting priority dstnat \+ \d+; policy accept;$/,
};
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

class LineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseEnforcerTable(text: string, document: string): ParsedEnforcer {
  const lines = text.split('\n');
  const table: EnforcerTable = { podIps: [], podIps6: [], chains: [] };
  let n = 0;
  const next = (inside: string): string => {
    while (n < lines.length) {
      const l = lines[n++]!.trim();
      if (l !== '') return l;
    }
    throw new LineError(lines.length, `the file ends inside ${inside}: a "}" is missing`);
  };
  try {
    const first = next('the file');
    if (first !== `table inet ${ENFORCER_TABLE} {`)
      throw new LineError(n, `expected "table inet ${ENFORCER_TABLE} {", not "${first}"`);
    const sets = new Set<string>();
    for (let l = next('the table'); l !== '}'; l = next('the table')) {
      const set = /^set (podips-v4|podips-v6) \{$/.exec(l);
      const chain = /^chain (\S+) \{$/.exec(l);
      if (set) {
        const v4 = set[1] === 'podips-v4';
        sets.add(set[1]!);
        for (let b = next(`set ${set[1]}`); b !== '}'; b = next(`set ${set[1]}`)) {
          if (b === (v4 ? 'type ipv4_addr' : 'type ipv6_addr')) continue;
          if (!b.startsWith('elements = {'))
            throw new LineError(n, `"${b}" is not a property of set ${set[1]} (type, elements)`);
          // nft wraps a long element list over several lines.
          let list = b.slice('elements = {'.length);
          while (!list.trimEnd().endsWith('}')) list += ` ${next(`the elements of set ${set[1]}`)}`;
          for (const e of list
            .trimEnd()
            .slice(0, -1)
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)) {
            if (v4 && !IPV4.test(e)) throw new LineError(n, `set element "${e}" is not an IPv4 address`);
            if (!v4 && !(e.includes(':') && parseIp6(e).ok))
              throw new LineError(n, `set element "${e}" is not an IPv6 address`);
            (v4 ? table.podIps : table.podIps6).push(e);
          }
        }
      } else if (chain) {
        const name = chain[1] as EnforcerChain['name'];
        if (!(name in HEADS))
          throw new LineError(n, `chain ${name} is not one kube-network-policies writes (postrouting, prerouting)`);
        const head = next(`chain ${name}`);
        if (!HEADS[name].test(head))
          throw new LineError(n, `"${head}" is not chain ${name}'s head as kube-network-policies writes it`);
        const rules: string[] = [];
        for (let r = next(`chain ${name}`); r !== '}'; r = next(`chain ${name}`)) {
          if (!RULES.some((re) => re.test(r)))
            throw new LineError(n, `"${r}" is not a rule kube-network-policies writes`);
          const set = /@(podips-v[46])/.exec(r)?.[1];
          if (set && !sets.has(set))
            throw new LineError(
              n,
              `@${set}: no set "${set}" is declared above; nft refuses it (No such file or directory)`,
            );
          rules.push(r);
        }
        table.chains.push({ name, head, rules });
      } else throw new LineError(n, `"${l}" is not a set or chain declaration`);
    }
    for (const name of ['postrouting', 'prerouting'] as const)
      if (!table.chains.some((c) => c.name === name))
        throw new LineError(lines.length, `chain ${name} is missing (kube-network-policies writes both)`);
  } catch (e) {
    if (e instanceof LineError) return { ok: false, error: { document, line: e.line, message: e.message } };
    throw e;
  }
  return { ok: true, table };
}
