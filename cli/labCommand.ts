// `k8snet lab`: a bash script that builds the scenario in network namespaces.
import { buildDataplane } from '../core/dataplane/dataplane';
import { defaultLabPrefix, labScript, labRefusal, validateLabPrefix } from '../core/lab/script';
import { parse, usageError, userError } from './args';
import { historyFiles, LIVE_OPTIONS, realizeLive } from './live';

export const LAB_HELP = `Usage: k8snet lab [scenario-file] [--prefix NAME] [--teardown]

Print a bash script that builds the scenario with Linux network namespaces:
a namespace per node (eth0 on a shared underlay bridge, cni0 with the
gateway, the node's routes and kube-proxy's rules exactly as core computes
them, a real vxlan device for VXLAN) and a namespace per pod. A dual-stack
cluster's namespaces get their IPv6 side too (ip -6 addr and route,
ip6tables); an IPv6 single-stack cluster's get that side alone, with no IPv4
address, route or rule. Nothing is connected to the host's own network. Run
it as root:

  npm run -s k8snet -- lab | sudo bash
  sudo ip netns exec k8snet-talk-node-a ip route
  npm run -s k8snet -- lab --teardown | sudo bash

Running it again rebuilds the lab from scratch. --prefix (default
k8snet-<cluster name>) names every namespace, so two labs can coexist.`;

export function labCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    prefix: { type: 'string' },
    teardown: { type: 'boolean' },
    ...LIVE_OPTIONS,
  });
  if (values.help) return void console.log(LAB_HELP);
  if (values.prefix !== undefined) {
    const bad = validateLabPrefix(values.prefix);
    if (bad) throw usageError(`--prefix: ${bad}`);
  }
  const cluster = realizeLive(positionals[0], historyFiles(values));
  const refused = labRefusal(cluster);
  if (refused) throw userError(refused);
  const prefix = values.prefix ?? defaultLabPrefix(cluster.cluster.name);
  process.stdout.write(labScript(buildDataplane(cluster), { prefix, teardown: values.teardown ?? false }));
}
