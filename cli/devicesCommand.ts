// `k8snet devices --node NAME`: the node's interfaces, and for VXLAN flannel's neighbour and FDB entries.
import { buildDataplane } from '../core/dataplane/dataplane';
import { nodeDevices, podLinks6, renderVxlanFdb, renderVxlanNeighbors } from '../core/dataplane/devices';
import { parse, printJson, table, usageError, userError } from './args';
import { historyFiles, LIVE_OPTIONS, realizeLive } from './live';

export const DEVICES_HELP = `Usage: k8snet devices [scenario-file] --node NAME [--json]

The node's network devices: eth0 on the node network, the cni0 bridge with
the pods' gateway address, one veth per pod (its other end is the pod's
eth0), and for VXLAN flannel.1 with the entries flannel programs for every
other node, as \`ip neigh show dev flannel.1\` and \`bridge fdb show dev flannel.1\`
print them.`;

export function devicesCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, { node: { type: 'string' }, json: { type: 'boolean' }, ...LIVE_OPTIONS });
  if (values.help) return void console.log(DEVICES_HELP);
  const cluster = realizeLive(positionals[0], historyFiles(values));
  if (values.node === undefined)
    throw usageError(`devices needs --node NAME (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  const node = buildDataplane(cluster).nodeByName(String(values.node));
  if (!node)
    throw userError(`--node: no node "${values.node}" (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
  const devs = nodeDevices(cluster, node);
  if (values.json) return printJson(devs);
  const out = [
    table([
      ['DEVICE', 'KIND', 'MTU', 'ADDRESS', 'DETAIL'],
      ...devs.map((d) => [
        d.name,
        d.kind,
        String(d.mtu),
        d.addresses.join(' ') || '-',
        d.kind === 'veth'
          ? `master ${d.master}, peer eth0 in pod ${d.peer}`
          : d.vxlan
            ? `vxlan id ${d.vxlan.id} dstport ${d.vxlan.port} local ${d.vxlan.local} dev ${d.master}, mac ${d.mac}`
            : '',
      ]),
    ]),
  ];
  const links6 = podLinks6(node);
  if (links6.length > 0)
    out.push(
      '',
      "IPv6 on each pod's link (eth0 in the pod, the veth's host end on the node); link-local addresses come from MACs the kernel draws at random, so these are stand-ins:",
      table([
        ['POD', 'ETH0 (IN THE POD)', 'HOST VETH'],
        ...links6.map((l) => [l.pod, l.eth0.addresses.join(' '), `${l.veth.name} ${l.veth.addresses.join(' ')}`]),
      ]),
    );
  if (devs.some((d) => d.kind === 'vxlan')) {
    out.push(
      '',
      '$ ip neigh show dev flannel.1',
      renderVxlanNeighbors(cluster, node).trimEnd(),
      '',
      '$ bridge fdb show dev flannel.1',
      renderVxlanFdb(cluster, node).trimEnd(),
    );
  }
  console.log(out.join('\n'));
}
