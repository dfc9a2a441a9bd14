// A dual-stack node's ip6tables as kube-proxy's IPv6 proxier, the kubelet and flannel leave it, and read back.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane } from './dataplane';
import { DUAL_SCENARIO } from './dualStack.testUtil';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from './ip6tables';
import { parseIptablesSave } from './iptablesParse';
import { sepChain, svcChain } from './kubeProxyChains';

function dualCluster(kubeProxyMode?: string) {
  const p = parseScenario(DUAL_SCENARIO(kubeProxyMode));
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
}

const c = dualCluster();
const s6 = buildServiceRules6(c)!;
const worker = c.nodes.find((n) => n.name === 'kind-worker')!;
const t = nodeIp6tables(c, s6, worker)!;
const web = c.services.find((s) => s.name === 'web')!;
const web6 = web.clusterIPs![1]!;

describe("kube-proxy's IPv6 proxier in iptables mode", () => {
  it("hashes an IPv6 endpoint in brackets, as net.JoinHostPort writes it (kube-proxy's own test vector)", () => {
    // proxier_test.go TestEnableLocalhostNodePortsIPv6: ns1/svc1:p80 -> [ff06::c1]:80 is KUBE-SEP-LIGRYQQLSZN4UWQ5.
    expect(sepChain('ns1/svc1:p80', 'TCP', '[ff06::c1]:80')).toBe('KUBE-SEP-LIGRYQQLSZN4UWQ5');
  });

  it("holds only Services with an IPv6 ClusterIP, and each endpoint from the Service's IPv6 EndpointSlice", () => {
    expect(s6.family).toBe('IPv6');
    const names = new Set(s6.rules.map((r) => r.service.name));
    expect(names.has('kubernetes')).toBe(false); // SingleStack IPv4, as the API server creates it
    expect(names.has('kube-dns')).toBe(false);
    expect(names.has('web')).toBe(true);
    const r = s6.byClusterIp.get(`${web6}|TCP|80`)!;
    expect(r.clusterIP).toBe(web6);
    expect(r.endpoints.length).toBe(3);
    for (const e of r.endpoints) {
      expect(e.endpoint.ip).toMatch(/^fd00:10:244:/);
      expect(e.address).toBe(`[${e.endpoint.ip}]:8080`);
      expect(e.sepChain).toBe(sepChain('default/web', 'TCP', `[${e.endpoint.ip}]:8080`));
    }
  });

  it("writes the IPv4 writer's chains with IPv6 addresses, the IPv6 cluster CIDR, ::1 skipped and ICMPv6 rejects", () => {
    const nat = t.nat.render();
    const filter = t.filter.render();
    const svc = svcChain('default/web', 'TCP');
    expect(nat).toContain(
      `-A KUBE-SERVICES -d ${web6}/128 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j ${svc}`,
    );
    expect(nat).toContain(`-A ${svc} ! -s fd00:10:244::/56 -d ${web6}/128 -p tcp`);
    const ep = s6.byClusterIp.get(`${web6}|TCP|80`)!.endpoints[0]!;
    expect(nat).toContain(
      `-A ${ep.sepChain} -s ${ep.endpoint.ip}/128 -m comment --comment "default/web" -j KUBE-MARK-MASQ`,
    );
    expect(nat).toContain(`-j DNAT --to-destination [${ep.endpoint.ip}]:8080`);
    expect(nat).toContain(`-m comment --comment "default/web -> [${ep.endpoint.ip}]:8080"`);
    expect(nat).toContain('--mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource');
    expect(
      nat
        .split('\n')
        .filter((l) => l.startsWith('-A KUBE-SERVICES'))
        .at(-1),
    ).toBe(
      '-A KUBE-SERVICES ! -d ::1/128 -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    );
    expect(filter).toMatch(
      /-m comment --comment "default\/empty has no endpoints" -m tcp --dport 82 -j REJECT --reject-with icmp6-port-unreachable/,
    );
    expect(filter).toMatch(/--dport \d+ -j REJECT --reject-with icmp6-port-unreachable/); // the NodePort's, in KUBE-EXTERNAL-SERVICES
    // No localnet rule in IPv6 (kubelet: "ipv6 doesn't have this issue"); the chain and its jumps are kube-proxy's.
    expect(filter).not.toContain('127.0.0.0/8');
    expect(filter).not.toContain('block incoming localnet connections');
    expect(filter).toContain(':KUBE-FIREWALL - [0:0]');
    expect(t.filter.rules('INPUT')[0]).toBe('-A INPUT -j KUBE-FIREWALL');
    expect(t.filter.rules('OUTPUT')[0]).toBe('-A OUTPUT -j KUBE-FIREWALL');
    expect(nat).not.toMatch(/\b10\.\d+\.\d+\.\d+/);
  });

  it("adds flannel's IPv6 masquerade (ff00::/8 for multicast) and forward rules for the IPv6 network", () => {
    const nat = t.nat.render();
    expect(nat).toContain(
      '-A FLANNEL-POSTRTG -s fd00:10:244:1::/64 -d fd00:10:244::/56 -m comment --comment "flanneld masq" -j RETURN',
    );
    expect(nat).toContain(
      '-A FLANNEL-POSTRTG -s fd00:10:244::/56 ! -d ff00::/8 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    );
    expect(t.filter.rules('FLANNEL-FWD')).toEqual([
      '-A FLANNEL-FWD -s fd00:10:244::/56 -m comment --comment "flanneld forward" -j ACCEPT',
      '-A FLANNEL-FWD -d fd00:10:244::/56 -m comment --comment "flanneld forward" -j ACCEPT',
    ]);
  });

  it('leaves the IPv4 tables as they were: no IPv6 address in iptables-save', () => {
    const d = buildDataplane(c).node('kind-worker')!;
    expect(`${d.nat.render()}\n${d.filter.render()}`).not.toContain('fd00:');
    expect(d.nat.render()).toContain('--mask 255.255.255.255');
  });

  it("writes only flannel's IPv6 rules in nftables mode, and nothing for a single-stack cluster", () => {
    const nft = dualCluster('nftables');
    const n = nodeIp6tables(nft, buildServiceRules6(nft)!, nft.nodes[1]!)!;
    expect(n.nat.render()).not.toContain('KUBE-');
    expect(n.nat.render()).toContain('FLANNEL-POSTRTG');
    const single = parseScenario(DEFAULT_SCENARIO_YAML);
    if (!single.ok) throw new Error('the default scenario parses');
    expect(buildServiceRules6(realize(single.scenario))).toBeUndefined();
  });
});

describe('ip6tables-save text <-> the rule model', () => {
  it('every dual-stack node parses back to exactly the text it printed, header lines and all', () => {
    for (const n of c.nodes) {
      const tables = nodeIp6tables(c, s6, n)!;
      const text = renderIp6tablesSave([tables.nat, tables.filter]);
      const parsed = parseIptablesSave(text, `${n.name}/ip6tables-save`, 'IPv6');
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      expect(renderIp6tablesSave([parsed.tables.get('nat')!, parsed.tables.get('filter')!])).toBe(text);
    }
  });

  it("reads the options ip6tables-save leaves out as ip6tables' defaults", () => {
    const text = `*filter
:INPUT ACCEPT [0:0]
:X - [0:0]
-A X -d fd00::1 -p tcp -m tcp --dport 1 -j REJECT
-A X -m recent --rcheck --name A --rsource -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -m tcp -j DNAT --to-destination fd00::2
COMMIT
`;
    const p = parseIptablesSave(text, 'n/ip6tables-save', 'IPv6');
    if (!p.ok) throw new Error(JSON.stringify(p.error));
    expect(p.tables.get('filter')!.rules('X')).toEqual([
      '-A X -d fd00::1/128 -p tcp -m tcp --dport 1 -j REJECT --reject-with icmp6-port-unreachable',
      '-A X -m recent --rcheck --name A --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource -j ACCEPT',
    ]);
    expect(p.tables.get('nat')!.rules('PREROUTING')).toEqual([
      '-A PREROUTING -p tcp -m tcp -j DNAT --to-destination fd00::2',
    ]);
  });

  it('refuses an address of the other family, naming the document, the line and why', () => {
    const bad = (text: string, family: 'IPv4' | 'IPv6') => {
      const r = parseIptablesSave(`*nat\n:PREROUTING ACCEPT [0:0]\n${text}\nCOMMIT\n`, 'n1/dump', family);
      return r.ok ? 'parsed' : `${r.error.document}:${r.error.line}: ${r.error.message}`;
    };
    expect(bad('-A PREROUTING -s 10.0.0.0/8 -j ACCEPT', 'IPv6')).toBe(
      'n1/dump:3: "10.0.0.0/8" is not an IPv6 address or CIDR, as ip6tables-save prints them',
    );
    expect(bad('-A PREROUTING -d fd00::/8 -j ACCEPT', 'IPv4')).toBe(
      'n1/dump:3: "fd00::/8" is not an IPv4 address or CIDR, as iptables-save prints them',
    );
    expect(bad('-A PREROUTING -p tcp -j DNAT --to-destination fd00::1:80', 'IPv6')).toBe('parsed');
    expect(bad('-A PREROUTING -p tcp -j DNAT --to-destination [fd00::1]:80', 'IPv4')).toBe(
      'n1/dump:3: -j DNAT: --to-destination "[fd00::1]:80" is not IP[:PORT]',
    );
    expect(bad('-A PREROUTING -p tcp -j DNAT --to-destination [10.0.0.1]:80', 'IPv6')).toBe(
      'n1/dump:3: -j DNAT: --to-destination "[10.0.0.1]:80" is not [IPv6]:PORT or IPv6',
    );
    expect(bad('-A PREROUTING -s fd00::zz -j ACCEPT', 'IPv6')).toMatch(
      /^n1\/dump:3: "fd00::zz" is not an IPv6 address or CIDR: /,
    );
  });
});
