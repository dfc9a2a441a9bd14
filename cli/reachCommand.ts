// `k8snet reach`: which workload can connect to which, under the scenario's NetworkPolicies.
import type { Protocol, Scenario } from '../core/api/types';
import { policyContext } from '../core/policy/evaluate';
import { policySummary } from '../core/scenario/parsePolicy';
import { reachMatrix, renderReach } from '../core/policy/reach';
import type { NetworkPolicy } from '../core/api/networkPolicy';
import { loadScenario, parse, printJson, usageError, userError } from './args';
import { historyFiles, LIVE_OPTIONS, realizeLive } from './live';
import { FAMILY_OPTIONS, familyOrPrimary } from './familyFlags';

export const REACH_HELP = `Usage: k8snet reach [scenario-file] [--port N] [--protocol tcp|udp|sctp] [-4|-6] [--system] [--ascii] [--json]

A reachability matrix under the scenario's NetworkPolicies: every workload
(Deployment, ReplicaSet, or bare Pod) as a source against every destination
workload's container ports. ✓ allowed, ✗ denied, ~ only some pod pairs.
Each denied cell says which policy isolates the pod and what no rule allows.

Connections are judged as their first packet after Service DNAT (pod to pod);
replies of an allowed connection always pass.

  --port N       judge this port on every destination instead of its container ports
  --protocol P   only this protocol (default: each container port's own; TCP with --port)
  -6, --ipv6     judge IPv6 connections (dual-stack): pods at their IPv6 addresses,
                 which IPv6 ipBlock peers match (an IPv4 ipBlock never does)
  -4, --ipv4     judge IPv4 connections; without either, the cluster's primary family
  --system       include kube-system (coredns)
  --ascii        yes/no/some instead of ✓/✗/~

  k8snet reach public/scenarios/policy-deny-all-ingress.yaml
  k8snet reach public/scenarios/policy-allow-namespace.yaml --port 8080`;

/** The scenario's NetworkPolicies (parse.ts has typed and validated them) and the warnings parse found in them. */
function policiesOf(s: Scenario): { policies: NetworkPolicy[]; warnings: string[] } {
  return {
    policies: s.networkPolicies,
    warnings: s.warnings
      .filter((w) => w.document.includes('(NetworkPolicy '))
      .map((w) => `warning: ${w.document}: ${w.path ? `${w.path}: ` : ''}${w.message}`),
  };
}

/** Rows and columns a printed matrix can have and still be read. */
const MAX_REACH_WORKLOADS = 200;

export function reachCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    port: { type: 'string' },
    protocol: { type: 'string' },
    system: { type: 'boolean' },
    ascii: { type: 'boolean' },
    json: { type: 'boolean' },
    ...FAMILY_OPTIONS,
    ...LIVE_OPTIONS,
  });
  if (values.help) return void console.log(REACH_HELP);
  const port = values.port !== undefined ? Number(values.port) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw userError(`--port: "${values.port}" must be between 1 and 65535, inclusive`);
  const proto = values.protocol?.toUpperCase();
  if (proto !== undefined && proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP')
    throw usageError(`--protocol must be tcp, udp or sctp, not "${values.protocol}"`);
  const scenario = loadScenario(positionals[0]);
  const { policies, warnings } = policiesOf(scenario);
  if (policies.length === 0 && !values.json) {
    // Without a policy no pod is isolated: the matrix would be all ✓, and at 10,000 workloads 100 million cells.
    console.log(
      [
        ...warnings,
        ...(warnings.length ? [''] : []),
        'No NetworkPolicies: every pod is non-isolated, so every pod may connect to every pod on every port.',
      ].join('\n'),
    );
    return;
  }
  const ctx = policyContext(policies, scenario.namespaces);
  const cluster = realizeLive(positionals[0], historyFiles(values), scenario);
  const family = familyOrPrimary(values, cluster, 'connections');
  const workloads = new Set(cluster.pods.map((p) => p.owner ?? `Pod/${p.namespace}/${p.name}`)).size;
  if (workloads > MAX_REACH_WORKLOADS)
    throw userError(
      `${workloads.toLocaleString('en-US')} workloads: a reachability matrix is one row and one column per workload, and this prints at most ${MAX_REACH_WORKLOADS}; trace one connection with 'k8snet trace' instead`,
    );
  const m = reachMatrix(ctx, cluster, {
    ...(port !== undefined ? { port } : {}),
    ...(proto ? { protocol: proto as Protocol } : {}),
    includeSystem: values.system ?? false,
    family,
  });
  if (values.json)
    return printJson({
      policies,
      ...m,
      workloads: m.workloads.map((w) => ({
        id: w.id,
        label: w.label,
        pods: w.pods.map((p) => `${p.namespace}/${p.name}`),
      })),
    });
  const head = policies.length
    ? ['NetworkPolicies:', ...policies.map((p) => `  ${policySummary(p)}`), '']
    : ['No NetworkPolicies: every pod is non-isolated, everything is allowed.', ''];
  console.log(
    [...warnings, ...(warnings.length ? [''] : []), ...head, renderReach(m, { ascii: values.ascii ?? false })].join(
      '\n',
    ),
  );
}
