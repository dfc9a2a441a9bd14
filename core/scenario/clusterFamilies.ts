// kind's networking.ipFamily with its comma-separated podSubnet and serviceSubnet: the families, their
// defaults and the checks kind, kubeadm, the API server and kube-controller-manager make of them.
import { parseCidr } from '../ip/cidr';
import { formatCidr6, overlaps6, parseCidr6, type Cidr6 } from '../ip/cidr6';
import type { Cidr } from '../ip/types';
import { validateNodeMask6 } from '../ipam/family6';
import type { DocReader, Obj } from './docReader';
import type { ClusterIpFamily, SecondaryFamilySpec } from '../api/types';

/**
 * kind's defaults for each family (kubernetes-sigs/kind pkg/internal/apis/config/default.go SetDefaultsCluster).
 * ipv4's are DEFAULTS in clusterDoc.ts (10.244.0.0/16, 10.96.0.0/16).
 */
export const KIND_FAMILY_DEFAULTS = {
  ipv6: { podSubnet: 'fd00:10:244::/56', serviceSubnet: 'fd00:10:96::/112' },
  dual: { podSubnet: '10.244.0.0/16,fd00:10:244::/56', serviceSubnet: '10.96.0.0/16,fd00:10:96::/112' },
} as const;

/** kube-controller-manager --node-cidr-mask-size-ipv6's default (cmd/kube-controller-manager/app/core.go defaultNodeMaskCIDRIPv6). */
export const DEFAULT_NODE_MASK_IPV6 = 64;

/**
 * kind's Docker network "kind" in a dual-stack cluster: generateULASubnetFromName("kind", 0)
 * (pkg/cluster/internal/providers/docker/network.go): fc00: and six bytes of sha1("kind" + attempt 0), a /64.
 */
export const KIND_NODE_SUBNET_IPV6 = 'fc00:f853:ccd:e793::/64';

/** kube-apiserver's limit on --service-cluster-ip-range: at most 20 host bits (cmd/kube-apiserver/app/options/validation.go). */
const MAX_SERVICE_HOST_BITS = 20;

/** kind's validateSubnets (pkg/internal/apis/config/validate.go) wording, wrapped as kind wraps it. */
const DUAL_SHAPE = 'expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking';

type Entry = { text: string; v4?: Cidr; v6?: Cidr6 };

export interface ClusterFamilies {
  ipFamily: ClusterIpFamily;
  /** The IPv4 ranges; undefined in an IPv6 single-stack cluster or when the field was refused (an error has been reported). */
  podSubnet?: Cidr;
  serviceSubnet?: Cidr;
  secondary?: SecondaryFamilySpec;
}

function entries(r: DocReader, field: string, text: string): Entry[] | undefined {
  const out: Entry[] = [];
  for (const part of text.split(',')) {
    const t = part.trim();
    if (t.includes(':')) {
      const p = parseCidr6(t);
      if (!p.ok) return void r.error(field, text, `invalid CIDR ${JSON.stringify(t)}: ${p.message}`);
      if (p.warning) r.warn(field, text, p.warning);
      out.push({ text: t, v6: p.value });
    } else {
      const p = parseCidr(t);
      if (!p.ok) return void r.error(field, text, p.message);
      if (p.warning) r.warn(field, text, p.warning);
      out.push({ text: t, v4: p.value });
    }
  }
  return out;
}

/** One subnet field, checked as kind's validateSubnets does, then for what the explorer models. */
function subnets(r: DocReader, field: string, text: string, family: ClusterIpFamily): Entry[] | undefined {
  const list = entries(r, field, text);
  if (!list) return undefined;
  const v6 = list.filter((e) => e.v6).length;
  const why = (reason: string) => void r.error(field, text, `${reason} (ipFamily ${family})`);
  if (family === 'dual') {
    if (list.length > 2 || (list.length === 2 && (v6 === 0 || v6 === 2))) return why(DUAL_SHAPE);
    // kind lets one CIDR through, but kube-controller-manager and the API server then run single-stack.
    if (list.length === 1)
      return why(
        'a dual-stack cluster needs two CIDRs, one IPv4 and one IPv6, comma-separated with the primary first (one CIDR makes the cluster single-stack)',
      );
    return list;
  }
  if (list.length > 1) return why('only one CIDR allowed for single-stack networking');
  if (family === 'ipv4' && v6 > 0)
    return why('expected IPv4 CIDR for IPv4 family; for IPv6 too, set ipFamily: dual and list the IPv4 range first');
  if (family === 'ipv6' && v6 === 0) return why('expected IPv6 CIDR for IPv6 family');
  return list;
}

/**
 * The IPv6 node mask as kube-controller-manager's setNodeCIDRMaskSizes (cmd/kube-controller-manager/app/core.go)
 * picks it: in a dual-stack cluster --node-cidr-mask-size-ipv6 (default /64), and --node-cidr-mask-size is refused;
 * in an IPv6 single-stack cluster the plain --node-cidr-mask-size is "still the main reference", and setting it
 * with the IPv6 one is refused.
 */
function nodeMask6(r: DocReader, net: Obj, ipFamily: 'ipv6' | 'dual'): { mask: number; field: string } {
  const v6 = r.int(net, 'nodeCIDRMaskSizeIPv6', 'networking');
  const field = 'networking.nodeCIDRMaskSizeIPv6';
  if (ipFamily === 'dual') return { mask: v6 ?? DEFAULT_NODE_MASK_IPV6, field };
  const plain = r.int(net, 'nodeCIDRMaskSize', 'networking');
  if (plain !== undefined && v6 !== undefined)
    r.error(
      'networking.nodeCIDRMaskSizeIPv6',
      v6,
      'usage of --node-cidr-mask-size-ipv4 and --node-cidr-mask-size-ipv6 is not allowed if --node-cidr-mask-size is set (kube-controller-manager); in an IPv6 cluster set only one of nodeCIDRMaskSize and nodeCIDRMaskSizeIPv6',
    );
  return plain !== undefined
    ? { mask: plain, field: 'networking.nodeCIDRMaskSize' }
    : { mask: v6 ?? DEFAULT_NODE_MASK_IPV6, field };
}

/** networking.ipFamily, podSubnet and serviceSubnet; `fallback` are the explorer's IPv4 defaults. */
export function parseClusterFamilies(
  r: DocReader,
  net: Obj,
  fallback: { podSubnet: string; serviceSubnet: string },
): ClusterFamilies {
  const given = net.ipFamily;
  let ipFamily: ClusterIpFamily = 'ipv4';
  if (given !== undefined && given !== 'ipv4' && given !== 'ipv6' && given !== 'dual')
    r.error('networking.ipFamily', given, `invalid ipFamily: ${String(given)} (kind accepts ipv4, ipv6 or dual)`);
  else if (given !== undefined) ipFamily = given;
  const defaults = ipFamily === 'ipv4' ? fallback : KIND_FAMILY_DEFAULTS[ipFamily];
  const read = (key: 'podSubnet' | 'serviceSubnet'): Entry[] | undefined => {
    const raw = net[key];
    if (raw !== undefined && raw !== null && typeof raw !== 'string')
      return void r.error(`networking.${key}`, raw, 'must be a string');
    return subnets(r, `networking.${key}`, typeof raw === 'string' ? raw : defaults[key], ipFamily);
  };
  const pods = read('podSubnet');
  const services = read('serviceSubnet');
  const out: ClusterFamilies = { ipFamily, podSubnet: pods?.[0]?.v4, serviceSubnet: services?.[0]?.v4 };
  const pod6 = pods?.find((e) => e.v6)?.v6;
  const svc6 = services?.find((e) => e.v6)?.v6;
  if (ipFamily === 'ipv4' || !pod6 || !svc6) return out;

  const { mask, field } = nodeMask6(r, net, ipFamily);
  const maskErr = validateNodeMask6(pod6, mask);
  if (maskErr) r.error(field, mask, maskErr);
  if (128 - svc6.prefix > MAX_SERVICE_HOST_BITS)
    r.error(
      'networking.serviceSubnet',
      net.serviceSubnet,
      `specified --service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= ${128 - MAX_SERVICE_HOST_BITS} (${formatCidr6(svc6)})`,
    );
  if (overlaps6(pod6, svc6))
    r.error(
      'networking.serviceSubnet',
      net.serviceSubnet ?? defaults.serviceSubnet,
      `${formatCidr6(svc6)} overlaps the IPv6 podSubnet ${formatCidr6(pod6)}: pods and Services need separate ranges or packets cannot be routed`,
    );
  // kind lists the primary family first: kube-controller-manager's --cluster-cidr order makes spec.podCIDRs' and the
  // API server's --service-cluster-ip-range order makes the Services' (and kind then orders the node addresses by it).
  const podsFirst6 = !!pods?.[0]?.v6;
  if (ipFamily === 'dual' && services && podsFirst6 !== !!services[0]?.v6) {
    const [first, second] = podsFirst6 ? ['IPv6', 'IPv4'] : ['IPv4', 'IPv6'];
    const given = typeof net.serviceSubnet === 'string';
    const swapped = services
      .map((e) => e.text)
      .reverse()
      .join(',');
    r.error(
      'networking.serviceSubnet',
      given ? net.serviceSubnet : defaults.serviceSubnet,
      `${given ? 'lists' : "kind's default for ipFamily dual lists"} ${second} first but networking.podSubnet lists ${first} first: pods and Services with different primary families are not modelled; list both in the same order, the primary family first (serviceSubnet: ${swapped})`,
    );
  }
  const nodeSubnet = (parseCidr6(KIND_NODE_SUBNET_IPV6) as { value: Cidr6 }).value;
  out.secondary = {
    family: 'IPv6',
    podSubnet: pod6,
    serviceSubnet: svc6,
    nodeCIDRMaskSize: mask,
    nodeSubnet,
    ...(ipFamily === 'dual' && podsFirst6 ? { primary: true as const } : {}),
  };
  return out;
}
