import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane } from './dataplane';
import { DUAL_NFT_YAML } from './dualStackNft.testUtil';
import { nftNames, renderNftRuleset, renderNftTable } from './kubeProxyNftables';
import { labScript } from '../lab/script';

function dualNftCluster() {
  const p = parseScenario(DUAL_NFT_YAML);
  if (!p.ok) throw new Error(p.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return realize(p.scenario);
}

const c = dualNftCluster();
const dp = buildDataplane(c);
const worker = dp.node('kind-worker')!;
const t6 = worker.nft6!;
const chain = (name: string) => t6.chains.find((x) => x.name === name)!.rules;
const set = (name: string) => t6.sets.find((s) => s.name === name)!;
const map = (name: string) => t6.maps.find((m) => m.name === name)!;
const svc = (name: string) => c.services.find((s) => s.name === name)!;
const v6 = (name: string) => svc(name).clusterIPs![1]!;

describe('table ip6 kube-proxy: the IPv6 proxier of a dual-stack node (nftables mode)', () => {
  // knftables' fake_test.go TestFakeParseDump holds kube-proxy's own IPv6 dump: these three names are copied from it.
  it('names endpoint chains as kube-proxy does with an IPv6 endpoint: colons as dots, no brackets', () => {
    const n = nftNames('ns1', 'svc1', 'tcp', 'p80');
    expect(n.cluster).toBe('service-ULMVA6XW-ns1/svc1/tcp/p80');
    expect(n.endpoint('[fd00:10:180::1]:80')).toBe('endpoint-ZVRFLKHO-ns1/svc1/tcp/p80__fd00.10.180..1/80');
    expect(n.endpoint('[fd00:10:180::2:1]:80')).toBe('endpoint-2CRNCTTE-ns1/svc1/tcp/p80__fd00.10.180..2.1/80');
  });

  it('has IPv6 sets and maps: the IPv6 ClusterIPs of the Services with IPv6 among their ipFamilies, and the IPv6 node IP', () => {
    expect(t6.family).toBe('ip6');
    expect(set('cluster-ips').body[0]).toBe('type ipv6_addr');
    expect(new Set(set('cluster-ips').elements)).toEqual(new Set([v6('web'), v6('sticky'), v6('empty')]));
    // kubernetes, kube-dns and v4only are SingleStack IPv4: only in table ip.
    expect(set('cluster-ips').elements.some((ip) => !ip.includes(':'))).toBe(false);
    expect(set('nodeport-ips').elements).toEqual([c.nodes.find((n) => n.name === 'kind-worker')!.ips![1]]);
    for (const m of ['service-ips', 'no-endpoint-services', 'firewall-ips'])
      expect(map(m).type).toBe('ipv6_addr . inet_proto . inet_service : verdict');
    expect(map('service-nodeports').elements).toContain(
      `tcp . ${svc('web').ports[0]!.nodePort} : goto ${nftNames('default', 'web', 'tcp', '').external}`,
    );
    expect(map('no-endpoint-services').elements).toEqual([
      `${v6('empty')} . tcp . 80 comment "default/empty" : goto reject-chain`,
    ]);
  });

  it('matches ip6 daddr / ip6 saddr with the IPv6 service and cluster CIDRs', () => {
    expect(chain('services')).toEqual([
      'ip6 daddr . meta l4proto . th dport vmap @service-ips',
      'ip6 daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
    ]);
    expect(chain('cluster-ips-check')[1]).toBe(
      'ip6 daddr fd00:10:96::/112 drop comment "Drop traffic to unallocated ClusterIPs"',
    );
    const web = nftNames('default', 'web', 'tcp', '');
    expect(chain(web.cluster)[0]).toBe(
      `ip6 daddr ${v6('web')} tcp dport 80 ip6 saddr != fd00:10:244::/56 jump mark-for-masquerade`,
    );
    const ep = web.endpoint('[fd00:10:244:1::2]:8080');
    expect(ep).toMatch(/^endpoint-[A-Z2-7]{8}-default\/web\/tcp\/__fd00\.10\.244\.1\.\.2\/8080$/);
    expect(chain(ep)).toEqual([
      'ip6 saddr fd00:10:244:1::2 jump mark-for-masquerade',
      'meta l4proto tcp dnat to [fd00:10:244:1::2]:8080',
    ]);
  });

  it('writes ClientIP affinity and externalTrafficPolicy Local with ip6 saddr and ipv6_addr sets', () => {
    const sticky = nftNames('default', 'sticky', 'tcp', '');
    const a = sticky.affinity('[fd00:10:244:1::2]:8080');
    expect(set(a).body).toEqual(['type ipv6_addr', 'size 65535', 'flags dynamic,timeout', 'timeout 3h']);
    expect(chain(sticky.endpoint('[fd00:10:244:1::2]:8080'))[1]).toBe(`update @${a} { ip6 saddr }`);
    expect(chain(sticky.cluster)).toContain(`ip6 saddr @${a} goto ${sticky.endpoint('[fd00:10:244:1::2]:8080')}`);
    expect(chain(sticky.external)[0]).toBe(
      `ip6 saddr fd00:10:244::/56 goto ${sticky.cluster} comment "short-circuit pod traffic"`,
    );
  });

  it('prints both tables, IPv4 first, as `nft list ruleset` does; a single-stack node has no ip6 table', () => {
    const text = renderNftRuleset([worker.nft!, t6]);
    expect(text.indexOf('table ip kube-proxy {')).toBe(0);
    expect(text).toContain('}\ntable ip6 kube-proxy {\n');
    expect(text).toBe(renderNftTable(worker.nft!) + renderNftTable(t6));
    // The IPv4 table is untouched by the second family: IPv4 addresses only.
    expect(renderNftTable(worker.nft!)).not.toMatch(/ip6 |fd00:|ipv6_addr/);
    const p = parseScenario(DEFAULT_SCENARIO_YAML.replace('kubeProxyMode: iptables', 'kubeProxyMode: nftables'));
    if (!p.ok) throw new Error('default scenario must parse');
    const single = buildDataplane(realize(p.scenario)).node('node-a')!;
    expect(single.nft).not.toBeNull();
    expect(single.nft6).toBeNull();
  });

  it('the lab script loads both tables into a dual-stack node, IPv4 first', () => {
    const script = labScript(dp, { prefix: 'k6' });
    const at = script.indexOf(renderNftRuleset([worker.nft!, t6]).trimEnd());
    expect(at).toBeGreaterThan(0);
    expect(script.lastIndexOf("nft -f - <<'NFT'", at)).toBeGreaterThan(0);
  });
});
