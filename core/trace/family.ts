// What a traced packet's family picks: each object's address in that family (IPv4 the primary fields, unless they
// hold IPv6 as in an IPv6 single-stack cluster; IPv6 the IPv6 entry of podIPs / podCIDRs / InternalIPs /
// clusterIPs), and the names the kernel gives each family's devices and errors.
import { familyOf, ipv4Only, ipv6Entry, isIp6, parseAny, type IpAddr, type IpFamilyName } from '../ip/anyIp';
import { isLoopback } from '../dataplane/nodeKernel';
import type { RealizedNode, RealizedPod, RealizedService } from '../api/types';

export const podAddress = (pod: RealizedPod, f: IpFamilyName): string | undefined =>
  f === 'IPv6' ? ipv6Entry(pod.ips) : ipv4Only(pod.ip);

export const nodeAddress = (node: RealizedNode, f: IpFamilyName): string | undefined =>
  f === 'IPv6' ? ipv6Entry(node.ips) : ipv4Only(node.ip);

export const nodePodCidr = (node: RealizedNode, f: IpFamilyName): string | undefined =>
  f === 'IPv6' ? ipv6Entry(node.podCIDRs) : ipv4Only(node.podCIDR);

/** cni0's address in the family (the bridge plugin's gateway for that range). */
export const nodeGateway = (node: RealizedNode, f: IpFamilyName): string | undefined =>
  f === 'IPv6' ? ipv6Entry(node.gateways) : ipv4Only(node.gateway);

/** The Service's ClusterIP in the family (spec.clusterIPs holds one per family, primary first). */
export const clusterIpIn = (svc: RealizedService, f: IpFamilyName): string | undefined =>
  f === 'IPv4' ? ipv4Only(svc.clusterIP) : ipv6Entry(svc.clusterIPs);

/** flannel's VXLAN device per family (pkg/backend/vxlan: flannel.<VNI>, flannel-v6.<VNI>). */
export const vxlanDevice = (f: IpFamilyName): string => (f === 'IPv6' ? 'flannel-v6.1' : 'flannel.1');
export const isVxlanDevice = (dev: string): boolean => dev === 'flannel.1' || dev === 'flannel-v6.1';

/** What the kernel answers an unreachable port with: ICMP, or ICMPv6 for an IPv6 packet. */
export const icmpName = (ip: IpAddr): string => (familyOf(ip) === 'IPv6' ? 'ICMPv6' : 'ICMP');

/** An address of the family, parsed; undefined when absent or unparsable. */
export function addrOf(text: string | undefined): IpAddr | undefined {
  if (text === undefined) return undefined;
  const p = parseAny(text);
  return p.ok ? p.value : undefined;
}

/** 127.0.0.0/8, or ::1: the loopback addresses, which stay on lo. */
export const isLoopbackAny = (ip: IpAddr): boolean => (isIp6(ip) ? ip === 1n : isLoopback(ip));
