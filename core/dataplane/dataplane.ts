// What every node's kernel holds, computed lazily: cluster-wide indexes once,
// a node's tables when someone asks for that node.
import type { RealizedCluster, RealizedNode, RealizedPod } from '../model/types';
import { kubeProxyTables, type Table } from './kubeProxyIptables';
import { nodeRoutes, podRoutes, renderRoute, RouteLookup, type Route } from './routes';
import { buildServiceRules, type ServiceRuleIndex } from './serviceRules';

export interface NodeDataplane {
  node: RealizedNode;
  routes: Route[];
  routeLookup: RouteLookup;
  nat: Table;
  filter: Table;
}

export interface Dataplane {
  cluster: RealizedCluster;
  services: ServiceRuleIndex;
  /** undefined for an unknown node name. */
  node(name: string): NodeDataplane | undefined;
  podRoutes(pod: RealizedPod): Route[];
}

/** `ip route` output: one line per route, each ending in the space iproute2 prints. */
export function renderRouteTable(routes: Route[]): string {
  return routes.map((r) => `${renderRoute(r)} \n`).join('');
}

export function buildDataplane(cluster: RealizedCluster): Dataplane {
  const services = buildServiceRules(cluster);
  const nodesByName = new Map(cluster.nodes.map((n) => [n.name, n]));
  const cache = new Map<string, NodeDataplane>();
  return {
    cluster,
    services,
    node(name) {
      const hit = cache.get(name);
      if (hit) return hit;
      const node = nodesByName.get(name);
      if (!node) return undefined;
      const routes = nodeRoutes(cluster, node);
      const { nat, filter } = kubeProxyTables(cluster, services, name);
      const dp = { node, routes, routeLookup: new RouteLookup(routes), nat, filter };
      cache.set(name, dp);
      return dp;
    },
    podRoutes(pod) {
      const node = pod.node ? nodesByName.get(pod.node) : undefined;
      return node ? podRoutes(cluster, node, pod) : [];
    },
  };
}
