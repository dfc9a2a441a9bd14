// What every node's kernel holds, computed lazily: cluster-wide indexes once,
// a node's tables when someone asks for that node.
import type { RealizedCluster, RealizedNode, RealizedPod } from '../api/types';
import { addFlannelRules } from './flannelIptables';
import {
  clusterCidrOf,
  emptyIptables,
  kubeProxyTables,
  nodePodCidrOf,
  servicePortTables,
  type Table,
} from './kubeProxyIptables';
import { kubeProxyNftables, type NftTable } from './kubeProxyNftables';
import { ClusterRoutes, hasIpv4, nodeRoutes, podRoutes, renderRoute, type Route } from './routes';
import { buildServiceRules, type ServicePortRule, type ServiceRuleIndex } from './serviceRules';
import { computedKernel, type NodeKernel } from './nodeKernel';
import { LazyIptables, ServiceChainPositions } from './lazyIptables';
import { computedKernel6 } from './nodeKernel6';
import { buildServiceRules6, nodeIp6tables } from './ip6tables';
import { podRoutes6, type Route6 } from './routes6';
import type { AnyRoute } from './anyRoute';
import { isIp6, type IpAddr } from '../ip/anyIp';
import type { Ipv4 } from '../ip/types';

/** Nodes whose full tables are kept built (a 10,000-Service node is ~40,000 rule lines). */
const NODE_CACHE_SIZE = 8;
/** Nodes whose lazily written tables are kept for the walker. */
const KERNEL_CACHE_SIZE = 64;

export interface NodeDataplane {
  node: RealizedNode;
  routes: Route[];
  /** The iptables nat and filter tables: kube-proxy's (iptables mode) and flannel's rules. */
  nat: Table;
  filter: Table;
  /** kube-proxy's nftables table, in nftables mode; null otherwise. */
  nft: NftTable | null;
  /** kube-proxy's `table ip6 kube-proxy`, in nftables mode in a dual-stack cluster; null otherwise. */
  nft6: NftTable | null;
}

export interface Dataplane {
  cluster: RealizedCluster;
  services: ServiceRuleIndex;
  /** The IPv6 proxier's Service ports in a dual-stack cluster (built on first use); undefined in a single-stack one. */
  services6(): ServiceRuleIndex | undefined;
  /** undefined for an unknown node name. */
  node(name: string): NodeDataplane | undefined;
  podRoutes(pod: RealizedPod): Route[];
  /** A pod's `ip -6 route` (empty when it has no IPv6 address). */
  podRoutes6(pod: RealizedPod): Route6[];
  /** The route a node's kernel picks for an address, without building the node's tables (IPv6: its `ip -6 route`). */
  routeFor(node: RealizedNode, ip: Ipv4): Route;
  routeFor(node: RealizedNode, ip: IpAddr): AnyRoute | undefined;
  /** One Service port's rules as a node holds them (what a trace shows), without the node's whole table. */
  serviceTables(rule: ServicePortRule, node: string): { nat: Table; filter: Table };
  nodeByName(name: string): RealizedNode | undefined;
  /** What a packet walker reads of a node: tables (built lazily), routes, local addresses. */
  kernel(name: string): NodeKernel | undefined;
}

/** `ip route` output: one line per route, each ending in the space iproute2 prints. */
export function renderRouteTable(routes: Route[]): string {
  return routes.map((r) => `${renderRoute(r)} \n`).join('');
}

export function buildDataplane(cluster: RealizedCluster): Dataplane {
  // An IPv6 single-stack cluster has no IPv4 family: no IPv4 Service rules, routes or tables.
  const v4 = hasIpv4(cluster);
  const services = buildServiceRules(cluster);
  const nodesByName = new Map(cluster.nodes.map((n) => [n.name, n]));
  const cache = new Map<string, NodeDataplane>();
  const ipv4Routes = v4 ? new ClusterRoutes(cluster) : undefined;
  const routes = {
    lookup(node: RealizedNode, ip: Ipv4): Route {
      if (!ipv4Routes) throw new Error(`${cluster.cluster.name} is IPv6 single-stack: no node has IPv4 routes`);
      return ipv4Routes.lookup(node, ip);
    },
  };
  const kernels = new Map<string, NodeKernel>();
  let positions: ServiceChainPositions | undefined;
  let positions6: ServiceChainPositions | undefined;
  // The IPv6 proxier's Service ports, for the ip6tables a dual-stack node's IPv6 walk reads.
  let services6: ServiceRuleIndex | undefined;
  const dp: Dataplane = {
    cluster,
    services,
    services6: () => (services6 ??= buildServiceRules6(cluster)),
    node(name) {
      const hit = cache.get(name);
      if (hit) {
        // Most recently used last: the cache evicts from the front.
        cache.delete(name);
        cache.set(name, hit);
        return hit;
      }
      const node = nodesByName.get(name);
      if (!node) return undefined;
      // kube-proxy prepends its jumps; flannel appends its own after them. In nftables mode
      // kube-proxy writes its own nft table and leaves iptables to flannel.
      const nftMode = cluster.cluster.kubeProxyMode === 'nftables';
      const { nat, filter } = nftMode || !v4 ? emptyIptables() : kubeProxyTables(cluster, services, name);
      if (v4) addFlannelRules(nat, filter, clusterCidrOf(cluster, 'IPv4'), nodePodCidrOf(node, 'IPv4'));
      let nft6: NftTable | null | undefined;
      const dp = {
        node,
        routes: nodeRoutes(cluster, node),
        nat,
        filter,
        nft: nftMode && v4 ? kubeProxyNftables(cluster, services, name) : null,
        // Written when first read: most views of a node look at one family's table only.
        get nft6() {
          return (nft6 ??=
            nftMode && cluster.cluster.ipFamily !== undefined
              ? kubeProxyNftables(cluster, (services6 ??= buildServiceRules(cluster, 'IPv6')), name)
              : null);
        },
      };
      cache.set(name, dp);
      // A node's full tables hold a rule per Service port: keep only a few nodes' worth in memory.
      if (cache.size > NODE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return dp;
    },
    routeFor: ((node: RealizedNode, ip: IpAddr) =>
      isIp6(ip) ? dp.kernel(node.name)?.route(ip) : routes.lookup(node, ip)) as Dataplane['routeFor'],
    serviceTables: (rule, node) => servicePortTables(cluster, rule, node),
    nodeByName: (name) => nodesByName.get(name),
    kernel(name) {
      const hit = kernels.get(name);
      if (hit) {
        kernels.delete(name);
        kernels.set(name, hit);
        return hit;
      }
      const node = nodesByName.get(name);
      if (!node) return undefined;
      let tables6: ReturnType<typeof nodeIp6tables>;
      let lazy6: LazyIptables | undefined;
      const k: NodeKernel = {
        ...computedKernel(
          cluster,
          services,
          node,
          (ip) => routes.lookup(node, ip),
          () => (positions ??= new ServiceChainPositions(services)),
          cluster.cluster.kubeProxyMode !== 'nftables' && v4,
          () => dp.node(name)?.nft ?? undefined,
          computedKernel6(cluster, node, () => {
            services6 ??= buildServiceRules6(cluster);
            if (!services6) return undefined;
            // ip6tables in iptables mode: written lazily as the IPv4 side is, one Service port at a time.
            if (cluster.cluster.kubeProxyMode === 'nftables')
              return (tables6 ??= nodeIp6tables(cluster, services6, node));
            const index = services6;
            return (lazy6 ??= new LazyIptables(
              cluster,
              index,
              node,
              () => (positions6 ??= new ServiceChainPositions(index)),
            )).tables;
          }),
        ),
        nft6: () => dp.node(name)?.nft6 ?? undefined,
      };
      kernels.set(name, k);
      // Each keeps the Service ports its walks wrote: a bounded few, most recently used last.
      if (kernels.size > KERNEL_CACHE_SIZE) kernels.delete(kernels.keys().next().value!);
      return k;
    },
    podRoutes(pod) {
      const node = pod.node ? nodesByName.get(pod.node) : undefined;
      return node ? podRoutes(cluster, node, pod) : [];
    },
    podRoutes6(pod) {
      const node = pod.node ? nodesByName.get(pod.node) : undefined;
      return node ? podRoutes6(cluster, node, pod) : [];
    },
  };
  return dp;
}
