// `k8snet routes --node NAME` and `k8snet iptables --node NAME`: a node's kernel state as its tools print it.
import { ipv6Entry } from '../core/ip/anyIp';
import { renderNftRuleset } from '../core/dataplane/kubeProxyNftables';
import { buildDataplane, renderRouteTable } from '../core/dataplane/dataplane';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from '../core/dataplane/ip6tables';
import { nodeRoutes6, renderRouteTable6 } from '../core/dataplane/routes6';
import { parse, printJson, usageError, userError } from './args';
import { historyFiles, LIVE_OPTIONS, realizeLive } from './live';
import { FAMILY_OPTIONS, familyOrPrimary } from './familyFlags';
import type { RealizedCluster } from '../core/api/types';

export const ROUTES_HELP = `Usage: k8snet routes [scenario-file] --node NAME [--pod NAMESPACE/NAME] [-4|-6]

The node's main routing table exactly as \`ip route\` prints it: the node
network on eth0, the node's own PodCIDR on cni0, and one route per other
node's PodCIDR (via its node IP for host-gw, via flannel.1 for vxlan).
With --pod, the table inside that pod's network namespace. With -6 (--ipv6)
in a dual-stack cluster, the node's IPv6 table as \`ip -6 route\` prints it
(flannel-v6.1 for vxlan), or with --pod the pod's; -4 (--ipv4) the IPv4 one.
Without either, the cluster's primary family (the one kind lists first):
IPv6 in an IPv6-first dual-stack cluster and in an IPv6 single-stack one.`;

export const IPTABLES_HELP = `Usage: k8snet iptables [scenario-file] --node NAME [--table nat|filter] [--json]

The node's kube-proxy rules exactly as \`iptables-save -t nat\` prints them
(kube-proxy v1.31, iptables mode): KUBE-SERVICES -> KUBE-SVC-... ->
KUBE-SEP-..., the masquerade marks, KUBE-NODEPORTS. --table filter shows the
filter table (REJECT for Services without endpoints). On a dual-stack node
the IPv6 section follows, as \`ip6tables-save -t nat\` prints it (its header
lines without their date): kube-proxy's IPv6 proxier and flannel's IPv6 rules.
An IPv6 single-stack node (ipFamily: ipv6) has only that section.
--json gives {node, table, iptables, ip6tables} with each section's text.`;

export function routesCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    node: { type: 'string' },
    pod: { type: 'string' },
    ...FAMILY_OPTIONS,
    ...LIVE_OPTIONS,
  });
  if (values.help) return void console.log(ROUTES_HELP);
  const cluster = realizeLive(positionals[0], historyFiles(values));
  if (familyOrPrimary(values, cluster, 'routes') === 'IPv6') return routes6(cluster, values.node, values.pod);
  const dp = buildDataplane(cluster);
  if (values.pod !== undefined) {
    const [ns, name] = String(values.pod).includes('/')
      ? String(values.pod).split('/')
      : ['default', String(values.pod)];
    const pod = cluster.pods.find((p) => p.namespace === ns && p.name === name);
    if (!pod)
      throw userError(
        `--pod: no pod ${ns}/${name} (pods: ${cluster.pods
          .slice(0, 5)
          .map((p) => `${p.namespace}/${p.name}`)
          .join(', ')}${cluster.pods.length > 5 ? ', ...' : ''})`,
      );
    if (pod.ip === null)
      throw userError(`--pod: ${ns}/${name} is Pending and has no network namespace yet: ${pod.reason ?? ''}`);
    return void process.stdout.write(renderRouteTable(dp.podRoutes(pod)));
  }
  if (values.node === undefined)
    throw usageError(`routes needs --node NAME (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  const node = dp.node(String(values.node));
  if (!node)
    throw userError(`--node: no node "${values.node}" (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  process.stdout.write(renderRouteTable(node.routes));
}

/** A pod's `ip -6 route`: the table flannel's CNI (bridge + host-local's IPv6 range) gives its eth0. */
function podTable6(cluster: RealizedCluster, ref: string) {
  const [ns, name] = ref.includes('/') ? ref.split('/') : ['default', ref];
  const pod = cluster.pods.find((p) => p.namespace === ns && p.name === name);
  if (!pod) throw userError(`--pod: no pod ${ns}/${name}`);
  if (pod.ip === null)
    throw userError(`--pod: ${ns}/${name} is Pending and has no network namespace yet: ${pod.reason ?? ''}`);
  if (!pod.hostNetwork && ipv6Entry(pod.ips) === undefined)
    throw userError(`--pod: ${ns}/${name} has no IPv6 address (its node ${pod.node} has no IPv6 PodCIDR)`);
  return buildDataplane(cluster).podRoutes6(pod);
}

function routes6(cluster: RealizedCluster, nodeName: string | undefined, pod: string | undefined): void {
  if (pod !== undefined) return void process.stdout.write(renderRouteTable6(podTable6(cluster, pod)));
  if (nodeName === undefined)
    throw usageError(`routes needs --node NAME (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  const node = cluster.nodes.find((n) => n.name === nodeName);
  if (!node) throw userError(`--node: no node "${nodeName}" (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  process.stdout.write(renderRouteTable6(nodeRoutes6(cluster, node) ?? []));
}

export function iptablesCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    node: { type: 'string' },
    table: { type: 'string' },
    json: { type: 'boolean' },
    ...LIVE_OPTIONS,
  });
  if (values.help) return void console.log(IPTABLES_HELP);
  const table = values.table ?? 'nat';
  if (table !== 'nat' && table !== 'filter') throw usageError(`--table must be nat or filter, not "${table}"`);
  const cluster = realizeLive(positionals[0], historyFiles(values));
  if (values.node === undefined)
    throw usageError(`iptables needs --node NAME (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  const dp = buildDataplane(cluster);
  const node = dp.node(String(values.node));
  if (!node)
    throw userError(`--node: no node "${values.node}" (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  // An IPv6 single-stack node runs only the IPv6 proxier: no iptables-save section.
  const v4 = cluster.cluster.ipFamily === 'ipv6' ? '' : `${(table === 'nat' ? node.nat : node.filter).render()}\n`;
  const services6 = buildServiceRules6(cluster);
  const t6 = services6 && nodeIp6tables(cluster, services6, node.node);
  const v6 = t6 && renderIp6tablesSave([table === 'nat' ? t6.nat : t6.filter]);
  if (values.json)
    return printJson({
      node: node.node.name,
      table,
      ...(v4 ? { iptables: v4 } : {}),
      ...(v6 ? { ip6tables: v6 } : {}),
    });
  process.stdout.write(v4 + (v6 ?? ''));
}

export const NFTABLES_HELP = `Usage: k8snet nftables [scenario-file] --node NAME

A node's kube-proxy table in nftables mode (networking.kubeProxyMode:
nftables), in nft's ruleset syntax: what \`nft list table ip kube-proxy\`
prints, up to the order of set elements. In a dual-stack cluster kube-proxy
runs one proxier per family, and \`table ip6 kube-proxy\` follows, as
\`nft list ruleset\` prints both. Load it with \`nft -f\`.

  k8snet nftables my-cluster.yaml --node my-cluster-worker`;

export function nftablesCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, { node: { type: 'string' }, ...LIVE_OPTIONS });
  if (values.help) return void console.log(NFTABLES_HELP);
  const cluster = realizeLive(positionals[0], historyFiles(values));
  if (cluster.cluster.kubeProxyMode !== 'nftables')
    throw userError(
      `kube-proxy runs in ${cluster.cluster.kubeProxyMode} mode in this scenario (networking.kubeProxyMode); set it to nftables, or use \`k8snet iptables\``,
    );
  if (values.node === undefined)
    throw usageError(`nftables needs --node NAME (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  const node = buildDataplane(cluster).node(String(values.node));
  if (!node)
    throw userError(`--node: no node "${values.node}" (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  // As `nft list ruleset` prints them: the IPv4 table, then the IPv6 one on a dual-stack node (only it in IPv6-only).
  process.stdout.write(renderNftRuleset([...(node.nft ? [node.nft] : []), ...(node.nft6 ? [node.nft6] : [])]));
}
