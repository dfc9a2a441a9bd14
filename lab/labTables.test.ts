// The lab's devices, tables and forwarding entries, read back from the kernel,
// are exactly what core renders: `ip route` line for line in every node and
// pod namespace, the devices of devices.ts, flannel's VXLAN neighbour and fdb
// entries, and kube-proxy's filter table. (lab.test.ts asks the kernel for
// decisions; this file reads back the state those decisions come from.)
import { describe, expect, it } from 'vitest';
import { renderRouteTable } from '../core/dataplane/dataplane';
import { nodeDevices, renderVxlanFdb, renderVxlanNeighbors } from '../core/dataplane/devices';
import { labPods } from '../core/lab/script';
import { dataplaneOf, kernelLabUnavailable, labForSuite, lineSet, nsExec, scenarioText, sh } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab table read-back tests');

interface IpLink {
  ifname: string;
  mtu: number;
  address?: string;
  master?: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number; port?: number; local?: string; learning?: boolean } };
  addr_info: { family: string; local: string; prefixlen: number }[];
}
const links = (ns: string): IpLink[] => JSON.parse(sh(['ip', '-j', '-d', '-n', ns, 'addr', 'show']));

/** The kernel's kind for a device core describes; the lab's eth0 is one end of a veth to the underlay bridge. */
const KERNEL_KIND: Record<string, string | undefined> = {
  loopback: undefined,
  ethernet: 'veth',
  bridge: 'bridge',
  veth: 'veth',
  vxlan: 'vxlan',
};

const LABS = [
  { title: 'the default scenario (host-gw)', file: undefined },
  { title: 'the VXLAN scenario', file: 'vxlan.yaml' },
  { title: 'a multi-endpoint, multi-port Service', file: 'multi-port.yaml' },
];

LABS.forEach((lab, i) => {
  describe.skipIf(why !== undefined)(`kernel lab read-back: ${lab.title}`, () => {
    const dp = dataplaneOf(scenarioText(lab.file));
    const c = dp.cluster;
    const { names } = labForSuite(dp, `t${i}`);

    it("ip route in every node namespace prints core's node table line for line", () => {
      for (const n of c.nodes) {
        expect({ node: n.name, routes: sh(['ip', '-n', names.node(n), 'route']) }).toEqual({
          node: n.name,
          routes: renderRouteTable(dp.node(n.name)!.routes),
        });
      }
    });

    it("ip route in every pod namespace prints core's pod table line for line", () => {
      for (const p of c.nodes.flatMap(labPods)) {
        expect({ pod: p.name, routes: sh(['ip', '-n', names.pod(p), 'route']) }).toEqual({
          pod: p.name,
          routes: renderRouteTable(dp.podRoutes(p)),
        });
      }
    });

    it("each node namespace holds exactly devices.ts's devices, with their addresses, MTUs, bridge ports and MACs", () => {
      for (const n of c.nodes) {
        const kernel = links(names.node(n)).map((l) => ({
          name: l.ifname,
          kind: l.linkinfo?.info_kind,
          addresses: l.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
          mtu: l.mtu,
          master: l.master,
          ...(l.linkinfo?.info_kind === 'vxlan' ? { mac: l.address } : {}),
        }));
        const core = nodeDevices(c, n).map((d) => ({
          name: d.name,
          kind: KERNEL_KIND[d.kind],
          addresses: d.addresses,
          mtu: d.mtu,
          // flannel.1's "master" in devices.ts is its underlay device, not a bridge.
          master: d.kind === 'veth' ? d.master : undefined,
          ...(d.kind === 'vxlan' ? { mac: d.mac } : {}),
        }));
        const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
        expect({ node: n.name, devices: byName(kernel) }).toEqual({ node: n.name, devices: byName(core) });
      }
    });

    it("each pod's eth0 carries its IP with the node's PodCIDR mask, and the MTU of its host-side veth", () => {
      for (const n of c.nodes) {
        const veths = new Map(
          nodeDevices(c, n)
            .filter((d) => d.kind === 'veth')
            .map((d) => [d.peer, d]),
        );
        for (const p of labPods(n)) {
          const eth0 = links(names.pod(p)).find((l) => l.ifname === 'eth0')!;
          expect({
            pod: p.name,
            addr: eth0.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
            mtu: eth0.mtu,
          }).toEqual({
            pod: p.name,
            addr: [`${p.ip}/${n.podCIDR!.split('/')[1]}`],
            mtu: veths.get(`${p.namespace}/${p.name}`)!.mtu,
          });
        }
      }
    });

    // Only the VXLAN scenario has a flannel.1; the host-gw scenarios simply do not declare this test.
    if (lab.file === 'vxlan.yaml')
      it("flannel.1 is VNI 1 on UDP 8472 from the node IP, without learning, holding core's neighbour and fdb entries", () => {
        for (const n of c.nodes.filter((x) => x.podCIDR !== null)) {
          const ns = names.node(n);
          const vx = links(ns).find((l) => l.ifname === 'flannel.1')!;
          expect(vx.linkinfo?.info_data).toMatchObject({ id: 1, port: 8472, local: n.ip, learning: false });
          // The kernel lists these from hash tables: the order carries no meaning, so compare as sets of lines.
          expect(lineSet(sh(['ip', '-n', ns, 'neigh', 'show', 'dev', 'flannel.1']))).toEqual(
            lineSet(renderVxlanNeighbors(c, n)),
          );
          expect(lineSet(nsExec(ns, 'bridge', 'fdb', 'show', 'dev', 'flannel.1'))).toEqual(
            lineSet(renderVxlanFdb(c, n)),
          );
        }
      });

    it("iptables-save -t filter, read back from each node, is core's rendering", () => {
      for (const n of c.nodes) {
        const back = nsExec(names.node(n), 'iptables-save', '-t', 'filter')
          .split('\n')
          .filter((l) => l && !l.startsWith('#'))
          .join('\n');
        // Only the packet counters differ: the lab may have carried traffic by now.
        expect(back.replace(/\[\d+:\d+\]/g, '[0:0]')).toBe(dp.node(n.name)!.filter.render());
      }
    });
  });
});
