// A node's kernel state as its tools print it, and read back: `ip -o addr`
// (its inet lines; kernelDumps6.ts reads the inet6 ones) and `ip route show
// table main`. Reading names the document, the line and why for a line it cannot read.
import { formatIp, parseCidr, parseIp } from '../ip/cidr';
import type { Ipv4 } from '../ip/types';
import type { Device } from './devices';
import type { TablesError } from './iptablesParse';
import type { Route } from './routes';
import { renderInet6Line } from './kernelDumps6';

export interface DeviceAddress {
  dev: string;
  ip: Ipv4;
  prefix: number;
}

/**
 * `ip -o addr`: one line per address, as iproute2 prints it with -o: a device's inet lines, then its inet6 ones
 * (a dual-stack node's, kernelDumps6.ts nodeAddresses6); a device only IPv6 has (flannel-v6.1) comes last.
 */
export function renderIpAddr(devices: Device[], inet6: { dev: string; cidr: string }[] = []): string {
  const out: string[] = [];
  const v6Of = (dev: string, index: number) =>
    inet6.filter((a) => a.dev === dev).map((a) => renderInet6Line(index, dev, a.cidr));
  devices.forEach((d, i) => {
    // An IPv6 single-stack node's device addresses are IPv6: they are among the inet6 lines.
    for (const a of d.addresses.filter((x) => !x.includes(':'))) {
      const c = parseCidr(a.replace(/\/(\d+)$/, '/32'));
      const [ip, prefix] = a.split('/') as [string, string];
      const scope = d.kind === 'loopback' ? 'host' : 'global';
      const p = Number(prefix);
      const brd =
        d.kind !== 'loopback' && p < 31 && c.ok ? ` brd ${formatIp((c.value.base | (0xffffffff >>> p)) >>> 0)}` : '';
      out.push(
        `${i + 1}: ${d.name}    inet ${ip}/${prefix}${brd} scope ${scope} ${d.name}\\       valid_lft forever preferred_lft forever`,
      );
    }
    out.push(...v6Of(d.name, i + 1));
  });
  const more = [...new Set(inet6.map((a) => a.dev))].filter((dev) => !devices.some((d) => d.name === dev));
  more.forEach((dev, i) => out.push(...v6Of(dev, devices.length + i + 1)));
  return out.map((l) => `${l}\n`).join('');
}

type Read<T> = { ok: true; value: T } | { ok: false; error: TablesError };

export function parseIpAddr(text: string, document: string): Read<DeviceAddress[]> {
  const out: DeviceAddress[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+(inet6?)\s+(\S+)/.exec(line);
    if (!m)
      return {
        ok: false,
        error: { document, line: n + 1, message: 'not an `ip -o addr` line ("N: DEV inet A/P ...")' },
      };
    if (m[2] === 'inet6') continue; // kernelDumps6.ts parseIpAddr6 reads these
    const [ip, prefix] = m[3]!.split('/');
    const p = parseIp(ip ?? '');
    const len = Number(prefix);
    if (!p.ok || !Number.isInteger(len) || len < 0 || len > 32)
      return { ok: false, error: { document, line: n + 1, message: `"${m[3]}" is not an IPv4 address/prefix` } };
    out.push({ dev: m[1]!, ip: p.value, prefix: len });
  }
  return { ok: true, value: out };
}

/** Reads `ip route show table main` into routes (what renderRoute prints, and the fields iproute2 adds). */
export function parseIpRoute(text: string, document: string): Read<Route[]> {
  const out: Route[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    const fail = (message: string): Read<Route[]> => ({ ok: false, error: { document, line: n + 1, message } });
    const w = line.split(/\s+/);
    const dstText = w[0]!;
    let dst: Route['dst'] = null;
    if (dstText !== 'default') {
      const c = parseCidr(dstText.includes('/') ? dstText : `${dstText}/32`);
      if (!c.ok) return fail(`"${dstText}" is not a destination (default or an IPv4 prefix)`);
      dst = c.value;
    }
    const r: Partial<Route> & { dst: Route['dst'] } = { dst };
    for (let i = 1; i < w.length; i++) {
      const k = w[i]!;
      const v = w[i + 1];
      const ipv = () => {
        const p = parseIp(v ?? '');
        if (!p.ok) throw new Error(`${k} "${v ?? ''}" is not an IPv4 address`);
        i++;
        return p.value;
      };
      try {
        if (k === 'via') r.via = ipv();
        else if (k === 'src') r.src = ipv();
        else if ((k === 'dev' || k === 'proto' || k === 'scope' || k === 'metric') && v) {
          if (k === 'dev') r.dev = v;
          if (k === 'proto' && v === 'kernel') r.proto = 'kernel';
          if (k === 'scope' && v === 'link') r.scope = 'link';
          i++;
        } else if (k === 'onlink') r.onlink = true;
        else if (k !== 'linkdown') return fail(`"${k}" is not a route attribute this model reads`);
      } catch (e) {
        return fail((e as Error).message);
      }
    }
    if (!r.dev) return fail('the route names no device (dev)');
    const origin: Route['origin'] =
      r.proto === 'kernel' ? 'kernel' : r.dev === 'flannel.1' ? 'flannel' : dst === null ? 'dhcp' : 'host-gw';
    out.push({ ...r, dev: r.dev, origin } as Route);
  }
  return { ok: true, value: out };
}
