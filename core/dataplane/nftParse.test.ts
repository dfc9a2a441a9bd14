import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { inNftablesMode } from '../trace/sampleQuestions';
import { buildDataplane } from './dataplane';
import { renderNftTable } from './kubeProxyNftables';
import { parseNftTable } from './nftParse';

const dir = 'public/scenarios';
const examples = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { file: string }[]).map((e) => e.file);
const nftDataplane = (file: string) => {
  const p = parseScenario(inNftablesMode(readFileSync(join(dir, file), 'utf8')));
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};
const computed = renderNftTable(nftDataplane('session-affinity.yaml').node('sticky-worker')!.nft!);
const bad = (text: string) => {
  const r = parseNftTable(text, 'n1/nft-ruleset');
  return r.ok ? 'parsed' : `${r.error.document}:${r.error.line}: ${r.error.message}`;
};
const lineOf = (text: string, line: string) => text.split('\n').indexOf(line) + 1;
const lastLineOf = (text: string, line: string) => text.split('\n').lastIndexOf(line) + 1;

describe('nft list table ip kube-proxy text <-> the NftTable model', () => {
  it.each(examples)('%s in nftables mode: every node parses back to exactly the text it printed', (file) => {
    const dp = nftDataplane(file);
    expect(dp.cluster.cluster.kubeProxyMode).toBe('nftables');
    for (const n of dp.cluster.nodes) {
      // An IPv6 single-stack node has only `table ip6 kube-proxy`.
      const table = dp.node(n.name)!.nft ?? dp.node(n.name)!.nft6!;
      const text = renderNftTable(table);
      const parsed = parseNftTable(text, `${n.name}/nft-ruleset`);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      expect(renderNftTable(parsed.table)).toBe(text);
      expect(parsed.table).toEqual(table);
    }
  });

  it('reads elements the way nft lists them: several to a line, in its own order', () => {
    const listed = computed.replace(
      'elements = { 10.96.0.1,\n\t\t\t     10.96.0.10,',
      'elements = { 10.96.0.10, 10.96.0.1,',
    );
    const r = parseNftTable(listed, 'n1/nft-ruleset');
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.table.sets[0]!.elements).toEqual(['10.96.0.10', '10.96.0.1', '10.97.118.18']);
  });

  it('names the document, the line and the reason for a line it cannot read', () => {
    expect(bad('table ip filter {\n}\n')).toBe(
      'n1/nft-ruleset:1: expected "table ip kube-proxy {" or "table ip6 kube-proxy {" (as `nft list ruleset` prints them), not "table ip filter {"',
    );
    const broken = computed.replace('\t\tmasquerade fully-random\n', '\t\tmasquerade fully-random now\n');
    expect(bad(broken)).toBe(
      `n1/nft-ruleset:${lineOf(broken, '\t\tmasquerade fully-random now')}: "now" is not an expression or statement this model reads`,
    );
    const badIp = computed.replace('ip saddr 172.18.0.2 jump', 'ip saddr 172.18.0.300 jump');
    expect(bad(badIp)).toBe(
      `n1/nft-ruleset:${lineOf(badIp, '\t\tip saddr 172.18.0.300 jump mark-for-masquerade')}: ip saddr "172.18.0.300" is not an IPv4 address, prefix or @set`,
    );
    const badKey = computed.replace('10.96.0.1 . tcp . 443 : goto', '10.96.0.1 . sctp . 443 : goto');
    expect(bad(badKey)).toMatch(
      /^n1\/nft-ruleset:\d+: map element key "10.96.0.1 . sctp . 443" does not match the map's type ipv4_addr . inet_proto . inet_service$/,
    );
    expect(bad(computed.replace(/\}\n$/, ''))).toMatch(
      /: the file ends inside table ip kube-proxy: a "\}" is missing$/,
    );
  });

  // Each refusal below was checked with nft -f on the lab kernel (lab/labNftLoops.test.ts loads the same files).
  it('refuses a jump to an undeclared chain, to a base chain, an undeclared set or map, and a jump loop, as nft does', () => {
    const undeclared = computed.replace('\t\tjump masquerading\n', '\t\tjump masquerade-nope\n');
    expect(bad(undeclared)).toBe(
      `n1/nft-ruleset:${lineOf(undeclared, '\t\tjump masquerade-nope')}: jump masquerade-nope: no chain "masquerade-nope" is declared in table ip kube-proxy; nft refuses it (No such file or directory)`,
    );
    const toBase = computed.replace('\t\tjump masquerading\n', '\t\tjump nat-output\n');
    expect(bad(toBase)).toBe(
      `n1/nft-ruleset:${lineOf(toBase, '\t\tjump nat-output')}: jump nat-output: nat-output is a base chain (it has a hook); only regular chains can be jumped to, nft refuses it (Operation not supported)`,
    );
    const noSet = computed.replace('ip daddr @cluster-ips reject', 'ip daddr @cluster-ipz reject');
    expect(bad(noSet)).toMatch(
      /: @cluster-ipz: no set "cluster-ipz" is declared in table ip kube-proxy; nft refuses it \(No such file or directory\)$/,
    );
    const noMap = computed.replace('vmap @firewall-ips', 'vmap @firewall-ipz');
    expect(bad(noMap)).toBe(
      `n1/nft-ruleset:${lineOf(noMap, '\t\tip daddr . meta l4proto . th dport vmap @firewall-ipz')}: vmap @firewall-ipz: no map "firewall-ipz" is declared in table ip kube-proxy; nft refuses it (No such file or directory)`,
    );
    const loop = computed
      .replace(
        '\t\tmeta mark set meta mark | 0x00004000\n',
        '\t\tmeta mark set meta mark | 0x00004000\n\t\tjump masquerading\n',
      )
      .replace('\t\tmasquerade fully-random\n', '\t\tmasquerade fully-random\n\t\tjump mark-for-masquerade\n');
    expect(bad(loop)).toBe(
      `n1/nft-ruleset:${lastLineOf(loop, '\t\tjump masquerading')}: jump masquerading: the jumps mark-for-masquerade -> masquerading -> mark-for-masquerade form a loop; nft refuses it (Too many links)`,
    );
    const viaMap = computed.replace(
      '\t\tmeta l4proto tcp dnat to 172.18.0.2:6443',
      '\t\tip daddr . meta l4proto . th dport vmap @service-ips\n\t\tmeta l4proto tcp dnat to 172.18.0.2:6443',
    );
    const numgen = viaMap
      .split('\n')
      .find((l) => l.startsWith('\t\tnumgen random mod 1 vmap { 0 : goto endpoint-') && l.includes('kubernetes'))!;
    expect(bad(viaMap)).toMatch(
      new RegExp(
        `^n1/nft-ruleset:${lineOf(viaMap, numgen)}: goto endpoint-\\S+: the jumps service-\\S+ -> endpoint-\\S+ -> service-\\S+ form a loop; nft refuses it \\(Too many links\\)$`,
      ),
    );
  });
});
