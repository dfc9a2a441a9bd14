// `k8snet trace --from REF --to REF`: a packet's path, hop by hop, like a lab notebook.
import { buildDataplane } from '../core/dataplane/dataplane';
import { realize } from '../core/cluster/realize';
import { trace } from '../core/trace/trace';
import { traceJson, type Hop, type TraceLeg } from '../core/trace/types';
import { loadScenario, parse, printJson, usageError, userError } from './args';

export const TRACE_HELP = `Usage: k8snet trace [scenario-file] --from REF --to REF [--port N] [--protocol tcp|udp] [--json]

Trace a packet hop by hop: out of the pod, across cni0, through kube-proxy's
NAT, the node's routes, the underlay or the VXLAN overlay, to its
destination; then the reply, un-NATed by conntrack.

REF is pod/NAMESPACE/NAME, node/NAME, svc/NAMESPACE/NAME, an IP, IP:PORT,
a Service DNS name (web.default.svc.cluster.local) or "external".

  k8snet trace --from pod/default/web-xxx --to web.default.svc.cluster.local
  k8snet trace --from external --to 10.10.1.1:30080`;

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

const legText = (title: string, l: TraceLeg) =>
  [`${title}`, ...l.hops.map(hopText), `  => ${l.verdict.toUpperCase()}: ${l.reason}`].join('\n');

export function traceCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    from: { type: 'string' },
    to: { type: 'string' },
    port: { type: 'string' },
    protocol: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return void console.log(TRACE_HELP);
  if (!values.from || !values.to) throw usageError('trace needs --from REF and --to REF');
  const port = values.port !== undefined ? Number(values.port) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw userError(`--port: "${values.port}" must be between 1 and 65535, inclusive`);
  const proto = values.protocol?.toUpperCase();
  if (proto !== undefined && proto !== 'TCP' && proto !== 'UDP')
    throw usageError(`--protocol must be tcp or udp, not "${values.protocol}"`);
  const dp = buildDataplane(realize(loadScenario(positionals[0])));
  const out = trace(dp, {
    from: values.from,
    to: values.to,
    ...(port !== undefined ? { port } : {}),
    ...(proto ? { protocol: proto as 'TCP' | 'UDP' } : {}),
  });
  if (!out.ok) throw userError(out.message);
  const r = out.result;
  if (values.json) return printJson(traceJson(r));
  const parts: string[] = [];
  if (r.dns)
    parts.push(
      legText(
        `DNS: ${r.dns.name} → ${r.dns.answer.join(', ')} (asked kube-dns at ${dp.cluster.cluster.dnsIP}:53/UDP)`,
        r.dns.query,
      ),
      '',
    );
  parts.push(legText(`${values.from} → ${values.to} (${r.protocol})`, r));
  if (r.reply) parts.push('', legText('Reply', r.reply));
  if (r.conntrack.length) parts.push('', 'conntrack -L:', ...r.conntrack.map((c) => `  ${c}`));
  console.log(parts.join('\n'));
}
