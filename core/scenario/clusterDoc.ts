// The Cluster document: kind's config (kind.x-k8s.io/v1alpha4) plus the
// explorer's fields. Defaults are the real components' defaults.
import { containsIp, formatCidr, lastAddress, overlaps, parseCidr, parseIp } from '../ip/cidr';
import type { Cidr } from '../ip/types';
import { validateNodeMask } from '../ipam/nodeCidrs';
import { DocReader, isObj, join, type Obj } from './docReader';
import { dns1123Subdomain, labelKey, labelValue } from './k8sValidation';
import { DEFAULT_NODE_MASK_IPV6, parseClusterFamilies } from './clusterFamilies';
import type { ClusterSpec, CniMode, KubeProxyMode, NodeSpec, Taint } from '../api/types';

export const DEFAULTS = {
  name: 'kind', // kind's default cluster name
  podSubnet: '10.244.0.0/16', // kind: pkg/apis/config/v1alpha4/default.go
  serviceSubnet: '10.96.0.0/16', // kind: pkg/internal/apis/config/default.go (kubeadm's own default is /12)
  nodeSubnet: '172.18.0.0/16', // the "kind" Docker network's usual subnet
  nodeCIDRMaskSize: 24, // kube-controller-manager --node-cidr-mask-size for IPv4
  cni: 'host-gw' as CniMode, // kindnet, kind's CNI, routes to other nodes' PodCIDRs via their node IPs, as host-gw does
  kubeProxyMode: 'iptables' as KubeProxyMode,
  clusterDomain: 'cluster.local', // kubelet --cluster-domain as kubeadm sets it
  maxPods: 110, // kubelet --max-pods
};

/** kind's config fields the explorer accepts and ignores (they do not change the network model). */
const KIND_IGNORED = new Set([
  'featureGates',
  'runtimeConfig',
  'kubeadmConfigPatches',
  'kubeadmConfigPatchesJSON6902',
  'containerdConfigPatches',
  'containerdConfigPatchesJSON6902',
]);
/** kind's v1alpha4 Networking fields, then the explorer's own (nodeSubnet, nodeCIDRMaskSize[IPv6], cni, clusterDomain). */
const NETWORKING_FIELDS = [
  'ipFamily',
  'apiServerPort',
  'apiServerAddress',
  'podSubnet',
  'serviceSubnet',
  'disableDefaultCNI',
  'kubeProxyMode',
  'dnsSearch',
  'nodeSubnet',
  'nodeCIDRMaskSize',
  'nodeCIDRMaskSizeIPv6',
  'cni',
  'clusterDomain',
];

/** The known field a misspelt one was probably meant to be: same letters ignoring case, or at most two edits away. */
export function closest(key: string, known: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diag = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const up = row[j]!;
        row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
        diag = up;
      }
    }
    return row[b.length]!;
  };
  return known.find((k) => k.toLowerCase() === key.toLowerCase()) ?? known.find((k) => distance(k, key) <= 2);
}

const NODE_FIELDS = ['role', 'name', 'ip', 'labels', 'taints', 'maxPods', 'podCIDR'];
const KIND_NODE_IGNORED = new Set([
  'image',
  'extraMounts',
  'extraPortMappings',
  'kubeadmConfigPatches',
  'kubeadmConfigPatchesJSON6902',
  'labels',
]);

function cidrField(r: DocReader, o: Obj, key: string, path: string, fallback: string): Cidr {
  const text = r.str(o, key, path) ?? fallback;
  const p = parseCidr(text);
  if (!p.ok) {
    r.error(join(path, key), text, p.message);
    return parseCidr(fallback).ok ? (parseCidr(fallback) as { value: Cidr }).value : { base: 0, prefix: 32 };
  }
  if (p.warning) r.warn(join(path, key), text, p.warning);
  return p.value;
}

/** kind's node names: <cluster>-control-plane, -control-plane2, ..., <cluster>-worker, -worker2, ... */
export function kindNodeName(cluster: string, role: string, nth: number): string {
  return `${cluster}-${role}${nth === 1 ? '' : nth}`;
}

function taintsField(r: DocReader, o: Obj, path: string): Taint[] | undefined {
  const list = r.arr(o, 'taints', path);
  if (!list) return o.taints === null ? [] : undefined;
  const out: Taint[] = [];
  list.forEach((t, i) => {
    const p = join(join(path, 'taints'), i);
    if (!isObj(t)) return r.error(p, t, 'must be an object with key and effect');
    const key = r.str(t, 'key', p);
    const effect = r.oneOf(t, 'effect', p, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const);
    if (!key) return r.error(join(p, 'key'), '', 'Required value');
    if (!effect)
      return r.error(join(p, 'effect'), t.effect, 'Required value: NoSchedule, PreferNoSchedule or NoExecute');
    const value = r.str(t, 'value', p);
    out.push({ key, effect, ...(value !== undefined ? { value } : {}) });
  });
  return out;
}

export const IPVS_NOT_MODELLED =
  'kind and kube-proxy accept ipvs, but this explorer does not model IPVS (kube-ipvs0, ipvsadm virtual servers, ipsets); the modes modelled are iptables and nftables';

export function parseClusterDoc(r: DocReader, doc: Obj | undefined): ClusterSpec {
  const d = doc ?? {};
  if (doc && doc.apiVersion !== undefined && doc.apiVersion !== 'kind.x-k8s.io/v1alpha4') {
    r.error(
      'apiVersion',
      doc.apiVersion,
      "a Cluster document must have apiVersion kind.x-k8s.io/v1alpha4 (kind's config format)",
    );
  }
  for (const k of Object.keys(d)) {
    if (!['kind', 'apiVersion', 'name', 'networking', 'nodes'].includes(k) && !KIND_IGNORED.has(k))
      r.warn(k, '', 'unknown field, ignored');
  }
  const name = r.str(d, 'name', '') ?? DEFAULTS.name;
  if (dns1123Subdomain(name)) r.error('name', name, dns1123Subdomain(name)!);
  const net = r.obj(d, 'networking', '') ?? {};
  const np = 'networking';
  // kind decodes its config strictly: a misspelt range would otherwise silently become the default.
  for (const k of Object.keys(net)) {
    if (NETWORKING_FIELDS.includes(k)) continue;
    const meant = closest(k, NETWORKING_FIELDS);
    r.error(
      join(np, k),
      net[k],
      `unknown field${meant ? ` (did you mean ${meant}?)` : ''}: kind reads its config strictly and rejects it`,
    );
  }
  // ipFamily decides how podSubnet and serviceSubnet read (one CIDR, or IPv4,IPv6 in kind's order).
  const families = parseClusterFamilies(r, net, DEFAULTS);
  const v6only = families.ipFamily === 'ipv6';
  // An IPv6 single-stack cluster has no IPv4 pod or Service range: its ranges are in families.secondary.
  const podSubnet = v6only ? undefined : (families.podSubnet ?? cidrField(r, {}, 'podSubnet', np, DEFAULTS.podSubnet));
  const serviceSubnet = v6only
    ? undefined
    : (families.serviceSubnet ?? cidrField(r, {}, 'serviceSubnet', np, DEFAULTS.serviceSubnet));
  const nodeSubnet = cidrField(r, net, 'nodeSubnet', np, DEFAULTS.nodeSubnet);
  const mask = v6only
    ? (families.secondary?.nodeCIDRMaskSize ?? DEFAULT_NODE_MASK_IPV6)
    : (r.int(net, 'nodeCIDRMaskSize', np) ?? DEFAULTS.nodeCIDRMaskSize);
  const maskErr = !podSubnet
    ? undefined
    : mask > 30
      ? `must be at most 30: a smaller node range leaves no address for a pod`
      : validateNodeMask(podSubnet, mask);
  if (maskErr) r.error('networking.nodeCIDRMaskSize', mask, maskErr);
  const cni = r.oneOf(net, 'cni', np, ['host-gw', 'vxlan'] as const) ?? DEFAULTS.cni;
  // kind and kube-proxy accept ipvs, but its virtual servers (kube-ipvs0, ipsets) are not modelled here.
  if (net.kubeProxyMode === 'ipvs') r.error('networking.kubeProxyMode', 'ipvs', IPVS_NOT_MODELLED);
  const kubeProxyMode =
    net.kubeProxyMode === 'ipvs'
      ? DEFAULTS.kubeProxyMode
      : (r.oneOf(net, 'kubeProxyMode', np, ['iptables', 'nftables'] as const) ?? DEFAULTS.kubeProxyMode);
  const clusterDomain = r.str(net, 'clusterDomain', np) ?? DEFAULTS.clusterDomain;
  if (dns1123Subdomain(clusterDomain))
    r.error('networking.clusterDomain', clusterDomain, dns1123Subdomain(clusterDomain)!);

  const ranges = (
    [
      ['networking.podSubnet', podSubnet],
      ['networking.serviceSubnet', serviceSubnet],
      ['networking.nodeSubnet', nodeSubnet],
    ] as [string, Cidr | undefined][]
  ).filter((e): e is [string, Cidr] => e[1] !== undefined);
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [pa, a] = ranges[i]!;
      const [pb, b] = ranges[j]!;
      if (overlaps(a, b))
        r.error(
          pb,
          formatCidr(b),
          `overlaps ${pa} ${formatCidr(a)}: pods, Services and nodes need separate ranges or packets cannot be routed`,
        );
    }
  }

  const nodes = parseNodes(r, d, name, nodeSubnet, podSubnet, mask);
  return {
    name,
    ...(podSubnet ? { podSubnet } : {}),
    ...(serviceSubnet ? { serviceSubnet } : {}),
    nodeSubnet,
    nodeCIDRMaskSize: mask,
    cni,
    kubeProxyMode,
    clusterDomain,
    nodes,
    ...(families.ipFamily !== 'ipv4' ? { ipFamily: families.ipFamily } : {}),
    ...(families.secondary ? { secondary: families.secondary } : {}),
  };
}

const V6ONLY_PINNED = (field: string, what: string) =>
  `a pinned ${what} is modelled for IPv4 nodes only; in an IPv6 single-stack cluster remove ${field} and the node gets the next free one`;

function parseNodes(
  r: DocReader,
  d: Obj,
  cluster: string,
  nodeSubnet: Cidr,
  podSubnet: Cidr | undefined,
  mask: number,
): NodeSpec[] {
  const list = r.arr(d, 'nodes', '') ?? [{ role: 'control-plane' }];
  if (list.length === 0) r.error('nodes', '[]', 'a cluster needs at least one node');
  const counts = { 'control-plane': 0, worker: 0 };
  const names = new Set<string>();
  const nodes: NodeSpec[] = [];
  list.forEach((n, i) => {
    const p = join('nodes', i);
    if (!isObj(n)) return r.error(p, n, 'must be an object such as {role: worker}');
    for (const k of Object.keys(n)) {
      if (NODE_FIELDS.includes(k) || KIND_NODE_IGNORED.has(k)) continue;
      const meant = closest(k, NODE_FIELDS);
      r.warn(join(p, k), '', `unknown field, ignored${meant ? ` (did you mean ${meant}?)` : ''}`);
    }
    const role = r.oneOf(n, 'role', p, ['control-plane', 'worker'] as const) ?? 'control-plane';
    counts[role]++;
    const name = r.str(n, 'name', p) ?? kindNodeName(cluster, role, counts[role]);
    const nameErr = dns1123Subdomain(name);
    if (nameErr) r.error(join(p, 'name'), name, nameErr);
    if (names.has(name)) r.error(join(p, 'name'), name, 'Duplicate value: node names must be unique');
    names.add(name);
    const ip = r.str(n, 'ip', p);
    if (ip !== undefined && !podSubnet) {
      r.error(join(p, 'ip'), ip, V6ONLY_PINNED('ip', 'address'));
    } else if (ip !== undefined) {
      const pi = parseIp(ip);
      if (!pi.ok) r.error(join(p, 'ip'), ip, pi.message);
      else if (!containsIp(nodeSubnet, pi.value))
        r.error(join(p, 'ip'), ip, `is outside the node network ${formatCidr(nodeSubnet)}`);
      else if (pi.value === nodeSubnet.base || pi.value === lastAddress(nodeSubnet))
        r.error(
          join(p, 'ip'),
          ip,
          `is the ${pi.value === nodeSubnet.base ? 'network' : 'broadcast'} address of ${formatCidr(nodeSubnet)}`,
        );
    }
    const labels = r.stringMap(n, 'labels', p) ?? {};
    for (const [k, v] of Object.entries(labels)) {
      const e = labelKey(k) ?? labelValue(v);
      if (e) r.error(join(p, `labels.${k}`), v, e);
    }
    const maxPods = r.int(n, 'maxPods', p) ?? DEFAULTS.maxPods;
    if (maxPods < 0) r.error(join(p, 'maxPods'), maxPods, 'must be 0 or more');
    const podCIDR = r.str(n, 'podCIDR', p);
    if (podCIDR !== undefined && !podSubnet) {
      r.error(join(p, 'podCIDR'), podCIDR, V6ONLY_PINNED('podCIDR', 'PodCIDR'));
    } else if (podCIDR !== undefined && podSubnet) {
      const pc = parseCidr(podCIDR);
      if (!pc.ok) r.error(join(p, 'podCIDR'), podCIDR, pc.message);
      else if (
        pc.value.prefix !== mask ||
        !containsIp(podSubnet, pc.value.base) ||
        pc.value.prefix < podSubnet.prefix
      ) {
        r.error(
          join(p, 'podCIDR'),
          podCIDR,
          `must be a /${mask} block inside the cluster's podSubnet ${formatCidr(podSubnet)}`,
        );
      }
    }
    const taints = taintsField(r, n, p);
    nodes.push({
      name,
      role,
      ...(ip !== undefined ? { ip } : {}),
      labels,
      ...(taints ? { taints } : {}),
      maxPods,
      ...(podCIDR !== undefined ? { podCIDR } : {}),
    });
  });
  return nodes;
}
