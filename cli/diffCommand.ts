// `k8snet diff BEFORE AFTER`: what applying AFTER to the live cluster BEFORE made does, object by object
// and line by line in each node's kernel.
import { realize } from '../core/cluster/realize';
import { liveStateOf } from '../core/cluster/liveState';
import { clusterChanges, type ClusterChanges, type NodeRef, type PodRef } from '../core/cluster/liveDiff';
import { rolloutsOf, rolloutText, STEP_ASSUMPTION, type RolloutReport } from '../core/cluster/rolloutReport';
import { buildDataplane } from '../core/dataplane/dataplane';
import { kernelChanges, type NodeKernelChanges } from '../core/dataplane/kernelChanges';
import { groupKernelChanges, kernelGroupHeading } from '../core/dataplane/kernelChangeGroups';
import { loadScenario, parse, printJson, usageError } from './args';
import { historyFiles, liveHistory, LIVE_OPTIONS } from './live';

export const DIFF_HELP = `Usage: k8snet diff BEFORE AFTER [--from FILE ...] [--node NAME ...] [--json]

What applying AFTER to the live cluster BEFORE made does, as a running
cluster would do it: running pods keep their node and IP, so only what the
change touches is listed. Nodes added and removed with their PodCIDRs; pods
added, removed and replaced (a rolling update, a node gone) with node and IP;
the endpoints each Service gained and lost; per node the \`ip route\` lines
and kube-proxy rules added and removed (nodes with the same changes together;
in a dual-stack cluster ip6tables-save's lines too, each after -6, or in
nftables mode table ip6 kube-proxy's, each after [ip6]);
and each rolling update a changed pod template set off, step by step, as its
controller runs it (maxSurge / maxUnavailable, highest ordinal first, node by
node), each step once the pods the last one created are Ready.
  --from FILE    BEFORE itself applied to the cluster FILE made (repeat: oldest first)
  --node NAME    compare only these nodes' kernels (repeatable)

  k8snet diff before.yaml after.yaml
  k8snet diff scaled.yaml image-changed.yaml --from before.yaml --json`;

export interface DiffReport extends ClusterChanges {
  kernels: NodeKernelChanges[];
  /** The rolling updates the change set off, step by step (a changed pod template). */
  rollouts: RolloutReport[];
}

export function diffReport(beforeFile: string, afterFile: string, history: string[], nodes?: string[]): DiffReport {
  const before = realize(loadScenario(beforeFile), liveHistory(history));
  const after = realize(loadScenario(afterFile), liveStateOf(before));
  const only = nodes && nodes.length > 0 ? new Set(nodes) : undefined;
  return {
    ...clusterChanges(before, after),
    kernels: kernelChanges(buildDataplane(before), buildDataplane(after), only),
    rollouts: rolloutsOf(after),
  };
}

const pod = (p: PodRef) =>
  `${p.namespace}/${p.name} on ${p.node ?? '(no node: Pending)'} ${p.ips?.length ? p.ips.join(' ') : (p.ip ?? 'no IP')}`;
const podCIDRs = (n: NodeRef) =>
  n.podCIDRs && n.podCIDRs.length > 1 ? `PodCIDRs ${n.podCIDRs.join(' ')}` : `PodCIDR ${n.podCIDR ?? 'none'}`;

function kernelText(kernels: NodeKernelChanges[]): string[] {
  // Nodes whose kernels changed alike are listed together: a new Service changes every node the same way.
  const out: string[] = [];
  for (const g of groupKernelChanges(kernels)) {
    out.push(kernelGroupHeading(g));
    for (const l of g.routes.added) out.push(`  + ${l}`);
    for (const l of g.routes.removed) out.push(`  - ${l}`);
    if (g.rules.added.length + g.rules.removed.length > 0) out.push('  kube-proxy:');
    for (const l of g.rules.added) out.push(`  + ${l}`);
    for (const l of g.rules.removed) out.push(`  - ${l}`);
  }
  return out;
}

export function diffText(d: DiffReport): string {
  const out: string[] = [];
  const section = (title: string, rows: string[]) => {
    out.push(`${title} (${rows.length})`, ...rows.map((r) => `  ${r}`), '');
  };
  section(
    'Nodes added',
    d.nodes.added.map((n) => `${n.name} ${n.ip} ${podCIDRs(n)}`),
  );
  section(
    'Nodes removed',
    d.nodes.removed.map((n) => `${n.name} ${n.ip} ${podCIDRs(n)} (released)`),
  );
  section('Pods added', d.pods.added.map(pod));
  section(
    'Pods removed',
    d.pods.removed.map((p) => `${pod(p)} (terminating; its IP is released)`),
  );
  section(
    'Pods replaced',
    d.pods.replaced.map((r) => `${pod(r.old)} -> ${pod(r.new)}: ${r.why}`),
  );
  const svc = [
    ...d.services.added.map((s) => `${s} added`),
    ...d.services.removed.map((s) => `${s} removed`),
    ...d.services.clusterIPChanged.map((c) => `${c.service}: ClusterIP ${c.from} -> ${c.to}`),
  ];
  if (svc.length > 0) section('Services', svc);
  section(
    'Service endpoints',
    d.endpoints.map(
      (e) =>
        `${e.service}: gained ${e.gained.length}${e.gained.length ? ` (${e.gained.join(', ')})` : ''}, lost ${e.lost.length}${e.lost.length ? ` (${e.lost.join(', ')})` : ''}`,
    ),
  );
  out.push(`Node kernels changed (${d.kernels.length})`, ...kernelText(d.kernels).map((l) => `  ${l}`));
  if (d.rollouts.length > 0) {
    out.push('', `Rollouts (${d.rollouts.length})`, `  ${STEP_ASSUMPTION}.`);
    for (const r of d.rollouts) out.push(...rolloutText(r).map((l) => `  ${l}`));
  }
  return out.join('\n');
}

export function diffCommand(argv: string[]): void {
  const { values, positionals } = parse(
    argv,
    { json: { type: 'boolean' }, node: { type: 'string', multiple: true }, ...LIVE_OPTIONS },
    2,
  );
  if (values.help) return void console.log(DIFF_HELP);
  if (positionals.length !== 2) throw usageError('diff needs two scenario files: BEFORE AFTER');
  const d = diffReport(positionals[0]!, positionals[1]!, historyFiles(values), values.node);
  if (values.json) return printJson(d);
  console.log(diffText(d));
}
