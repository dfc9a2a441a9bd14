// kube-proxy's nftables mode (pkg/proxy/nftables/proxier.go, v1.33): one table
// (Base chain priorities: kube-proxy asks for "dstnat-10", "dstnat+10" and so on;
// nft names a priority only on the hooks where the name is defined and prints
// a number elsewhere, e.g. -110 on input, which is what is written here.)
//
// "ip kube-proxy" with dispatch maps instead of long rule lists. Rendered in
// nft's ruleset syntax, which `nft -f` loads and `nft list table ip kube-proxy`
// prints back (the kernel test checks that it does).
import type { RealizedCluster } from '../api/types';
import { nftChainBase } from './kubeProxyChains';
import type { ServiceRuleIndex } from './serviceRules';

const MASQ_MARK = '0x00004000';

interface Chain {
  name: string;
  comment?: string;
  head?: string;
  rules: string[];
}

/** What one node's kube-proxy holds in nftables mode. */
export interface NftTable {
  sets: { name: string; body: string[]; elements: string[] }[];
  maps: { name: string; type: string; comment: string; elements: string[] }[];
  chains: Chain[];
}

export interface NftServicePort {
  /** service-…, local-…, external-… and the endpoint chains' names. */
  cluster: string;
  local: string;
  external: string;
  endpoint: (address: string) => string;
  affinity: (address: string) => string;
}

export function nftNames(namespace: string, name: string, protocol: string, port: string): NftServicePort {
  const base = nftChainBase(namespace, name, protocol, port);
  return {
    cluster: `service-${base}`,
    local: `local-${base}`,
    external: `external-${base}`,
    endpoint: (a) => `endpoint-${nftChainBase(namespace, name, protocol, port, a)}`,
    affinity: (a) => `affinity-${nftChainBase(namespace, name, protocol, port, a)}`,
  };
}

/** nft prints set timeouts in units: 10800s as "3h", 3600s as "1h", 90s as "1m30s". */
function nftDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}

export function kubeProxyNftables(c: RealizedCluster, index: ServiceRuleIndex, node: string): NftTable {
  const clusterCIDR = c.cluster.podCIDR;
  const clusterIps = new Set<string>();
  const nodeIps = c.nodes.filter((n) => n.name === node).map((n) => n.ip);
  const serviceIps: string[] = [];
  const noEndpointServices: string[] = [];
  const serviceNodePorts: string[] = [];
  const noEndpointNodePorts: string[] = [];
  const affinitySets: NftTable['sets'] = [];
  const serviceChains: Chain[] = [];

  for (const r of index.rules) {
    const s = r.service;
    const proto = r.protocol.toLowerCase();
    const names = nftNames(s.namespace, s.name, proto, r.port.name);
    const eps = r.endpoints;
    const local = eps.filter((e) => e.endpoint.node === node);
    const hasEndpoints = eps.length > 0;
    const itpLocal = s.internalTrafficPolicy === 'Local';
    const externallyAccessible = r.port.nodePort !== null;
    const etpLocal = s.externalTrafficPolicy === 'Local' && externallyAccessible;
    const usesCluster = eps.length > 0 && (!itpLocal || (externallyAccessible && !etpLocal));
    const usesLocal = local.length > 0 && (itpLocal || etpLocal);
    const internalChain = itpLocal ? names.local : names.cluster;
    const hasInternal = itpLocal ? local.length > 0 : hasEndpoints;
    const externalPolicyChain = etpLocal ? names.local : names.cluster;
    const hasExternal = etpLocal ? local.length > 0 : hasEndpoints;
    const usesExternal = hasEndpoints && externallyAccessible;
    const internalVerdict = !hasEndpoints ? 'goto reject-chain' : 'drop';
    const externalVerdict = !hasEndpoints ? 'goto reject-chain' : 'drop';
    const comment = `"${r.spn}"`;

    clusterIps.add(s.clusterIP!);
    const key = `${s.clusterIP} . ${proto} . ${r.port.port}`;
    if (hasInternal) serviceIps.push(`${key} : goto ${internalChain}`);
    else noEndpointServices.push(`${key} comment ${comment} : ${internalVerdict}`);
    if (r.port.nodePort !== null) {
      if (hasEndpoints) serviceNodePorts.push(`${proto} . ${r.port.nodePort} : goto ${names.external}`);
      if (!hasExternal)
        noEndpointNodePorts.push(`${proto} . ${r.port.nodePort} comment ${comment} : ${externalVerdict}`);
    }

    const affinity = s.sessionAffinityTimeout;
    const chains = new Map<string, Chain>();
    const chain = (name: string) => {
      let ch = chains.get(name);
      if (!ch) chains.set(name, (ch = { name, rules: [] }));
      return ch;
    };
    const reachable = usesCluster ? eps : usesLocal ? local : [];
    for (const e of reachable) chain(names.endpoint(e.address));
    if (usesCluster) chain(names.cluster);
    if (usesLocal) chain(names.local);
    if (usesExternal) chain(names.external);
    // Off-cluster sources reaching the ClusterIP are masqueraded (the cluster-CIDR local detector).
    if (hasInternal)
      chain(internalChain).rules.push(
        `ip daddr ${s.clusterIP} ${proto} dport ${r.port.port} ip saddr != ${clusterCIDR} jump mark-for-masquerade`,
      );
    if (usesExternal) {
      const ext = chain(names.external);
      if (!etpLocal) ext.rules.push('jump mark-for-masquerade');
      else {
        ext.rules.push(`ip saddr ${clusterCIDR} goto ${names.cluster} comment "short-circuit pod traffic"`);
        ext.rules.push('fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"');
        ext.rules.push(`fib saddr type local goto ${names.cluster} comment "short-circuit local traffic"`);
      }
      if (hasExternal) ext.rules.push(`goto ${externalPolicyChain}`);
    }
    if (affinity !== null) {
      for (const e of reachable)
        affinitySets.push({
          name: names.affinity(e.address),
          body: ['type ipv4_addr', 'size 65535', 'flags dynamic,timeout', `timeout ${nftDuration(affinity)}`],
          elements: [],
        });
    }
    const balance = (ch: string, list: typeof eps) => {
      if (affinity !== null)
        for (const e of list)
          chain(ch).rules.push(`ip saddr @${names.affinity(e.address)} goto ${names.endpoint(e.address)}`);
      chain(ch).rules.push(
        `numgen random mod ${list.length} vmap { ${list.map((e, i) => `${i} : goto ${names.endpoint(e.address)}`).join(', ')} }`,
      );
    };
    if (usesCluster) balance(names.cluster, eps);
    if (usesLocal) balance(names.local, local);
    for (const e of reachable) {
      const ch = chain(names.endpoint(e.address));
      ch.rules.push(`ip saddr ${e.endpoint.ip} jump mark-for-masquerade`);
      if (affinity !== null) ch.rules.push(`update @${names.affinity(e.address)} { ip saddr }`);
      ch.rules.push(`meta l4proto ${proto} dnat to ${e.address}`);
    }
    serviceChains.push(...chains.values());
  }

  const vmap = (name: string, type: string, comment: string, elements: string[]) => ({ name, type, comment, elements });
  return {
    sets: [
      { name: 'cluster-ips', body: ['type ipv4_addr', 'comment "Active ClusterIPs"'], elements: [...clusterIps] },
      // --nodeport-addresses defaults to "primary" in nftables mode: only the node's own IP takes NodePorts.
      {
        name: 'nodeport-ips',
        body: ['type ipv4_addr', 'comment "IPs that accept NodePort traffic"'],
        elements: nodeIps,
      },
      ...affinitySets,
    ],
    maps: [
      vmap(
        'no-endpoint-services',
        'ipv4_addr . inet_proto . inet_service : verdict',
        'vmap to drop or reject packets to services with no endpoints',
        noEndpointServices,
      ),
      vmap(
        'no-endpoint-nodeports',
        'inet_proto . inet_service : verdict',
        'vmap to drop or reject packets to service nodeports with no endpoints',
        noEndpointNodePorts,
      ),
      vmap(
        'firewall-ips',
        'ipv4_addr . inet_proto . inet_service : verdict',
        'destinations that are subject to LoadBalancerSourceRanges',
        [],
      ),
      vmap(
        'service-ips',
        'ipv4_addr . inet_proto . inet_service : verdict',
        'ClusterIP, ExternalIP and LoadBalancer IP traffic',
        serviceIps,
      ),
      vmap('service-nodeports', 'inet_proto . inet_service : verdict', 'NodePort traffic', serviceNodePorts),
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
        rules: ['ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports'],
      },
      { name: 'service-endpoints-check', rules: ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services'] },
      { name: 'firewall-check', rules: ['ip daddr . meta l4proto . th dport vmap @firewall-ips'] },
      {
        name: 'services',
        rules: [
          'ip daddr . meta l4proto . th dport vmap @service-ips',
          'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
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
          'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"',
          `ip daddr ${c.cluster.serviceCIDR} drop comment "Drop traffic to unallocated ClusterIPs"`,
        ],
      },
      { name: 'mark-for-masquerade', rules: [`meta mark set meta mark | ${MASQ_MARK}`] },
      { name: 'reject-chain', comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports', rules: ['reject'] },
      ...serviceChains,
    ],
  };
}

/** The table in nft's ruleset syntax: loadable with `nft -f`, the shape `nft list table ip kube-proxy` prints. */
export function renderNftTable(t: NftTable): string {
  const L = ['table ip kube-proxy {', '\tcomment "rules for kube-proxy"'];
  const elements = (els: string[]) => (els.length ? [`\t\telements = { ${els.join(',\n\t\t\t     ')} }`] : []);
  for (const s of t.sets)
    L.push(`\tset ${s.name} {`, ...s.body.map((b) => `\t\t${b}`), ...elements(s.elements), '\t}', '');
  for (const m of t.maps)
    L.push(`\tmap ${m.name} {`, `\t\ttype ${m.type}`, `\t\tcomment "${m.comment}"`, ...elements(m.elements), '\t}', '');
  t.chains.forEach((ch, i) => {
    L.push(`\tchain ${ch.name} {`);
    if (ch.comment) L.push(`\t\tcomment "${ch.comment}"`);
    if (ch.head) L.push(`\t\t${ch.head}`);
    for (const r of ch.rules) L.push(`\t\t${r}`);
    L.push('\t}');
    if (i < t.chains.length - 1) L.push('');
  });
  L.push('}');
  return `${L.join('\n')}\n`;
}

/** The table as `nft list table` prints it, line by line (for a windowed view of a 10,000-Service table). */
export function nftTableLines(t: NftTable): string[] {
  return renderNftTable(t).slice(0, -1).split('\n');
}
