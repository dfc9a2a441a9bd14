// kube-proxy's nftables mode (pkg/proxy/nftables/proxier.go, v1.33): one table per family,
// "ip kube-proxy" and, in a dual-stack cluster, "ip6 kube-proxy" (NewDualStackProxier runs a
// proxier for each), with dispatch maps instead of long rule lists. Rendered in nft's ruleset
// syntax, which `nft -f` loads and `nft list table ip kube-proxy` prints back (the kernel tests
// check that it does, for both families).
import { clusterPodCidr, clusterServiceCidr, nodeIp } from '../api/familyFields';
import type { RealizedCluster } from '../api/types';
import { nftChainBase } from './kubeProxyChains';
import { kubeProxyNftTable, type NftServiceElements } from './nftFixedChains';
import { nftAddrType, type NftChain, type NftFamily, type NftTable } from './nftTable';
import type { ServicePortRule, ServiceRuleIndex } from './serviceRules';

export type { NftFamily, NftTable } from './nftTable';

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

/** A family's cluster CIDR, service CIDR and the node's address (kube-proxy's --cluster-cidr, ServiceCIDRs, node IP). */
export function nftFamilyRanges(c: RealizedCluster, node: string, family: NftFamily) {
  const f = family === 'ip6' ? 'IPv6' : 'IPv4';
  const n = c.nodes.find((x) => x.name === node);
  const ip = n && nodeIp(n, f);
  return {
    clusterCIDR: clusterPodCidr(c.cluster, f) ?? '',
    serviceCIDR: clusterServiceCidr(c.cluster, f) ?? '',
    nodeIps: ip ? [ip] : [],
  };
}

/**
 * One family's table on a node, the family of `index`'s proxier: buildServiceRules(c, 'IPv6') gives `table ip6`
 * (the Services with IPv6 among their ipFamilies, at their IPv6 ClusterIP and IPv6 endpoints).
 */
export function kubeProxyNftables(c: RealizedCluster, index: ServiceRuleIndex, node: string): NftTable {
  const family: NftFamily = index.family === 'IPv6' ? 'ip6' : 'ip';
  const { clusterCIDR, serviceCIDR, nodeIps } = nftFamilyRanges(c, node, family);
  const clusterIps = new Set<string>();
  const e: NftServiceElements = {
    clusterIps,
    serviceIps: [],
    noEndpointServices: [],
    serviceNodePorts: [],
    noEndpointNodePorts: [],
    affinitySets: [],
  };
  const serviceChains: NftChain[] = [];
  for (const r of index.rules) {
    const p = nftServicePort({ family, clusterCIDR, node }, r);
    clusterIps.add(p.clusterIP);
    e.serviceIps.push(...p.serviceIps);
    e.noEndpointServices.push(...p.noEndpointServices);
    e.serviceNodePorts.push(...p.serviceNodePorts);
    e.noEndpointNodePorts.push(...p.noEndpointNodePorts);
    e.affinitySets.push(...p.affinitySets);
    serviceChains.push(...p.chains);
  }
  return kubeProxyNftTable(family, nodeIps, serviceCIDR, e, serviceChains);
}

/** What one Service port puts in a node's table: its ClusterIP, its map elements, its sets and chains. */
export interface NftServicePortParts {
  clusterIP: string;
  serviceIps: string[];
  noEndpointServices: string[];
  serviceNodePorts: string[];
  noEndpointNodePorts: string[];
  affinitySets: NftTable['sets'];
  chains: NftChain[];
}

/**
 * One Service port's part of a node's table (the family's proxier; `clusterCIDR` its --cluster-cidr); with
 * `elementsOnly` only its set and map elements (no sets or chains: no endpoint chain's name to hash).
 */
export function nftServicePort(
  ctx: { family: NftFamily; clusterCIDR: string; node: string },
  r: ServicePortRule,
  elementsOnly = false,
): NftServicePortParts {
  const { family, clusterCIDR, node } = ctx;
  const ipX = family;
  const serviceIps: string[] = [];
  const noEndpointServices: string[] = [];
  const serviceNodePorts: string[] = [];
  const noEndpointNodePorts: string[] = [];
  const affinitySets: NftTable['sets'] = [];
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

  const key = `${r.clusterIP} . ${proto} . ${r.port.port}`;
  if (hasInternal) serviceIps.push(`${key} : goto ${internalChain}`);
  else noEndpointServices.push(`${key} comment ${comment} : ${internalVerdict}`);
  if (r.port.nodePort !== null) {
    if (hasEndpoints) serviceNodePorts.push(`${proto} . ${r.port.nodePort} : goto ${names.external}`);
    if (!hasExternal) noEndpointNodePorts.push(`${proto} . ${r.port.nodePort} comment ${comment} : ${externalVerdict}`);
  }
  const elements = { clusterIP: r.clusterIP, serviceIps, noEndpointServices, serviceNodePorts, noEndpointNodePorts };
  if (elementsOnly) return { ...elements, affinitySets, chains: [] };

  const affinity = s.sessionAffinityTimeout;
  const chains = new Map<string, NftChain>();
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
      `${ipX} daddr ${r.clusterIP} ${proto} dport ${r.port.port} ${ipX} saddr != ${clusterCIDR} jump mark-for-masquerade`,
    );
  if (usesExternal) {
    const ext = chain(names.external);
    if (!etpLocal) ext.rules.push('jump mark-for-masquerade');
    else {
      ext.rules.push(`${ipX} saddr ${clusterCIDR} goto ${names.cluster} comment "short-circuit pod traffic"`);
      ext.rules.push('fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"');
      ext.rules.push(`fib saddr type local goto ${names.cluster} comment "short-circuit local traffic"`);
    }
    if (hasExternal) ext.rules.push(`goto ${externalPolicyChain}`);
  }
  if (affinity !== null) {
    for (const e of reachable)
      affinitySets.push({
        name: names.affinity(e.address),
        body: [
          `type ${nftAddrType(family)}`,
          'size 65535',
          'flags dynamic,timeout',
          `timeout ${nftDuration(affinity)}`,
        ],
        elements: [],
      });
  }
  const balance = (ch: string, list: typeof eps) => {
    if (affinity !== null)
      for (const e of list)
        chain(ch).rules.push(`${ipX} saddr @${names.affinity(e.address)} goto ${names.endpoint(e.address)}`);
    chain(ch).rules.push(
      `numgen random mod ${list.length} vmap { ${list.map((e, i) => `${i} : goto ${names.endpoint(e.address)}`).join(', ')} }`,
    );
  };
  if (usesCluster) balance(names.cluster, eps);
  if (usesLocal) balance(names.local, local);
  for (const e of reachable) {
    const ch = chain(names.endpoint(e.address));
    ch.rules.push(`${ipX} saddr ${e.endpoint.ip} jump mark-for-masquerade`);
    if (affinity !== null) ch.rules.push(`update @${names.affinity(e.address)} { ${ipX} saddr }`);
    ch.rules.push(`meta l4proto ${proto} dnat to ${e.address}`);
  }
  return { ...elements, affinitySets, chains: [...chains.values()] };
}

/** The table in nft's ruleset syntax: loadable with `nft -f`, the shape `nft list table ip kube-proxy` prints. */
export function renderNftTable(t: NftTable): string {
  const L = [`table ${t.family} kube-proxy {`, '\tcomment "rules for kube-proxy"'];
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

/** A node's kube-proxy tables as `nft list ruleset` prints them: IPv4's, then IPv6's in a dual-stack cluster. */
export function renderNftRuleset(tables: readonly NftTable[]): string {
  return tables.map(renderNftTable).join('');
}

/** The table as `nft list table` prints it, line by line (for a windowed view of a 10,000-Service table). */
export function nftTableLines(t: NftTable): string[] {
  return renderNftTable(t).slice(0, -1).split('\n');
}
