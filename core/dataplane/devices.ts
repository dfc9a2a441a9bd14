// A node's network devices, and flannel's VXLAN forwarding entries, as
// `ip neigh` and `bridge fdb` print them (flannel pkg/backend/vxlan: one ARP
// entry and one FDB entry per remote node).
import { fnv32a } from '../api/names';
import { clusterNodeSubnet, nodeGateway, nodeIp, nodePodCidr, podIp } from '../api/familyFields';
import type { RealizedCluster, RealizedNode } from '../api/types';
import { formatIp } from '../ip/cidr';
import { formatIp6, parseCidr6 } from '../ip/cidr6';
import { deviceFamily, hasBridge } from './routes';

export interface Device {
  name: string;
  kind: 'loopback' | 'ethernet' | 'bridge' | 'veth' | 'vxlan';
  /** "ip/prefix" addresses. */
  addresses: string[];
  mtu: number;
  /** For veth: the bridge it is attached to; for vxlan: the underlay device. */
  master?: string;
  /** For veth: the pod whose eth0 is the other end ("NS/NAME"). */
  peer?: string;
  mac?: string;
  vxlan?: { id: number; port: number; local: string };
}

/** A stable, locally administered unicast MAC for a node's flannel.1 (flannel picks one at random). */
export function vtepMac(node: string): string {
  const h = fnv32a(`vtep:${node}`);
  const g = fnv32a(`vtep2:${node}`);
  const bytes = [0x6e, (g >>> 8) & 255, (h >>> 24) & 255, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function vethName(namespace: string, name: string): string {
  return `veth${fnv32a(`${namespace}/${name}`).toString(16).padStart(8, '0')}`;
}

/** A node's devices with their addresses in deviceFamily (IPv4, or IPv6 in an IPv6 single-stack cluster). */
export function nodeDevices(c: RealizedCluster, node: RealizedNode): Device[] {
  const f = deviceFamily(c);
  const netPrefix = clusterNodeSubnet(c.cluster, f)!.split('/')[1];
  const ip = nodeIp(node, f)!;
  const podCidr = nodePodCidr(node, f);
  const devs: Device[] = [
    { name: 'lo', kind: 'loopback', addresses: ['127.0.0.1/8'], mtu: 65536 },
    { name: 'eth0', kind: 'ethernet', addresses: [`${ip}/${netPrefix}`], mtu: 1500 },
  ];
  const vxlan = c.cluster.cni === 'vxlan' && podCidr !== undefined;
  // flannel sets the pod MTU to leave room for the 50-byte VXLAN header.
  const podMtu = vxlan ? 1450 : 1500;
  if (hasBridge(node))
    devs.push({
      name: 'cni0',
      kind: 'bridge',
      addresses: [`${nodeGateway(node, f)}/${podCidr!.split('/')[1]}`],
      mtu: podMtu,
    });
  if (vxlan) {
    // flannel names an IPv6-only VXLAN device flannel-v6.<VNI> and gives it the PodCIDR's base as a /128.
    const six = f === 'IPv6';
    devs.push({
      name: six ? 'flannel-v6.1' : 'flannel.1',
      kind: 'vxlan',
      addresses: [`${podCidr!.split('/')[0]}/${six ? 128 : 32}`],
      mtu: 1450,
      master: 'eth0',
      mac: vtepMac(node.name),
      vxlan: { id: 1, port: 8472, local: ip },
    });
  }
  for (const p of node.pods) {
    if (p.hostNetwork || p.ip === null) continue;
    devs.push({
      name: vethName(p.namespace, p.name),
      kind: 'veth',
      addresses: [],
      mtu: podMtu,
      master: 'cni0',
      peer: `${p.namespace}/${p.name}`,
    });
  }
  return devs;
}

/** `ip neigh show dev flannel.1`: each remote node's flannel.1 address -> its VTEP MAC (deviceFamily's). */
export function renderVxlanNeighbors(c: RealizedCluster, node: RealizedNode): string {
  const f = deviceFamily(c);
  return c.nodes
    .flatMap((n) => {
      const own = n === node ? undefined : nodePodCidr(n, f);
      return own === undefined ? [] : [`${own.split('/')[0]} lladdr ${vtepMac(n.name)} PERMANENT \n`];
    })
    .join('');
}

/** `bridge fdb show dev flannel.1`: each remote VTEP MAC -> the remote node's IP (deviceFamily's). */
export function renderVxlanFdb(c: RealizedCluster, node: RealizedNode): string {
  const f = deviceFamily(c);
  return c.nodes
    .filter((n) => n !== node && nodePodCidr(n, f) !== undefined)
    .map((n) => `${vtepMac(n.name)} dst ${nodeIp(n, f)} self permanent\n`)
    .join('');
}

/**
 * The IPv4 address a node holds on one of its devices: cni0 the gateway, flannel.1 its PodCIDR's network address,
 * else eth0's; undefined for a node without IPv4 (an IPv6 single-stack cluster's).
 */
export function deviceAddress(node: RealizedNode, dev: string): string | undefined {
  const gw = dev === 'cni0' ? nodeGateway(node, 'IPv4') : undefined;
  if (gw) return gw;
  const own = dev === 'flannel.1' ? nodePodCidr(node, 'IPv4') : undefined;
  if (own) return own.split('/')[0]!;
  return nodeIp(node, 'IPv4');
}

/** The IPv6 address a node holds on a device: cni0 its IPv6 range's gateway, flannel-v6.1 its IPv6 PodCIDR's first address (a /128), else eth0's. */
export function deviceAddress6(node: RealizedNode, dev: string): string | undefined {
  if (dev === 'lo') return '::1';
  const gw = dev === 'cni0' ? nodeGateway(node, 'IPv6') : undefined;
  if (gw) return gw;
  const own = dev === 'flannel-v6.1' ? nodePodCidr(node, 'IPv6') : undefined;
  if (own) return own.split('/')[0]!;
  return nodeIp(node, 'IPv6');
}

/**
 * The source address the node's kernel picks towards a route: an IPv4 route's preferred src, else the outgoing
 * device's address; for IPv6 the outgoing device's global address (RFC 6724 rule 5, prefer the outgoing interface).
 */
export function sourceAddressFor(node: RealizedNode, route: { dev: string; src?: number; metric?: number }): string {
  // Only IPv6 routes carry a metric (core/dataplane/anyRoute.ts isRoute6).
  if (route.metric !== undefined) return deviceAddress6(node, route.dev) ?? '::';
  return route.src !== undefined ? formatIp(route.src) : (deviceAddress(node, route.dev) ?? '0.0.0.0');
}

/** Is `ip` one of the node's own addresses (eth0, cni0, and flannel.1 / flannel-v6.1 under VXLAN)? What `--dst-type LOCAL` matches. */
export function isNodeAddress(c: RealizedCluster, node: RealizedNode, ip: string): boolean {
  const f = ip.includes(':') ? 'IPv6' : 'IPv4';
  if (ip === nodeIp(node, f) || ip === nodeGateway(node, f)) return true;
  // flannel's VXLAN device holds its PodCIDR's first address (flannel.1 a /32, flannel-v6.1 a /128).
  const own = c.cluster.cni === 'vxlan' ? nodePodCidr(node, f) : undefined;
  return own !== undefined && ip === own.split('/')[0];
}

/** A stable, locally administered unicast MAC standing in for one the kernel draws at random (a veth end's). */
function stableMac(seed: string): string {
  const h = fnv32a(seed);
  const g = fnv32a(`${seed}#`);
  const bytes = [0x0a, (g >>> 8) & 255, (h >>> 24) & 255, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** A dual-stack pod's IPv6 link: eth0's host-local address and link-local one, and the host end of its veth. */
export interface PodLink6 {
  pod: string;
  eth0: { mac: string; addresses: string[] };
  veth: { name: string; mac: string; addresses: string[] };
}

/**
 * Each pod's IPv6 addresses as `ip -6 addr` shows them: in the pod, eth0 holds its IPv6 podIP with the range's
 * prefix (host-local) and a link-local fe80::/64 address; on the node, the veth's host end holds only a
 * link-local one (the bridge plugin gives it no address). The kernel derives each link-local address from the
 * link's MAC (EUI-64), and veth MACs are random: the MACs here are stable stand-ins.
 */
export function podLinks6(node: RealizedNode): PodLink6[] {
  const prefix = nodePodCidr(node, 'IPv6')?.split('/')[1];
  const out: PodLink6[] = [];
  for (const p of node.pods) {
    const ip6 = podIp(p, 'IPv6');
    if (p.hostNetwork || p.ip === null || ip6 === undefined || prefix === undefined) continue;
    const veth = vethName(p.namespace, p.name);
    const mac = stableMac(`eth0:${p.namespace}/${p.name}`);
    const hostMac = stableMac(`${veth}:${p.namespace}/${p.name}`);
    out.push({
      pod: `${p.namespace}/${p.name}`,
      eth0: { mac, addresses: [`${ip6}/${prefix}`, `${linkLocalOf(mac)}/64`] },
      veth: { name: veth, mac: hostMac, addresses: [`${linkLocalOf(hostMac)}/64`] },
    });
  }
  return out;
}

/** The link-local address the kernel derives from a MAC (addr_gen_mode eui64, RFC 4291 appendix A): fe80::/64 + EUI-64. */
export function linkLocalOf(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const eui = [b[0]! ^ 0x02, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  let id = 0n;
  for (const x of eui) id = (id << 8n) | BigInt(x);
  return formatIp6((parseCidr6('fe80::/64') as { ok: true; value: { base: bigint } }).value.base | id);
}
