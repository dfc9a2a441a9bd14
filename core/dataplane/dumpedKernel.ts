// A node's kernel as its dumps describe it (`iptables-save`, `ip route`,
// `ip -o addr`): what `trace --tables` walks instead of the computed tables.
import type { Ipv4 } from '../ip/types';
import type { Dataplane } from './dataplane';
import { parseIpAddr, parseIpRoute } from './kernelDumps';
import { parseIptablesSave, type TablesError } from './iptablesParse';
import { isLoopback, type NodeKernel } from './nodeKernel';
import { RouteLookup } from './routes';

export interface NodeDumpTexts {
  iptablesSave: { text: string; document: string };
  ipRoute: { text: string; document: string };
  ipAddr: { text: string; document: string };
}

export type DumpedKernel = { ok: true; kernel: NodeKernel } | { ok: false; error: TablesError };

export function dumpedKernel(name: string, d: NodeDumpTexts): DumpedKernel {
  const tables = parseIptablesSave(d.iptablesSave.text, d.iptablesSave.document);
  if (!tables.ok) return { ok: false, error: tables.error };
  const routes = parseIpRoute(d.ipRoute.text, d.ipRoute.document);
  if (!routes.ok) return routes;
  const addrs = parseIpAddr(d.ipAddr.text, d.ipAddr.document);
  if (!addrs.ok) return addrs;
  const lookup = new RouteLookup(routes.value);
  const local = new Set<Ipv4>(addrs.value.map((a) => a.ip));
  return {
    ok: true,
    kernel: {
      name,
      table: (t) => tables.tables.get(t),
      route: (ip) => lookup.lookup(ip),
      isLocal: (ip) => isLoopback(ip) || local.has(ip),
      addressOn: (dev) => addrs.value.find((a) => a.dev === dev)?.ip,
    },
  };
}

/** The dataplane with some nodes' kernels replaced by their dumps. */
export function withKernels(dp: Dataplane, kernels: Map<string, NodeKernel>): Dataplane {
  return {
    ...dp,
    kernel: (name) => kernels.get(name) ?? dp.kernel(name),
    routeFor: (node, ip) => kernels.get(node.name)?.route(ip) ?? dp.routeFor(node, ip),
  };
}
