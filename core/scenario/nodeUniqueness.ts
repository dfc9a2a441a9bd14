// Node addresses pinned anywhere (the Cluster document's nodes, Node documents) must not
// collide once every document is read: one node IP per node, one PodCIDR per node.
import { formatCidr, formatIp, parseCidr, parseIp } from '../ip/cidr';
import type { ClusterSpec, ScenarioIssue } from '../api/types';

/** Where a node's pinned address was written: the document and the field. */
export interface Origin {
  document: string;
  path: string;
}

/** Per node name, where its IP and its podCIDR were last set. */
export type NodeOrigins = Map<string, { ip?: Origin; podCIDR?: Origin }>;

export function recordOrigin(origins: NodeOrigins, node: string, field: 'ip' | 'podCIDR', at: Origin): void {
  const o = origins.get(node) ?? {};
  o[field] = at;
  origins.set(node, o);
}

/**
 * Two nodes with one InternalIP, or one PodCIDR, are refused. kube-controller-manager's cidrset.Occupy
 * would accept a PodCIDR twice without a word ("Occupy succeeds even if the CIDR range was previously
 * used"), and each node's host-local would then hand out the same pod IPs: a broken cluster, not a model.
 */
export function checkNodeAddresses(cluster: ClusterSpec, origins: NodeOrigins, errors: ScenarioIssue[]): void {
  const ips = new Map<number, string>();
  const cidrs = new Map<string, string>();
  for (const n of cluster.nodes) {
    const at = origins.get(n.name);
    const ip = n.ip !== undefined ? parseIp(n.ip) : undefined;
    if (ip?.ok && at?.ip) {
      const owner = ips.get(ip.value);
      if (owner !== undefined)
        errors.push({
          ...at.ip,
          value: n.ip!,
          message: `Duplicate value: ${formatIp(ip.value)} is already node ${owner}'s address`,
        });
      else ips.set(ip.value, n.name);
    }
    const cidr = n.podCIDR !== undefined ? parseCidr(n.podCIDR) : undefined;
    if (cidr?.ok && at?.podCIDR) {
      const key = formatCidr(cidr.value);
      const owner = cidrs.get(key);
      if (owner !== undefined)
        errors.push({
          ...at.podCIDR,
          value: n.podCIDR!,
          message: `Duplicate value: ${key} is already node ${owner}'s PodCIDR; two nodes with one range would give two pods the same IP`,
        });
      else cidrs.set(key, n.name);
    }
  }
}
