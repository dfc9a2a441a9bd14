// `k8snet policy-rules --node NAME`: the table of the component that enforces NetworkPolicy on a node.
import { policyEnforcerTable, renderEnforcerTable } from '../core/policy/enforcer';
import { parse, usageError, userError } from './args';
import { historyFiles, LIVE_OPTIONS, realizeLive } from './live';

export const POLICY_RULES_HELP = `Usage: k8snet policy-rules [scenario-file] --node NAME

The node's NetworkPolicy enforcer, as \`nft list table inet kube-network-policies\`
prints it. flannel (host-gw and vxlan) enforces no NetworkPolicy; this explorer
models kube-network-policies (sigs.k8s.io/kube-network-policies, the enforcer
kind's kindnet embeds) running beside it, with its default flags. Its table only
picks packets: the first packet of a new connection to or from a pod in
podips-v4 (the node's pods that a NetworkPolicy selects; podips-v6 holds their
IPv6 addresses in a dual-stack cluster) is queued to the controller (nfqueue
100), which judges the policies, ipBlock peers of either family included, and
accepts or drops it.
A trace's NetworkPolicy hop names the rule that queued the packet.

  k8snet policy-rules public/scenarios/policy-deny-all-ingress.yaml --node NAME`;

export function policyRulesCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, { node: { type: 'string' }, ...LIVE_OPTIONS });
  if (values.help) return void console.log(POLICY_RULES_HELP);
  const cluster = realizeLive(positionals[0], historyFiles(values));
  const names = cluster.nodes.map((n) => n.name).join(', ');
  if (values.node === undefined) throw usageError(`policy-rules needs --node NAME (nodes: ${names})`);
  if (!cluster.nodes.some((n) => n.name === values.node))
    throw userError(`--node: no node "${values.node}" (nodes: ${names})`);
  process.stdout.write(renderEnforcerTable(policyEnforcerTable(cluster, String(values.node))));
}
