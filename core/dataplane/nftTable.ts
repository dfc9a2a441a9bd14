// The shape of one kube-proxy nft table, shared by the builder, the renderer and the parser.
// kube-proxy's nftables mode runs one proxier per family (NewDualStackProxier): `table ip
// kube-proxy` for IPv4 and `table ip6 kube-proxy` for IPv6, the same chains, sets and maps,
// written with `ip6 daddr` / `ipv6_addr` where the IPv4 table has `ip daddr` / `ipv4_addr`.

/** nft's table family: `ip` (IPv4) or `ip6` (IPv6). */
export type NftFamily = 'ip' | 'ip6';

export interface NftChain {
  name: string;
  comment?: string;
  head?: string;
  rules: string[];
}

/** What one node's kube-proxy holds in nftables mode, for one family. */
export interface NftTable {
  family: NftFamily;
  sets: { name: string; body: string[]; elements: string[] }[];
  maps: { name: string; type: string; comment: string; elements: string[] }[];
  chains: NftChain[];
}

/** The set element type of a family's addresses, as setupNFTables's ipvX_addr. */
export const nftAddrType = (f: NftFamily): 'ipv4_addr' | 'ipv6_addr' => (f === 'ip6' ? 'ipv6_addr' : 'ipv4_addr');
