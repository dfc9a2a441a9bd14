// The `ip route` and `ip -6 route` changes of each node from the nodes an edit touched: a node's main table is
// its own routes (default, the node network, its bridge; IPv6: its links' prefix routes too) and one route per
// other node's PodCIDR, which reads only that node. So only the node's own routes and the routes to nodes whose
// route changed need printing; where the unchanged routes stand is looked up for texts that repeat.
import { clusterNodeSubnet } from '../api/familyFields';
import type { RealizedCluster, RealizedNode } from '../api/types';
import type { LineChanges } from './kernelLines';
import { placedLineChanges, type LineKey, type PlacedLine, type PlacedSide } from './placedLines';
import { hasIpv4, ownRoutes, peerRoute, renderRoute, type Route } from './routes';
import { ownRoutes6, peerRoute6, peers6, renderRoute6, viaVxlan6, type Route6 } from './routes6';
import { parseCidr } from '../ip/cidr';
import type { Cidr } from '../ip/types';

// The kernel's order: IPv4 by address, longer prefixes first, default first (sortRoutes); IPv6 by address, default
// last (fibOrder: no other route of a node's table holds another at a different address). Then the order added.
const key4 = (r: Route, added: LineKey): LineKey => [
  0,
  r.dst === null ? -1 : r.dst.base,
  -(r.dst?.prefix ?? 0),
  ...added,
];
const key6 = (r: Route6, added: LineKey): LineKey => [
  1,
  r.dst === null ? 1 : 0,
  r.dst?.base ?? 0n,
  -(r.dst?.prefix ?? 0),
  ...added,
];
// renderRouteTable ends each IPv4 line with a space, as iproute2 prints it.
const line4 = (r: Route, added: LineKey): PlacedLine => ({ key: key4(r, added), text: `${renderRoute(r)} ` });
const line6 = (r: Route6, added: LineKey): PlacedLine => ({ key: key6(r, added), text: renderRoute6(r) });

interface Peer {
  owner: string;
  line: PlacedLine;
}

class RouteSide {
  /** Each node's route in the others' tables (IPv4; IPv6 by how the viewer reaches it), by node name. */
  readonly peers4 = new Map<string, Peer>();
  readonly peers6 = [new Map<string, Peer>(), new Map<string, Peer>()];
  private readonly unchanged = new Map<string, Map<string, Peer[]>>();

  constructor(readonly c: RealizedCluster) {
    if (hasIpv4(c)) {
      const net = parseCidr(clusterNodeSubnet(c.cluster, 'IPv4')!) as { ok: true; value: Cidr };
      c.nodes.forEach((n, i) => {
        const r = peerRoute(c, net.value, n);
        if (r) this.peers4.set(n.name, { owner: n.name, line: line4(r, [1, i]) });
      });
    }
    if (c.cluster.podCIDRs)
      peers6(c).forEach((p, i) =>
        [false, true].forEach((vxlan, v) =>
          this.peers6[v]!.set(p.node.name, { owner: p.node.name, line: line6(peerRoute6(vxlan, p), [1, i]) }),
        ),
      );
  }

  private index(which: string, peers: Map<string, Peer>, changed: ReadonlySet<string>) {
    let m = this.unchanged.get(which);
    if (!m) {
      this.unchanged.set(which, (m = new Map()));
      for (const p of peers.values()) {
        if (changed.has(p.owner)) continue;
        const list = m.get(p.line.text);
        if (list) list.push(p);
        else m.set(p.line.text, [p]);
      }
    }
    return m;
  }

  /** The node's own routes and its routes to changed nodes; `all6`: every IPv6 peer route (its IPv6 side changed). */
  side(node: RealizedNode, changed: ReadonlySet<string>, all6: boolean): PlacedSide {
    // An IPv6 single-stack cluster's nodes have no `ip route` lines.
    const lines = hasIpv4(this.c) ? ownRoutes(this.c, node).map((r, i) => line4(r, [0, i])) : [];
    for (const owner of changed) {
      const p = this.peers4.get(owner);
      if (p && owner !== node.name) lines.push(p.line);
    }
    const own6 = ownRoutes6(this.c, node);
    const v = viaVxlan6(this.c, node) ? 1 : 0;
    if (own6) {
      lines.push(...own6.map((r, i) => line6(r, [0, i])));
      const peers = this.peers6[v]!;
      for (const p of all6 ? peers.values() : [...changed].flatMap((o) => peers.get(o) ?? []))
        if (p.owner !== node.name) lines.push(p.line);
    }
    const elsewhere = (text: string): LineKey[] => {
      const found = [...(this.index('4', this.peers4, changed).get(text) ?? [])];
      if (own6 && !all6) found.push(...(this.index(`6|${v}`, this.peers6[v]!, changed).get(text) ?? []));
      return found.filter((p) => p.owner !== node.name).map((p) => p.line.key);
    };
    return { lines, elsewhere };
  }
}

/** Per node present before and after, its route changes. */
export function routeComparer(before: RealizedCluster, after: RealizedCluster) {
  const b = new RouteSide(before);
  const a = new RouteSide(after);
  // A node whose route in the others' tables differs (or that is on one side only) is printed in every table.
  const changed = new Set<string>();
  const compare = (x: Map<string, Peer>, y: Map<string, Peer>) => {
    for (const [owner, p] of x) if (y.get(owner)?.line.text !== p.line.text) changed.add(owner);
    for (const owner of y.keys()) if (!x.has(owner)) changed.add(owner);
  };
  compare(b.peers4, a.peers4);
  compare(b.peers6[0]!, a.peers6[0]!);
  compare(b.peers6[1]!, a.peers6[1]!);
  return (nb: RealizedNode, na: RealizedNode): LineChanges => {
    // A node whose IPv6 side appeared, went or changed how it reaches the others lists every IPv6 peer route.
    const six = (c: RealizedCluster, n: RealizedNode) =>
      ownRoutes6(c, n) === undefined ? 'none' : String(viaVxlan6(c, n));
    const all6 = six(before, nb) !== six(after, na);
    return placedLineChanges(b.side(nb, changed, all6), a.side(na, changed, all6));
  };
}
