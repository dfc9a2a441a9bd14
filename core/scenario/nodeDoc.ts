// A Node document adds a node to the cluster or overrides one declared in
// the Cluster document (labels, spec.podCIDR, spec.taints, its InternalIP).
import { formatCidr as fmt } from '../ip/cidr';
import { DocReader, isObj, type Obj } from './docReader';
import { closest, parseClusterDoc } from './clusterDoc';
import { dns1123Subdomain } from './k8sValidation';
import { recordOrigin, type NodeOrigins } from './nodeUniqueness';
import type { ClusterSpec } from '../api/types';

/** NodeSpec fields the network model does not read. */
const NODE_SPEC_IGNORED = ['podCIDRs', 'providerID', 'unschedulable', 'configSource', 'externalID'];

export function parseNodeDoc(r: DocReader, doc: Obj, cluster: ClusterSpec, origins: NodeOrigins): void {
  const md = r.obj(doc, 'metadata', '');
  const name = md ? r.str(md, 'name', 'metadata') : undefined;
  if (!md || name === undefined) return r.error('metadata.name', '', 'Required value');
  const ne = dns1123Subdomain(name);
  if (ne) return r.error('metadata.name', name, ne);
  const spec = r.obj(doc, 'spec', '') ?? {};
  for (const k of Object.keys(spec)) {
    if (k === 'podCIDR' || k === 'taints' || NODE_SPEC_IGNORED.includes(k)) continue;
    const meant = closest(k, ['podCIDR', 'taints', ...NODE_SPEC_IGNORED]);
    r.warn(`spec.${k}`, '', `unknown field, ignored${meant ? ` (did you mean ${meant}?)` : ''}`);
  }
  if (spec.unschedulable === true)
    r.warn('spec.unschedulable', true, 'a cordoned node is not modelled: pods may still be scheduled onto it');
  const status = r.obj(doc, 'status', '') ?? {};
  const labels = (md.labels && isObj(md.labels) ? md.labels : {}) as Record<string, string>;
  const addresses = Array.isArray(status.addresses) ? status.addresses : [];
  const addrAt = addresses.findIndex((a) => isObj(a) && a.type === 'InternalIP');
  const addr = addresses[addrAt] as Obj | undefined;
  const role = Object.prototype.hasOwnProperty.call(labels, 'node-role.kubernetes.io/control-plane')
    ? 'control-plane'
    : 'worker';
  // Reuse the Cluster document's node validation by validating a one-node entry in the same network.
  const entry: Obj = { role, name, labels };
  if (addr && typeof addr.address === 'string') entry.ip = addr.address;
  if (spec.podCIDR !== undefined) entry.podCIDR = spec.podCIDR;
  if (spec.taints !== undefined) entry.taints = spec.taints;
  if (!cluster.podSubnet || !cluster.serviceSubnet)
    return void r.error(
      'kind',
      'Node',
      'Node documents are read for IPv4 clusters only; in an IPv6 single-stack cluster (ipFamily: ipv6) list the nodes in the Cluster document',
    );
  const probe = new DocReader(r.document, r.errors, r.warnings);
  const parsed = parseClusterDoc(probe, {
    name: cluster.name,
    networking: {
      podSubnet: fmt(cluster.podSubnet),
      serviceSubnet: fmt(cluster.serviceSubnet),
      nodeSubnet: fmt(cluster.nodeSubnet),
      nodeCIDRMaskSize: cluster.nodeCIDRMaskSize,
    },
    nodes: [entry],
  }).nodes[0];
  if (!parsed) return;
  if (parsed.ip)
    recordOrigin(origins, name, 'ip', { document: r.document, path: `status.addresses[${addrAt}].address` });
  if (parsed.podCIDR) recordOrigin(origins, name, 'podCIDR', { document: r.document, path: 'spec.podCIDR' });
  const i = cluster.nodes.findIndex((n) => n.name === name);
  if (i >= 0) {
    const old = cluster.nodes[i]!;
    cluster.nodes[i] = {
      ...old,
      labels: { ...old.labels, ...parsed.labels },
      ...(parsed.ip ? { ip: parsed.ip } : {}),
      ...(parsed.podCIDR ? { podCIDR: parsed.podCIDR } : {}),
      ...(parsed.taints ? { taints: parsed.taints } : {}),
    };
  } else cluster.nodes.push(parsed);
}
