// `k8snet plan [file]`: capacity, and what breaks first.
import { formatCount } from '../core/ip/explain';
import { plan, type Plan } from '../core/plan/plan';
import { buildDataplane } from '../core/dataplane/dataplane';
import { checkThreeRules } from '../core/trace/threeRules';
import { loadScenario, parse, printJson, table } from './args';
import { historyFiles, LIVE_OPTIONS, realizeLive } from './live';

export const PLAN_HELP = `Usage: k8snet plan [scenario-file] [--json]

Capacity of the scenario's ranges: addresses in the PodCIDR, how many nodes
it can hold at the node mask, pods per node (PodCIDR vs kubelet's max-pods),
Service ClusterIPs and NodePorts left, and what breaks first and why; then
the three rules of the network model (pod to pod and node to pod without NAT,
a pod sees itself at its own IP), each checked by tracing packets; then every
warning (the same list realize prints).`;

/** The ranges' sizes: IPv4 (and a dual-stack cluster's IPv6 half), or an IPv6 single-stack cluster's exact counts. */
function headline(p: Plan): string[] {
  const pods = `pods per node: ${p.podsPerNode.effective} (limited by ${p.podsPerNode.limitedBy === 'maxPods' ? `kubelet max-pods ${p.podsPerNode.maxPods}` : `the /${p.nodeRanges.mask} range`})`;
  const v6 = p.ipv6;
  if (v6 && p.podCIDR.cidr === v6.podCIDR)
    return [
      `PodCIDR ${v6.podCIDR}: ${v6.podCIDRAddresses} addresses`,
      `  /${v6.nodeMask} per node: ${v6.podIPsPerNode} for pods (the network address and the cni0 gateway excluded; no broadcast in IPv6)`,
      `  room for ${formatCount(v6.nodeCapacity)} nodes; ${pods}`,
    ];
  return [
    `PodCIDR ${p.podCIDR.cidr}: ${formatCount(p.podCIDR.addresses)} addresses`,
    `  /${p.nodeRanges.mask} per node: ${formatCount(p.nodeRanges.addressesPerNode)} addresses, ${formatCount(p.nodeRanges.podIPsPerNode)} for pods (network, broadcast and the cni0 gateway excluded)`,
    `  room for ${formatCount(p.nodeRanges.capacity)} nodes; ${pods}`,
    ...(v6
      ? [
          `IPv6 PodCIDR ${v6.podCIDR}: /${v6.nodeMask} per node, ${v6.podIPsPerNode} for pods (the network address and the cni0 gateway excluded; no broadcast)`,
          `  room for ${formatCount(v6.nodeCapacity)} nodes; every node and pod needs an address in both families`,
        ]
      : []),
  ];
}

export function planCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, ...LIVE_OPTIONS });
  if (values.help) return void console.log(PLAN_HELP);
  const s = loadScenario(positionals[0]);
  const cluster = realizeLive(positionals[0], historyFiles(values), s);
  const p = plan(s, cluster);
  const rules = checkThreeRules(buildDataplane(cluster));
  const warnings = cluster.warnings.map((w) => ({ code: w.code, message: w.message }));
  if (values.json) return printJson({ ...p, rules, warnings });
  const pct = (u: number, c: number) => (c === 0 ? '—' : `${((u / c) * 100).toFixed(u / c < 0.01 && u > 0 ? 2 : 0)}%`);
  console.log(
    [
      ...headline(p),
      '',
      table([
        ['LIMIT', 'USED', 'CAPACITY', 'USE', 'WHY'],
        ...p.limits.map((l) => [
          l.what,
          formatCount(l.used),
          formatCount(l.capacity),
          pct(l.used, l.capacity),
          l.because,
        ]),
      ]),
      '',
      `Breaks first: ${p.breaksFirst.message}`,
      ...p.notes.map((n) => `Note: ${n}`),
      '',
      'The three rules of the Kubernetes network model:',
      ...rules.map((r) => `  ${r.holds ? 'holds ' : 'BROKEN'}  ${r.rule}: ${r.holds ? r.evidence : r.counterexample}`),
      '',
      warnings.length === 0 ? 'No warnings.' : 'Warnings:',
      ...warnings.map((w) => `  [${w.code}] ${w.message}`),
    ].join('\n'),
  );
}
