// What a traced packet's family picks beyond each object's address in it (core/api/familyFields.ts): the names the
// kernel gives each family's devices and errors.
import { familyOf, isIp6, parseAny, type IpAddr, type IpFamilyName } from '../ip/anyIp';
import { isLoopback } from '../dataplane/nodeKernel';

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
