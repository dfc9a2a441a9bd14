// kube-proxy's nft table as `trace --tables` reads it (core/dataplane/nftParse.ts): what nft -f
// refuses to load, the parser refuses on the same line for the same reason; the computed table
// loads, and what nft lists back parses.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNftTable } from '../core/dataplane/kubeProxyNftables';
import { parseNftTable } from '../core/dataplane/nftParse';
import { inNftablesMode } from '../core/trace/sampleQuestions';
import { dataplaneOf, kernelLabUnavailable, scenarioText, sh, testPrefix } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab nft refusal test');

describe.skipIf(why !== undefined)('a kube-proxy nft table that nft refuses', () => {
  const ns = testPrefix('nftref');
  const good = renderNftTable(dataplaneOf(inNftablesMode(scenarioText())).node('node-a')!.nft!);
  const edit = (from: string, to: string) => {
    if (!good.includes(from)) throw new Error(`the computed table has no "${from}"`);
    return good.replace(from, to);
  };
  const endpointDnat = /\t\tmeta l4proto tcp dnat to [\d.:]+\n/.exec(good)![0];
  const cases: [what: string, text: string, reason: string][] = [
    [
      'a jump to an undeclared chain',
      edit('\t\tjump masquerading\n', '\t\tjump masquerade-nope\n'),
      'No such file or directory',
    ],
    ['a jump to a base chain', edit('\t\tjump masquerading\n', '\t\tjump nat-output\n'), 'Operation not supported'],
    [
      'an undeclared set',
      edit('ip daddr @cluster-ips reject', 'ip daddr @cluster-ipz reject'),
      'No such file or directory',
    ],
    ['an undeclared map', edit('vmap @firewall-ips', 'vmap @firewall-ipz'), 'No such file or directory'],
    [
      'a jump loop',
      edit('\t\tmasquerade fully-random\n', '\t\tmasquerade fully-random\n\t\tjump mark-for-masquerade\n').replace(
        '\t\tmeta mark set meta mark | 0x00004000\n',
        '\t\tmeta mark set meta mark | 0x00004000\n\t\tjump masquerading\n',
      ),
      'Too many links',
    ],
    [
      'a loop through a verdict map',
      edit(endpointDnat, `\t\tip daddr . meta l4proto . th dport vmap @service-ips\n${endpointDnat}`),
      'Too many links',
    ],
  ];
  const load = (text: string) => {
    spawnSync('ip', ['netns', 'exec', ns, 'nft', 'flush', 'ruleset']);
    return spawnSync('ip', ['netns', 'exec', ns, 'nft', '-f', '/dev/stdin'], { input: text, encoding: 'utf8' });
  };

  beforeAll(() => void sh(['ip', 'netns', 'add', ns]));
  afterAll(() => void spawnSync('ip', ['netns', 'del', ns]));

  it('nft loads the computed table, and the parser reads what nft lists back', () => {
    expect(load(good).status).toBe(0);
    const listed = sh(['ip', 'netns', 'exec', ns, 'nft', 'list', 'table', 'ip', 'kube-proxy']);
    const back = parseNftTable(listed, 'node-a/nft-ruleset');
    if (!back.ok) throw new Error(JSON.stringify(back.error));
    const mine = parseNftTable(good, 'node-a/nft-ruleset');
    if (!mine.ok) throw new Error(JSON.stringify(mine.error));
    // nft lists set and map elements in its hash order; everything else comes back as written.
    const sorted = (t: typeof back.table) => ({
      ...t,
      sets: t.sets.map((s) => ({ ...s, elements: [...s.elements].sort() })),
      maps: t.maps.map((m) => ({ ...m, elements: [...m.elements].sort() })),
    });
    expect(sorted(back.table)).toEqual(sorted(mine.table));
  });

  it.each(cases)('%s: nft and the parser refuse it on the same line, for the same reason', (_, text, reason) => {
    const r = load(text);
    expect(r.status).not.toBe(0);
    const first = /^\/dev\/stdin:(\d+):\d+-\d+: Error: (?:Could not process rule: )?(.+?)(?:; did you mean .*)?$/m.exec(
      r.stderr,
    );
    expect(first, r.stderr).not.toBeNull();
    expect(first![2]).toBe(reason);
    const p = parseNftTable(text, 'node-a/nft-ruleset');
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect({ line: p.error.line, reason: p.error.message.endsWith(`(${reason})`) }).toEqual({
      line: Number(first![1]),
      reason: true,
    });
  });
});
