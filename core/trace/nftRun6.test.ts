// The nft walker over table ip6 kube-proxy: an IPv6 packet is DNATed by the ip6 table's own rules, and an
// ip6 term never matches an IPv4 packet (nor an ip term an IPv6 one).
import { describe, expect, it } from 'vitest';
import { realize } from '../cluster/realize';
import { parseScenario } from '../scenario/parse';
import { buildDataplane } from '../dataplane/dataplane';
import { DUAL_NFT_YAML } from '../dataplane/dualStackNft.testUtil';
import { baseChains, nftIndex, runHook } from './nftRun';

function dualNftCluster() {
  const p = parseScenario(DUAL_NFT_YAML);
  if (!p.ok) throw new Error(p.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return realize(p.scenario);
}

const c = dualNftCluster();
const worker = buildDataplane(c).node('kind-worker')!;
const web = c.services.find((s) => s.name === 'web')!;
const prerouting = (table: typeof worker.nft6, src: string, dst: string) => {
  const ix = nftIndex(table!);
  return runHook(ix, baseChains(ix, 'nat', 'prerouting'), {
    pkt: { src, sport: 40000, dst, dport: 80, proto: 'TCP' },
    ct: 'new',
    mark: 0,
    isLocal: () => false,
  });
};

describe('nftRun over table ip6 kube-proxy', () => {
  it("DNATs a pod's IPv6 packet to the Service's IPv6 ClusterIP to an IPv6 endpoint", () => {
    const out = prerouting(worker.nft6, 'fd00:10:244:1::3', web.clusterIPs![1]!);
    expect(web.secondaryEndpoints!.map((e) => e.ip)).toContain(out.dnat?.ip);
    expect(out.dnat?.port).toBe(8080);
    expect(out.lines).toContain(
      `map service-ips: ${web.clusterIPs![1]} . tcp . 80 : goto service-PFISGYVC-default/web/tcp/`,
    );
  });

  it('an ip6 term never matches an IPv4 packet, an ip term never an IPv6 one', () => {
    const v4in6 = prerouting(worker.nft6, '10.244.1.3', web.clusterIP!);
    expect(v4in6.dnat).toBeUndefined();
    expect(v4in6.lines).toEqual([]);
    const v6in4 = prerouting(worker.nft, 'fd00:10:244:1::3', web.clusterIPs![1]!);
    expect(v6in4.dnat).toBeUndefined();
    // A negated match is no exception: `ip6 saddr != fd00::/8` does not hold for an IPv4 source.
    const t = {
      family: 'ip6' as const,
      sets: [],
      maps: [],
      chains: [
        {
          name: 'nat-prerouting',
          head: 'type nat hook prerouting priority dstnat; policy accept;',
          rules: ['ip6 saddr != fd00::/8 dnat to [fd00::9]:80'],
        },
      ],
    };
    expect(prerouting(t, '10.244.1.3', '10.96.0.9').dnat).toBeUndefined();
    expect(prerouting(t, '2001:db8::1', 'fd00::5').dnat).toEqual({ ip: 'fd00::9', port: 80 });
    // The IPv4 table still DNATs IPv4 as before.
    expect(prerouting(worker.nft, '10.244.1.3', web.clusterIP!).dnat?.ip).toMatch(/^10\.244\./);
  });
});
