// A node's network devices, and flannel's VXLAN forwarding entries, as
// `ip neigh` and `bridge fdb` print them (flannel pkg/backend/vxlan: one ARP
// entry and one FDB entry per remote node).
import { fnv32a } from '../api/names';
import type { RealizedCluster, RealizedNode } from '../api/types';
import { formatIp } from '../ip/cidr';
import { hasBridge, type Route } from './routes';

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

export function nodeDevices(c: RealizedCluster, node: RealizedNode): Device[] {
  const netPrefix = c.cluster.nodeSubnet.split('/')[1];
  const devs: Device[] = [
    { name: 'lo', kind: 'loopback', addresses: ['127.0.0.1/8'], mtu: 65536 },
    { name: 'eth0', kind: 'ethernet', addresses: [`${node.ip}/${netPrefix}`], mtu: 1500 },
  ];
  const vxlan = c.cluster.cni === 'vxlan' && node.podCIDR !== null;
  // flannel sets the pod MTU to leave room for the 50-byte VXLAN header.
  const podMtu = vxlan ? 1450 : 1500;
  if (hasBridge(node))
    devs.push({
      name: 'cni0',
      kind: 'bridge',
      addresses: [`${node.gateway}/${node.podCIDR!.split('/')[1]}`],
      mtu: podMtu,
    });
  if (vxlan) {
    devs.push({
      name: 'flannel.1',
      kind: 'vxlan',
      addresses: [`${node.podCIDR!.split('/')[0]}/32`],
      mtu: 1450,
      master: 'eth0',
      mac: vtepMac(node.name),
      vxlan: { id: 1, port: 8472, local: node.ip },
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

/** `ip neigh show dev flannel.1`: each remote node's flannel.1 address -> its VTEP MAC. */
export function renderVxlanNeighbors(c: RealizedCluster, node: RealizedNode): string {
  return c.nodes
    .filter((n) => n !== node && n.podCIDR !== null)
    .map((n) => `${n.podCIDR!.split('/')[0]} lladdr ${vtepMac(n.name)} PERMANENT \n`)
    .join('');
}

/** `bridge fdb show dev flannel.1`: each remote VTEP MAC -> the remote node's IP. */
export function renderVxlanFdb(c: RealizedCluster, node: RealizedNode): string {
  return c.nodes
    .filter((n) => n !== node && n.podCIDR !== null)
    .map((n) => `${vtepMac(n.name)} dst ${n.ip} self permanent\n`)
    .join('');
}

/** The address a node holds on one of its devices: cni0 the gateway, flannel.1 its PodCIDR's network address, else eth0's. */
export function deviceAddress(node: RealizedNode, dev: string): string {
  if (dev === 'cni0' && node.gateway) return node.gateway;
  if (dev === 'flannel.1' && node.podCIDR) return node.podCIDR.split('/')[0]!;
  return node.ip;
}

/** The source address the node's kernel picks towards a route: the route's preferred src, else the outgoing device's address. */
export function sourceAddressFor(node: RealizedNode, route: Route): string {
  return route.src !== undefined ? formatIp(route.src) : deviceAddress(node, route.dev);
}

/** Is `ip` one of the node's own addresses (eth0, cni0, and flannel.1 under VXLAN)? What `--dst-type LOCAL` matches. */
export function isNodeAddress(c: RealizedCluster, node: RealizedNode, ip: string): boolean {
  return (
    ip === node.ip ||
    ip === node.gateway ||
    (c.cluster.cni === 'vxlan' && node.podCIDR !== null && ip === node.podCIDR.split('/')[0])
  );
}
