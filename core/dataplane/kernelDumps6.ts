// A dual-stack node's IPv6 kernel state as its tools print it, and read back: `ip -6 route` (the main table,
// routes6.ts renders it) and the inet6 lines of `ip -o addr`. Reading names the document, the line and why for
// a line it cannot read, as kernelDumps.ts does for IPv4.
import { nodeGateway, nodeIp, nodePodCidr } from '../api/familyFields';
import { parseCidr6, parseIp6 } from '../ip/cidr6';
import type { RealizedCluster, RealizedNode } from '../api/types';
import type { TablesError } from './iptablesParse';
import type { Route6 } from './routes6';

type Read<T> = { ok: true; value: T } | { ok: false; error: TablesError };

export interface DeviceAddress6 {
  dev: string;
  ip: bigint;
  prefix: number;
  /** scope link (fe80::/10): never picked as a packet's source towards another network. */
  link: boolean;
}

/**
 * A node's IPv6 addresses, device by device: ::1 on lo, its IPv6 InternalIP on eth0 (the node network's /64),
 * cni0's gateway in the IPv6 PodCIDR and, under VXLAN, flannel-v6.1's /128 (the PodCIDR's first address).
 * Link-local addresses are left out: the kernel draws them from random MACs.
 */
export function nodeAddresses6(c: RealizedCluster, node: RealizedNode): { dev: string; cidr: string }[] {
  const ip = nodeIp(node, 'IPv6');
  const own = nodePodCidr(node, 'IPv6');
  if (ip === undefined) return [];
  const out = [
    { dev: 'lo', cidr: '::1/128' },
    { dev: 'eth0', cidr: `${ip}/64` },
  ];
  const gw = nodeGateway(node, 'IPv6');
  if (gw !== undefined && own !== undefined) out.push({ dev: 'cni0', cidr: `${gw}/${own.split('/')[1]}` });
  if (c.cluster.cni === 'vxlan' && own !== undefined)
    out.push({ dev: 'flannel-v6.1', cidr: `${own.split('/')[0]}/128` });
  return out;
}

/** One `ip -o addr` inet6 line as iproute2 prints it: no label after the scope (IPv6 addresses have none). */
export function renderInet6Line(index: number, dev: string, cidr: string): string {
  const scope = cidr.startsWith('::1/') ? 'host' : cidr.toLowerCase().startsWith('fe80:') ? 'link' : 'global';
  return `${index}: ${dev}    inet6 ${cidr} scope ${scope} \\       valid_lft forever preferred_lft forever`;
}

/** The inet6 lines of `ip -o addr` (the inet lines and any other line are kernelDumps.ts's to read). */
export function parseIpAddr6(text: string, document: string): Read<DeviceAddress6[]> {
  const out: DeviceAddress6[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+inet6\s+(\S+)/.exec(lines[n]!.trim());
    if (!m) continue;
    const c = parseCidr6(m[2]!);
    const ip = parseIp6(m[2]!.split('/')[0] ?? '');
    if (!c.ok || !ip.ok)
      return { ok: false, error: { document, line: n + 1, message: `"${m[2]}" is not an IPv6 address/prefix` } };
    out.push({ dev: m[1]!, ip: ip.value, prefix: c.value.prefix, link: ip.value >> 118n === 0x3fan });
  }
  return { ok: true, value: out };
}

/** iproute2's route attributes that take a value this model does not need (the route is read without them). */
const IGNORED_WITH_VALUE = new Set(['pref', 'expires', 'table']);

/**
 * Reads `ip -6 route` (what renderRoute6 prints, and the attributes iproute2 adds) into routes. A route without
 * a metric gets 1024, as `ip -6 route add` gives it; a route's origin is told from its proto and device.
 */
export function parseIp6Route(text: string, document: string): Read<Route6[]> {
  const out: Route6[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    const fail = (message: string): Read<Route6[]> => ({ ok: false, error: { document, line: n + 1, message } });
    const w = line.split(/\s+/);
    const dstText = w[0]!;
    let dst: Route6['dst'] = null;
    if (dstText !== 'default') {
      const c = parseCidr6(dstText.includes('/') ? dstText : `${dstText}/128`);
      if (!c.ok) return fail(`"${dstText}" is not a destination (default or an IPv6 prefix)`);
      dst = c.value;
    }
    const r: { via?: bigint; dev?: string; proto?: 'kernel'; metric?: number; onlink?: true } = {};
    for (let i = 1; i < w.length; i++) {
      const k = w[i]!;
      const v = w[i + 1];
      if (k === 'onlink') r.onlink = true;
      else if (k === 'linkdown') continue;
      else if (v === undefined) return fail(`"${k}" needs a value`);
      else if (k === 'via') {
        const p = parseIp6(v);
        if (!p.ok) return fail(`via "${v}" is not an IPv6 address`);
        r.via = p.value;
        i++;
      } else if (k === 'metric') {
        if (!/^\d+$/.test(v)) return fail(`metric "${v}" is not a number`);
        r.metric = Number(v);
        i++;
      } else if (k === 'dev' || k === 'proto' || IGNORED_WITH_VALUE.has(k)) {
        if (k === 'dev') r.dev = v;
        if (k === 'proto' && v === 'kernel') r.proto = 'kernel';
        i++;
      } else return fail(`"${k}" is not a route attribute this model reads`);
    }
    if (!r.dev) return fail('the route names no device (dev)');
    const origin: Route6['origin'] =
      r.proto === 'kernel' ? 'kernel' : r.dev === 'flannel-v6.1' ? 'flannel' : dst === null ? 'dhcp' : 'host-gw';
    out.push({
      dst,
      ...(r.via !== undefined ? { via: r.via } : {}),
      dev: r.dev,
      ...(r.proto ? { proto: r.proto } : {}),
      metric: r.metric ?? 1024,
      ...(r.onlink ? { onlink: true } : {}),
      origin,
    });
  }
  return { ok: true, value: out };
}
