// The part of kube-proxy's nft table that every node has whatever its Services: the sets and
// maps, the base chains and the dispatch chains (setupNFTables in pkg/proxy/nftables/proxier.go,
// v1.33), for either family: `ip6 daddr` and `ipv6_addr` in `table ip6 kube-proxy`.
// (Base chain priorities: kube-proxy asks for "dstnat-10", "dstnat+10" and so on; nft names a
// priority only on the hooks where the name is defined and prints a number elsewhere, e.g. -110
// on input, which is what is written here.)
import { nftAddrType, type NftChain, type NftFamily, type NftTable } from './nftTable';

export const MASQ_MARK = '0x00004000';

/** What syncProxyRules collected over the Service ports, to be placed in the fixed sets and maps. */
export interface NftServiceElements {
  clusterIps: Iterable<string>;
  serviceIps: string[];
  noEndpointServices: string[];
  serviceNodePorts: string[];
  noEndpointNodePorts: string[];
  affinitySets: NftTable['sets'];
}

export function kubeProxyNftTable(
  family: NftFamily,
  /**
   * The node's address of this family: --nodeport-addresses "primary" (the nftables default) takes only it. The
   * localhost guard (`ip daddr != 127.0.0.0/8`, `ip6 daddr != ::1`) is written only when NodePorts match every
   * address (--nodeport-addresses 0.0.0.0/0,::/0); with nodeport-ips, loopback is never in the set.
   */
  nodeIps: string[],
  /** This family's service CIDR, for cluster-ips-check's drop of unallocated ClusterIPs. */
  serviceCIDR: string,
  e: NftServiceElements,
  serviceChains: NftChain[],
): NftTable {
  const ipX = family;
  const addr = nftAddrType(family);
  const vmap = (name: string, type: string, comment: string, elements: string[]) => ({ name, type, comment, elements });
  const keyed = `${addr} . inet_proto . inet_service : verdict`;
  return {
    family,
    sets: [
      { name: 'cluster-ips', body: [`type ${addr}`, 'comment "Active ClusterIPs"'], elements: [...e.clusterIps] },
      { name: 'nodeport-ips', body: [`type ${addr}`, 'comment "IPs that accept NodePort traffic"'], elements: nodeIps },
      ...e.affinitySets,
    ],
    maps: [
      vmap(
        'no-endpoint-services',
        keyed,
        'vmap to drop or reject packets to services with no endpoints',
        e.noEndpointServices,
      ),
      vmap(
        'no-endpoint-nodeports',
        'inet_proto . inet_service : verdict',
        'vmap to drop or reject packets to service nodeports with no endpoints',
        e.noEndpointNodePorts,
      ),
      vmap('firewall-ips', keyed, 'destinations that are subject to LoadBalancerSourceRanges', []),
      vmap('service-ips', keyed, 'ClusterIP, ExternalIP and LoadBalancer IP traffic', e.serviceIps),
      vmap('service-nodeports', 'inet_proto . inet_service : verdict', 'NodePort traffic', e.serviceNodePorts),
    ],
    chains: [
      {
        name: 'filter-prerouting',
        head: 'type filter hook prerouting priority dstnat - 10; policy accept;',
        rules: ['ct state new jump firewall-check'],
      },
      {
        name: 'filter-input',
        head: 'type filter hook input priority -110; policy accept;',
        rules: ['ct state new jump nodeport-endpoints-check', 'ct state new jump service-endpoints-check'],
      },
      {
        name: 'filter-forward',
        head: 'type filter hook forward priority -110; policy accept;',
        rules: ['ct state new jump service-endpoints-check', 'ct state new jump cluster-ips-check'],
      },
      {
        name: 'filter-output',
        head: 'type filter hook output priority -110; policy accept;',
        rules: ['ct state new jump service-endpoints-check', 'ct state new jump firewall-check'],
      },
      {
        name: 'filter-output-post-dnat',
        head: 'type filter hook output priority -90; policy accept;',
        rules: ['ct state new jump cluster-ips-check'],
      },
      {
        name: 'nat-prerouting',
        head: 'type nat hook prerouting priority dstnat; policy accept;',
        rules: ['jump services'],
      },
      { name: 'nat-output', head: 'type nat hook output priority -100; policy accept;', rules: ['jump services'] },
      {
        name: 'nat-postrouting',
        head: 'type nat hook postrouting priority srcnat; policy accept;',
        rules: ['jump masquerading'],
      },
      {
        name: 'nodeport-endpoints-check',
        rules: [`${ipX} daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports`],
      },
      {
        name: 'service-endpoints-check',
        rules: [`${ipX} daddr . meta l4proto . th dport vmap @no-endpoint-services`],
      },
      { name: 'firewall-check', rules: [`${ipX} daddr . meta l4proto . th dport vmap @firewall-ips`] },
      {
        name: 'services',
        rules: [
          `${ipX} daddr . meta l4proto . th dport vmap @service-ips`,
          `${ipX} daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports`,
        ],
      },
      {
        name: 'masquerading',
        rules: [
          `meta mark & ${MASQ_MARK} == 0x00000000 return`,
          `meta mark set meta mark ^ ${MASQ_MARK}`,
          'masquerade fully-random',
        ],
      },
      {
        name: 'cluster-ips-check',
        rules: [
          `${ipX} daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"`,
          `${ipX} daddr ${serviceCIDR} drop comment "Drop traffic to unallocated ClusterIPs"`,
        ],
      },
      { name: 'mark-for-masquerade', rules: [`meta mark set meta mark | ${MASQ_MARK}`] },
      { name: 'reject-chain', comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports', rules: ['reject'] },
      ...serviceChains,
    ],
  };
}
