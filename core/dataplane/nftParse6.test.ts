// Reading back a dual-stack node's `nft list ruleset`: table ip kube-proxy, then table ip6 kube-proxy.
import { describe, expect, it } from 'vitest';
import { realize } from '../cluster/realize';
import { parseScenario } from '../scenario/parse';
import { buildDataplane } from './dataplane';
import { DUAL_NFT_YAML } from './dualStackNft.testUtil';
import { renderNftRuleset, renderNftTable } from './kubeProxyNftables';
import { parseNftRuleset, parseNftTable } from './nftParse';
import { parseNftRule } from './nftRule';

function dualNftCluster() {
  const p = parseScenario(DUAL_NFT_YAML);
  if (!p.ok) throw new Error(p.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return realize(p.scenario);
}

const worker = buildDataplane(dualNftCluster()).node('kind-worker')!;
const ruleset = renderNftRuleset([worker.nft!, worker.nft6!]);
const six = renderNftTable(worker.nft6!);
const lineOf = (text: string, line: string) => text.split('\n').indexOf(line) + 1;
const bad = (text: string) => {
  const r = parseNftRuleset(text, 'kind-worker/nft-ruleset');
  if (r.ok) throw new Error('expected an error');
  return `${r.error.document}:${r.error.line}: ${r.error.message}`;
};

describe('nft list ruleset of a dual-stack node <-> its two NftTables', () => {
  it('reads both tables back and prints them again unchanged', () => {
    const r = parseNftRuleset(ruleset, 'kind-worker/nft-ruleset');
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.tables.map((t) => t.family)).toEqual(['ip', 'ip6']);
    expect(r.tables[1]).toEqual(worker.nft6);
    expect(renderNftRuleset(r.tables)).toBe(ruleset);
    const alone = parseNftTable(six, 'kind-worker/nft-ruleset');
    if (!alone.ok) throw new Error(JSON.stringify(alone.error));
    expect(alone.table).toEqual(worker.nft6);
  });

  it('types ip6 terms: IPv6 prefixes and addresses, ip6 keys, [IPv6]:port dnat targets', () => {
    const r = parseNftRule('ip6 daddr fd00:10:96::/112 drop');
    expect(r.ok && r.value.terms[0]).toEqual({
      k: 'addr',
      family: 'ip6',
      field: 'daddr',
      negate: false,
      cidr: { base: 0xfd000010009600000000000000000000n, prefix: 112 },
      text: 'fd00:10:96::/112',
    });
    const host = parseNftRule('ip6 saddr fd00:10:244:1::2 jump mark-for-masquerade');
    expect(host.ok && host.value.terms[0]).toMatchObject({ family: 'ip6', cidr: { prefix: 128 } });
    expect(parseNftRule('meta l4proto tcp dnat to [fd00:10:244:1::2]:8080')).toEqual({
      ok: true,
      value: {
        terms: [
          { k: 'l4proto', proto: 'tcp' },
          { k: 'dnat', ip: 'fd00:10:244:1::2', port: 8080 },
        ],
      },
    });
    const vmap = parseNftRule('ip6 daddr . meta l4proto . th dport vmap @service-ips');
    expect(vmap.ok && vmap.value.terms[0]).toEqual({
      k: 'vmap',
      key: ['ip6 daddr', 'meta l4proto', 'th dport'],
      map: 'service-ips',
    });
    expect(parseNftRule('update @a { ip6 saddr }')).toEqual({
      ok: true,
      value: { terms: [{ k: 'update', set: 'a', family: 'ip6' }] },
    });
    expect(parseNftRule('ip6 saddr 10.0.0.1 drop')).toEqual({
      ok: false,
      message: 'ip6 saddr "10.0.0.1" is not an IPv6 address, prefix or @set',
    });
    expect(parseNftRule('ip daddr fd00::1 drop')).toEqual({
      ok: false,
      message: 'ip daddr "fd00::1" is not an IPv4 address, prefix or @set',
    });
  });

  // Each refusal was checked with nft -f on the lab kernel (nftables 1.0.6).
  it("refuses the other family's addresses in a table, as nft does, naming the line", () => {
    const mixed = ruleset.replace(
      '\t\tip6 daddr @cluster-ips reject',
      '\t\tip daddr 10.96.0.1 drop\n\t\tip6 daddr @cluster-ips reject',
    );
    expect(bad(mixed)).toBe(
      `kind-worker/nft-ruleset:${lineOf(mixed, '\t\tip daddr 10.96.0.1 drop')}: ip daddr 10.96.0.1: table ip6 kube-proxy holds IPv6 packets only; nft refuses it (conflicting protocols specified: ip6 vs. ip)`,
    );
    const v4dnat = ruleset.replace('dnat to [fd00:10:244:1::2]:8080', 'dnat to 10.244.1.2:8080');
    expect(bad(v4dnat)).toMatch(
      /:\d+: dnat to 10\.244\.1\.2: not an IPv6 address in table ip6 kube-proxy; nft refuses it \(Address family for hostname not supported\)$/,
    );
    const el = ruleset.replace(/elements = \{ fc00:f853:ccd:e793::3 \}/, 'elements = { 172.18.0.3 }');
    expect(bad(el)).toMatch(/:\d+: set element "172\.18\.0\.3" is not an IPv6 address \(table ip6\)$/);
    const key = ruleset.replace(/elements = \{ (fd00:10:96::[0-9a-f]+) \. tcp \. 80 : goto service-/, (m) =>
      m.replace(/fd00:10:96::[0-9a-f]+/, '10.96.0.9'),
    );
    expect(bad(key)).toMatch(/map element key "10\.96\.0\.9 \. tcp \. 80" does not match the map's type ipv6_addr/);
  });

  it('takes the tables in nft list ruleset order, one per family', () => {
    const swapped = six + renderNftTable(worker.nft!);
    expect(bad(swapped)).toBe(
      `kind-worker/nft-ruleset:${lineOf(swapped, 'table ip kube-proxy {')}: table ip kube-proxy must come first, as \`nft list ruleset\` prints it`,
    );
    expect(bad(six + six)).toBe(
      `kind-worker/nft-ruleset:${lineOf(six, '}') + 1}: table ip6 kube-proxy is listed twice; a node has one per family`,
    );
    const r = parseNftTable(ruleset, 'kind-worker/nft-ruleset');
    expect(r.ok).toBe(false);
  });
});
