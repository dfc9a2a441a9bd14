// `k8snet trace --from REF --to REF`: a packet's path, hop by hop, like a lab notebook.
import { buildDataplane, type Dataplane } from '../core/dataplane/dataplane';
import { dumpedKernel, withKernels } from '../core/dataplane/dumpedKernel';
import type { NodeKernel } from '../core/dataplane/nodeKernel';
import { trace } from '../core/trace/trace';
import { requestFamily } from '../core/trace/traceFamily';
import { traceJson, type Hop, type TraceLeg } from '../core/trace/types';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, printJson, usageError, userError } from './args';
import { historyFiles, LIVE_OPTIONS, realizeLive } from './live';
import { askedFamily, FAMILY_OPTIONS } from './familyFlags';
import { formatHostPort, parseAny } from '../core/ip/anyIp';

export const TRACE_HELP = `Usage: k8snet trace [scenario-file] --from REF --to REF [--port N] [--protocol tcp|udp] [-4|-6] [--json]

Trace a packet hop by hop: out of the pod, across cni0, through kube-proxy's
NAT, the node's routes, the underlay or the VXLAN overlay, to its
destination; then the reply, un-NATed by conntrack.

With --tables DIR (written by \`k8snet tables --out DIR\`, then edited as you
like), every node with a directory DIR/NAME is traced through its files
(iptables-save, ip-route, ip-addr, nft-policy, and nft-ruleset in nftables mode)
instead of the computed tables. An IPv6 trace (-6) in a dual-stack cluster
reads ip6tables-save, ip6-route (\`ip -6 route\`), ip-addr's inet6 lines and,
in nftables mode, nft-ruleset's \`table ip6 kube-proxy\` too.

REF is pod/NAMESPACE/NAME, node/NAME, svc/NAMESPACE/NAME, an IP, IP:PORT,
[IPv6]:PORT, a Service DNS name (web.default.svc.cluster.local) or "external".

With -6 (--ipv6) in a dual-stack cluster the packet is IPv6: each ref stands
for its IPv6 address (the pod's IPv6 podIP, the node's IPv6 InternalIP, the
Service's IPv6 ClusterIP; a name is looked up as AAAA) and the walk follows
\`ip -6 route\`; with -4 (--ipv4) it is IPv4. An address literal in --to or
--from picks its family without a flag; otherwise the trace is in the cluster's
primary family (the one kind lists first: IPv6 in an IPv6-first dual-stack
cluster). In an IPv6 single-stack cluster (ipFamily: ipv6) every trace is IPv6.

  k8snet trace --from pod/default/web-xxx --to web.default.svc.cluster.local
  k8snet trace --from external --to 10.10.1.1:30080
  k8snet trace dual.yaml -6 --from pod/default/web-xxx --to pod/default/web-yyy`;

/**
 * Reads DIR/NAME/{iptables-save,ip-route,ip-addr,nft-policy} (and nft-ruleset in nftables mode) for every node
 * directory in DIR; ip6tables-save and ip6-route when present, and required for an IPv6 trace (ipv6).
 */
function readDumps(dp: Dataplane, dir: string, ipv6: boolean): Map<string, NodeKernel> {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw userError(`--tables: ${dir} is not a directory`);
    entries = readdirSync(dir).sort();
  } catch (e) {
    if (e instanceof Error && 'exitCode' in e) throw e;
    throw userError(`--tables: cannot read ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const kernels = new Map<string, NodeKernel>();
  for (const name of entries) {
    if (!statSync(join(dir, name)).isDirectory()) continue;
    if (!dp.nodeByName(name))
      throw userError(
        `--tables: ${join(dir, name)}: no node "${name}" in the scenario (nodes: ${dp.cluster.nodes.map((n) => n.name).join(', ')})`,
      );
    const file = (f: string, why = '') => {
      const path = join(dir, name, f);
      if (!existsSync(path)) throw userError(`--tables: ${path}: missing${why} (k8snet tables writes it)`);
      return { text: readFileSync(path, 'utf8'), document: path };
    };
    const nftMode = dp.cluster.cluster.kubeProxyMode === 'nftables';
    const nftPath = join(dir, name, 'nft-ruleset');
    if (!nftMode && existsSync(nftPath))
      throw userError(
        `--tables: ${nftPath}: the scenario's kubeProxyMode is ${dp.cluster.cluster.kubeProxyMode}, so kube-proxy writes no nft table and the trace would ignore it (remove it, or set kubeProxyMode: nftables)`,
      );
    const sixFile = (f: string, command: string) =>
      ipv6 || existsSync(join(dir, name, f)) ? file(f, `; an IPv6 trace walks the node's ${command}`) : undefined;
    const ip6tablesSave = sixFile('ip6tables-save', '`ip6tables-save`');
    const ip6Route = sixFile('ip6-route', 'IPv6 routes (`ip -6 route`)');
    const k = dumpedKernel(name, {
      iptablesSave: file('iptables-save'),
      ...(ip6tablesSave ? { ip6tablesSave } : {}),
      ipRoute: file('ip-route'),
      ...(ip6Route ? { ip6Route } : {}),
      ipAddr: file('ip-addr'),
      nftPolicy: file('nft-policy'),
      ...(nftMode
        ? { nftRuleset: file('nft-ruleset', "; the scenario is in nftables mode, so kube-proxy's rules are there") }
        : {}),
    });
    if (!k.ok) throw userError(`${k.error.document}:${k.error.line}: ${k.error.message}`);
    if (ipv6 && nftMode && !k.kernel.nft6?.())
      throw userError(
        `--tables: ${nftPath}: holds no \`table ip6 kube-proxy\`; an IPv6 trace in nftables mode walks it (k8snet tables writes it)`,
      );
    kernels.set(name, k.kernel);
  }
  if (kernels.size === 0)
    throw userError(`--tables: ${dir} holds no node directory (k8snet tables --out ${dir} writes them)`);
  return kernels;
}

function hopText(h: Hop): string {
  const change =
    h.src !== h.srcAfter || h.dst !== h.dstAfter
      ? `  ${h.src} → ${h.dst}  ⇒  ${h.srcAfter} → ${h.dstAfter}`
      : `  ${h.src} → ${h.dst}`;
  const lines = [
    `${String(h.step).padStart(2)}. [${h.node} · ${h.namespace} · ${h.device}] ${h.action.toUpperCase()}${change}`,
    `    ${h.explain}`,
  ];
  if (h.outer) lines.push(`    outer header: ${h.outer.src} → ${h.outer.dst} ${h.outer.proto}`);
  if (h.rule) for (const r of h.rule.split('\n')) lines.push(`      ${r}`);
  return lines.join('\n');
}

/** kube-dns's ClusterIP as an address (it is one: realize formats it). */
const dnsAddr = (text: string) => {
  const p = parseAny(text);
  if (!p.ok) throw new Error(`cluster DNS ${text}: ${p.message}`);
  return p.value;
};

const legText = (title: string, l: TraceLeg) =>
  [`${title}`, ...l.hops.map(hopText), `  => ${l.verdict.toUpperCase()}: ${l.reason}`].join('\n');

export function traceCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    from: { type: 'string' },
    to: { type: 'string' },
    port: { type: 'string' },
    protocol: { type: 'string' },
    json: { type: 'boolean' },
    tables: { type: 'string' },
    ...FAMILY_OPTIONS,
    history: LIVE_OPTIONS.history,
  });
  if (values.help) return void console.log(TRACE_HELP);
  if (!values.from || !values.to) throw usageError('trace needs --from REF and --to REF');
  const port = values.port !== undefined ? Number(values.port) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw userError(`--port: "${values.port}" must be between 1 and 65535, inclusive`);
  const proto = values.protocol?.toUpperCase();
  if (proto !== undefined && proto !== 'TCP' && proto !== 'UDP')
    throw usageError(`--protocol must be tcp or udp, not "${values.protocol}"`);
  const family = askedFamily(values);
  const computed = buildDataplane(realizeLive(positionals[0], historyFiles(values, false)));
  // The family core walks (asked, else the refs', else the primary one): an IPv6 trace over the dumps needs each
  // node's IPv6 side (requestFamily refuses IPv6 in a single-stack cluster, and trace says why).
  const walked = requestFamily(computed, { from: values.from, to: values.to, ...(family ? { family } : {}) });
  const ipv6 = walked.ok && walked.family === 'IPv6';
  const dp = values.tables !== undefined ? withKernels(computed, readDumps(computed, values.tables, ipv6)) : computed;
  const out = trace(dp, {
    from: values.from,
    to: values.to,
    ...(port !== undefined ? { port } : {}),
    ...(proto ? { protocol: proto as 'TCP' | 'UDP' } : {}),
    ...(family ? { family } : {}),
  });
  if (!out.ok) throw userError(out.message);
  const r = out.result;
  if (values.json) return printJson(traceJson(r));
  const parts: string[] = [];
  if (r.dns)
    parts.push(
      legText(
        r.dns.query.hops[0]
          ? `DNS: ${r.dns.name} → ${r.dns.answer.join(', ')} (${r.dns.answer.some((ip) => ip.includes(':')) ? 'AAAA, ' : ''}asked kube-dns at ${formatHostPort(dnsAddr(dp.cluster.cluster.dnsIP), 53)}/UDP)`
          : `DNS: ${r.dns.name} → no answer`,
        r.dns.query,
      ),
      '',
    );
  parts.push(legText(`${values.from} → ${values.to} (${r.protocol})`, r));
  if (r.reply) parts.push('', legText('Reply', r.reply));
  if (r.conntrack.length) parts.push('', 'conntrack -L:', ...r.conntrack.map((c) => `  ${c}`));
  console.log(parts.join('\n'));
}
