// Each object's address in one family, read by content. A realized object's primary fields (pod ip, node ip,
// podCIDR and gateway, a Service's clusterIP, the cluster's ranges) hold the primary family: IPv4 in an IPv4 or an
// IPv4-first dual-stack cluster, IPv6 in an IPv6 single-stack or an IPv6-first one. Its both-family lists
// (status.podIPs, spec.podCIDRs, spec.clusterIPs, ...) hold every family, primary first. Whatever reads one family's
// address (a kernel table, a trace, the lab) reads it here, never from the primary field.
import { ipv4Only, ipv6Entry, type IpFamilyName } from '../ip/anyIp';
import type { RealizedClusterInfo, RealizedEndpoint, RealizedNode, RealizedPod, RealizedService } from './types';

/** The IPv4 entry of a both-family list; undefined when none. */
export const ipv4Entry = (list: readonly string[] | undefined): string | undefined =>
  list?.find((x) => !x.includes(':'));

/** A field's value in the family: the primary field when it holds that family, else the list's entry. */
export function inFamily(
  f: IpFamilyName,
  primary: string | null | undefined,
  list: readonly string[] | undefined,
): string | undefined {
  if (f === 'IPv6') return primary?.includes(':') ? primary : ipv6Entry(list);
  return ipv4Only(primary) ?? ipv4Entry(list);
}

type Pod = Pick<RealizedPod, 'ip' | 'ips'>;
type Node = Pick<RealizedNode, 'ip' | 'ips' | 'podCIDR' | 'podCIDRs' | 'gateway' | 'gateways'>;

export const podIp = (p: Pod, f: IpFamilyName): string | undefined => inFamily(f, p.ip, p.ips);
export const nodeIp = (n: Node, f: IpFamilyName): string | undefined => inFamily(f, n.ip, n.ips);
export const nodePodCidr = (n: Node, f: IpFamilyName): string | undefined => inFamily(f, n.podCIDR, n.podCIDRs);
/** cni0's address in the family (the bridge plugin's gateway for that range). */
export const nodeGateway = (n: Node, f: IpFamilyName): string | undefined => inFamily(f, n.gateway, n.gateways);
/** The Service's ClusterIP in the family (spec.clusterIPs holds one per family, primary first). */
export const clusterIp = (s: Pick<RealizedService, 'clusterIP' | 'clusterIPs'>, f: IpFamilyName): string | undefined =>
  inFamily(f, s.clusterIP, s.clusterIPs);

/** The cluster's pod range (kube-controller-manager --cluster-cidr) in the family. */
export const clusterPodCidr = (c: RealizedClusterInfo, f: IpFamilyName): string | undefined =>
  inFamily(f, c.podCIDR, c.podCIDRs);
/** The cluster's Service range (kube-apiserver --service-cluster-ip-range) in the family. */
export const clusterServiceCidr = (c: RealizedClusterInfo, f: IpFamilyName): string | undefined =>
  inFamily(f, c.serviceCIDR, c.serviceCIDRs);
/** The nodes' network (kind's Docker network) in the family. */
export const clusterNodeSubnet = (c: RealizedClusterInfo, f: IpFamilyName): string | undefined =>
  inFamily(f, c.nodeSubnet, c.nodeSubnets);

/** The cluster's primary family: its first pod range's (kind lists the primary family first). */
export const primaryFamily = (c: RealizedClusterInfo): IpFamilyName => (c.podCIDR.includes(':') ? 'IPv6' : 'IPv4');

/**
 * kube-controller-manager's node masks, primary family first (as podCIDRs): --node-cidr-mask-size(-ipv4) and, in a
 * dual-stack cluster, --node-cidr-mask-size-ipv6 (an IPv6 single-stack cluster has the one).
 */
export function nodeMaskSizes(c: RealizedClusterInfo): number[] {
  if (c.ipFamily !== 'dual' || c.nodeCIDRMaskSizeIPv6 === undefined) return [c.nodeCIDRMaskSize];
  const masks = [c.nodeCIDRMaskSize, c.nodeCIDRMaskSizeIPv6];
  return primaryFamily(c) === 'IPv6' ? masks.reverse() : masks;
}

/**
 * A Service's EndpointSlice endpoints of the family: `endpoints` holds its primary family's, `secondaryEndpoints`
 * its second family's; none when the family is not among its ipFamilies.
 */
export function endpointsIn(
  s: Pick<RealizedService, 'clusterIP' | 'ipFamilies' | 'endpoints' | 'secondaryEndpoints'>,
  f: IpFamilyName,
): RealizedEndpoint[] {
  const families = s.ipFamilies ?? [s.clusterIP?.includes(':') ? 'IPv6' : 'IPv4'];
  const at = families.indexOf(f);
  return at === 0 ? s.endpoints : at === 1 ? (s.secondaryEndpoints ?? []) : [];
}
