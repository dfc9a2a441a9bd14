// A node's kernel as its dumps describe it (`iptables-save`, `ip route`,
// `ip -o addr`, and in nftables mode kube-proxy's tables as `nft list ruleset`
// prints them: `table ip kube-proxy`, then `table ip6 kube-proxy` on a
// dual-stack node): what `trace --tables` walks instead of the computed tables.
import type { Ipv4 } from '../ip/types';
import type { IpAddr } from '../ip/anyIp';
import type { RealizedNode } from '../api/types';
import { renderRouteTable, type Dataplane } from './dataplane';
import { nodeDevices } from './devices';
import { parseIpAddr, parseIpRoute, renderIpAddr } from './kernelDumps';
import { parseIptablesSave, type TablesError } from './iptablesParse';
import type { Table, TableName } from './iptablesTable';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from './ip6tables';
import { renderNftRuleset } from './kubeProxyNftables';
import { parseNftRuleset } from './nftParse';
import { policyEnforcerTable, renderEnforcerTable } from '../policy/enforcer';
import { parseEnforcerTable } from '../policy/enforcerParse';
import { NO_IPV6, bothFamilies, isLoopback, type NodeKernel } from './nodeKernel';
import { RouteLookup } from './routes';

export interface NodeDumpTexts {
  iptablesSave: { text: string; document: string };
  /** A dual-stack node's ip6tables (kube-proxy's IPv6 proxier, flannel's IPv6 rules). */
  ip6tablesSave?: { text: string; document: string };
  ipRoute: { text: string; document: string };
  ipAddr: { text: string; document: string };
  /** kube-proxy's nft tables (nftables mode): ip, then ip6 on a dual-stack node. */
  nftRuleset?: { text: string; document: string };
  /** kube-network-policies' nft table (the NetworkPolicy enforcer). */
  nftPolicy?: { text: string; document: string };
}

/** ip6tables: the IPv6 tables the dump holds, read with ip6tables-save's syntax (for the IPv6 walker). */
export type DumpedKernel =
  { ok: true; kernel: NodeKernel; ip6tables?: Map<TableName, Table> } | { ok: false; error: TablesError };

export function dumpedKernel(name: string, d: NodeDumpTexts): DumpedKernel {
  const tables = parseIptablesSave(d.iptablesSave.text, d.iptablesSave.document);
  if (!tables.ok) return { ok: false, error: tables.error };
  const six = d.ip6tablesSave && parseIptablesSave(d.ip6tablesSave.text, d.ip6tablesSave.document, 'IPv6');
  if (six && !six.ok) return { ok: false, error: six.error };
  const routes = parseIpRoute(d.ipRoute.text, d.ipRoute.document);
  if (!routes.ok) return routes;
  const addrs = parseIpAddr(d.ipAddr.text, d.ipAddr.document);
  if (!addrs.ok) return addrs;
  const nft = d.nftRuleset ? parseNftRuleset(d.nftRuleset.text, d.nftRuleset.document) : undefined;
  if (nft && !nft.ok) return nft;
  const policy = d.nftPolicy ? parseEnforcerTable(d.nftPolicy.text, d.nftPolicy.document) : undefined;
  if (policy && !policy.ok) return policy;
  const lookup = new RouteLookup(routes.value);
  const local = new Set<Ipv4>(addrs.value.map((a) => a.ip));
  return {
    ok: true,
    ...(six ? { ip6tables: six.tables } : {}),
    // The dumps' routes and addresses are IPv4's (`ip route`, `ip -o addr`): the IPv6 side has only ip6tables.
    kernel: bothFamilies(
      name,
      {
        table: (t) => tables.tables.get(t),
        route: (ip) => lookup.lookup(ip),
        isLocal: (ip) => isLoopback(ip) || local.has(ip),
        addressOn: (dev) => addrs.value.find((a) => a.dev === dev)?.ip,
      },
      { ...NO_IPV6, table: (t) => six?.tables.get(t) },
      {
        nft: () => nft?.tables.find((t) => t.family === 'ip'),
        nft6: () => nft?.tables.find((t) => t.family === 'ip6'),
        enforcer: () => policy?.table,
      },
    ),
  };
}

/**
 * What `k8snet tables` writes for a node, named DIR-relative: NAME/iptables-save, NAME/ip-route, NAME/ip-addr
 * (NAME/ip6tables-save on a dual-stack node, NAME/nft-ruleset in nftables mode, NAME/nft-policy).
 */
export function nodeDumps(dp: Dataplane, name: string): NodeDumpTexts | undefined {
  const d = dp.node(name);
  if (!d) return undefined;
  const services6 = buildServiceRules6(dp.cluster);
  const t6 = services6 && nodeIp6tables(dp.cluster, services6, d.node);
  return {
    iptablesSave: { text: `${d.nat.render()}\n${d.filter.render()}\n`, document: `${name}/iptables-save` },
    ...(t6
      ? { ip6tablesSave: { text: renderIp6tablesSave([t6.nat, t6.filter]), document: `${name}/ip6tables-save` } }
      : {}),
    ipRoute: { text: renderRouteTable(d.routes), document: `${name}/ip-route` },
    ipAddr: { text: renderIpAddr(nodeDevices(dp.cluster, d.node)), document: `${name}/ip-addr` },
    ...(d.nft
      ? {
          nftRuleset: {
            text: renderNftRuleset([d.nft, ...(d.nft6 ? [d.nft6] : [])]),
            document: `${name}/nft-ruleset`,
          },
        }
      : {}),
    nftPolicy: {
      text: renderEnforcerTable(policyEnforcerTable(dp.cluster, name)),
      document: `${name}/nft-policy`,
    },
  };
}

/** The dataplane with some nodes' kernels replaced by their dumps. */
export function withKernels(dp: Dataplane, kernels: Map<string, NodeKernel>): Dataplane {
  return {
    ...dp,
    kernel: (name) => kernels.get(name) ?? dp.kernel(name),
    routeFor: ((node: RealizedNode, ip: IpAddr) =>
      kernels.get(node.name)?.route(ip) ?? dp.routeFor(node, ip)) as Dataplane['routeFor'],
  };
}
