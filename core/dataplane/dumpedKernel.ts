// A node's kernel as its dumps describe it (`iptables-save`, `ip route`,
// `ip -o addr`, and in nftables mode kube-proxy's tables as `nft list ruleset`
// prints them: `table ip kube-proxy`, then `table ip6 kube-proxy` on a
// dual-stack node, whose IPv6 side is `ip6tables-save`, `ip -6 route` and
// the inet6 lines of `ip -o addr`): what `trace --tables` walks instead of the computed tables.
import type { Ipv4 } from '../ip/types';
import type { IpAddr } from '../ip/anyIp';
import type { RealizedNode } from '../api/types';
import { renderRouteTable, type Dataplane } from './dataplane';
import { nodeDevices } from './devices';
import { parseIpAddr, parseIpRoute, renderIpAddr } from './kernelDumps';
import { nodeAddresses6, parseIp6Route, parseIpAddr6 } from './kernelDumps6';
import { lookupRoute6 } from './anyRoute';
import { nodeRoutes6, renderRouteTable6 } from './routes6';
import { parseIptablesSave, type TablesError } from './iptablesParse';
import type { Table, TableName } from './iptablesTable';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from './ip6tables';
import { renderNftRuleset } from './kubeProxyNftables';
import { parseNftRuleset } from './nftParse';
import { policyEnforcerTable, renderEnforcerTable } from '../policy/enforcer';
import { parseEnforcerTable } from '../policy/enforcerParse';
import { bothFamilies, isLoopback, type NodeKernel } from './nodeKernel';
import { RouteLookup } from './routes';

export interface NodeDumpTexts {
  iptablesSave: { text: string; document: string };
  /** A dual-stack node's ip6tables (kube-proxy's IPv6 proxier, flannel's IPv6 rules). */
  ip6tablesSave?: { text: string; document: string };
  ipRoute: { text: string; document: string };
  /** A dual-stack node's `ip -6 route` (its main table). */
  ip6Route?: { text: string; document: string };
  /** `ip -o addr`: the inet lines, and a dual-stack node's inet6 lines. */
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
  const routes6 = d.ip6Route && parseIp6Route(d.ip6Route.text, d.ip6Route.document);
  if (routes6 && !routes6.ok) return routes6;
  const addrs6 = parseIpAddr6(d.ipAddr.text, d.ipAddr.document);
  if (!addrs6.ok) return addrs6;
  const nft = d.nftRuleset ? parseNftRuleset(d.nftRuleset.text, d.nftRuleset.document) : undefined;
  if (nft && !nft.ok) return nft;
  const policy = d.nftPolicy ? parseEnforcerTable(d.nftPolicy.text, d.nftPolicy.document) : undefined;
  if (policy && !policy.ok) return policy;
  const lookup = new RouteLookup(routes.value);
  const local = new Set<Ipv4>(addrs.value.map((a) => a.ip));
  const local6 = new Set<bigint>(addrs6.value.map((a) => a.ip));
  return {
    ok: true,
    ...(six ? { ip6tables: six.tables } : {}),
    kernel: bothFamilies(
      name,
      {
        table: (t) => tables.tables.get(t),
        route: (ip) => lookup.lookup(ip),
        isLocal: (ip) => isLoopback(ip) || local.has(ip),
        addressOn: (dev) => addrs.value.find((a) => a.dev === dev)?.ip,
      },
      {
        table: (t) => six?.tables.get(t),
        route: (ip) => (routes6 ? lookupRoute6(routes6.value, ip) : undefined),
        isLocal: (ip) => ip === 1n || local6.has(ip),
        // The device's global address: a link-local one is never a source towards another network.
        addressOn: (dev) => (dev === 'lo' ? 1n : addrs6.value.find((a) => a.dev === dev && !a.link)?.ip),
      },
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
 * (NAME/ip6tables-save and NAME/ip6-route on a dual-stack node, NAME/nft-ruleset in nftables mode, NAME/nft-policy).
 */
export function nodeDumps(dp: Dataplane, name: string): NodeDumpTexts | undefined {
  const d = dp.node(name);
  if (!d) return undefined;
  const services6 = buildServiceRules6(dp.cluster);
  const t6 = services6 && nodeIp6tables(dp.cluster, services6, d.node);
  const routes6 = nodeRoutes6(dp.cluster, d.node);
  return {
    iptablesSave: { text: `${d.nat.render()}\n${d.filter.render()}\n`, document: `${name}/iptables-save` },
    ...(t6
      ? { ip6tablesSave: { text: renderIp6tablesSave([t6.nat, t6.filter]), document: `${name}/ip6tables-save` } }
      : {}),
    ipRoute: { text: renderRouteTable(d.routes), document: `${name}/ip-route` },
    ...(routes6 ? { ip6Route: { text: renderRouteTable6(routes6), document: `${name}/ip6-route` } } : {}),
    ipAddr: {
      text: renderIpAddr(nodeDevices(dp.cluster, d.node), nodeAddresses6(dp.cluster, d.node)),
      document: `${name}/ip-addr`,
    },
    // nftables mode: `table ip kube-proxy`, then `table ip6 kube-proxy` (only this one on an IPv6 single-stack node).
    ...(d.nft || d.nft6
      ? {
          nftRuleset: {
            text: renderNftRuleset([...(d.nft ? [d.nft] : []), ...(d.nft6 ? [d.nft6] : [])]),
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
    // A dumped node's missing route stays missing: the computed table does not fill it in.
    routeFor: ((node: RealizedNode, ip: IpAddr) => {
      const k = kernels.get(node.name);
      return k ? k.route(ip) : dp.routeFor(node, ip);
    }) as Dataplane['routeFor'],
  };
}
