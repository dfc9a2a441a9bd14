// kube-proxy's nft table on a node, Service by Service, each line with where `nft list table` prints it: the
// table's head; the sets (cluster-ips, nodeport-ips, then the Service ports' affinity sets); the maps; the fixed
// chains, then the Service ports' chains; the closing brace. A set's or map's elements are its Services' in the
// index's order, the first printed after `elements = { `, the last with ` }`, the others with a comma: the first
// and last Service of each list are written as they stand on the node (edgeOwners), the rest alike everywhere.
import type { RealizedCluster, RealizedNode } from '../api/types';
import type { IpFamilyName } from '../ip/anyIp';
import { nftLineText } from './kernelLines';
import {
  kubeProxyNftables,
  nftFamilyRanges,
  nftServicePort,
  renderNftTable,
  type NftServicePortParts,
} from './kubeProxyNftables';
import { kubeProxyNftTable } from './nftFixedChains';
import type { NftChain, NftFamily } from './nftTable';
import type { LineKey, PlacedLine } from './placedLines';
import type { OwnedTableWriter, ServiceGroup } from './ruleChanges';
import type { ServiceRuleIndex } from './serviceRules';

/** The element lists a Service port adds to, by set or map name. */
const LISTS: Record<string, (p: NftServicePortParts) => string[]> = {
  'cluster-ips': (p) => [p.clusterIP],
  'no-endpoint-services': (p) => p.noEndpointServices,
  'no-endpoint-nodeports': (p) => p.noEndpointNodePorts,
  'service-ips': (p) => p.serviceIps,
  'service-nodeports': (p) => p.serviceNodePorts,
};

const NO_ELEMENTS = {
  clusterIps: [],
  serviceIps: [],
  noEndpointServices: [],
  serviceNodePorts: [],
  noEndpointNodePorts: [],
  affinitySets: [],
};

/** An element line as renderNftTable prints it, by its place in the list. */
const elementLine = (e: string, first: boolean, last: boolean) =>
  `${first ? 'elements = { ' : ''}${e}${last ? ' }' : ','}`;

function chainLines(ch: NftChain): string[] {
  return [
    `chain ${ch.name} {`,
    ...(ch.comment ? [`comment "${ch.comment}"`] : []),
    ...(ch.head ? [ch.head] : []),
    ...ch.rules,
    '}',
  ];
}

export function nftWriter(
  c: RealizedCluster,
  index: ServiceRuleIndex,
  groups: readonly ServiceGroup[],
): OwnedTableWriter {
  const family: NftFamily = index.family === 'IPv6' ? 'ip6' : 'ip';
  const fam: IpFamilyName = index.family;
  const text = (l: string) => nftLineText(l, fam)!;
  const fixedTable = (node: string) => {
    const { serviceCIDR, nodeIps } = nftFamilyRanges(c, node, family);
    return kubeProxyNftTable(family, nodeIps, serviceCIDR, NO_ELEMENTS, []);
  };
  const shape = fixedTable('');
  const setAt = new Map(shape.sets.map((s, i) => [s.name, i]));
  const mapAt = new Map(shape.maps.map((m, i) => [m.name, i]));
  /** Where an element of a list goes: [section, list, part], then the port and the element's place in it. */
  const listKey = (list: string): LineKey => (setAt.has(list) ? [1, setAt.get(list)!, 2] : [3, mapAt.get(list)!, 3]);

  const { clusterCIDR } = nftFamilyRanges(c, '', family);
  const parts = (g: ServiceGroup, node: string, elementsOnly = false) =>
    g.rules.map((r) => nftServicePort({ family, clusterCIDR, node }, r, elementsOnly));
  // One ClusterIP per Service (the index has no two Services at one address: serviceGroups checks).
  const lists = (ps: NftServicePortParts[], list: string) =>
    list === 'cluster-ips' ? [ps[0]!.clusterIP] : ps.flatMap(LISTS[list]!);

  // A Service written alike on every node, first or last in a list, is written on each node as it stands there.
  const kept = new Map<ServiceGroup, NftServicePortParts[]>();
  const alikeParts = (g: ServiceGroup) => {
    let ps = kept.get(g);
    if (!ps) kept.set(g, (ps = parts(g, '')));
    return ps;
  };

  // The first and last Service in each list among those written alike on every node, found once.
  let alike: Map<string, { first?: ServiceGroup; last?: ServiceGroup }> | undefined;
  const alikeEdges = () => {
    if (alike) return alike;
    alike = new Map();
    for (const list of Object.keys(LISTS)) alike.set(list, {});
    for (const g of groups) {
      if (g.perNode) continue;
      const ps = parts(g, '', true);
      for (const [list, e] of alike)
        if (lists(ps, list).length > 0) {
          e.first ??= g;
          e.last = g;
        }
    }
    return alike;
  };
  /** Each list's first and last Service on a node. */
  let edgesOn: { node: RealizedNode; edges: Map<string, { first?: ServiceGroup; last?: ServiceGroup }> } | undefined;
  const edges = (node: RealizedNode) => {
    if (edgesOn?.node !== node) edgesOn = { node, edges: edgesOf(node) };
    return edgesOn.edges;
  };
  const edgesOf = (node: RealizedNode) => {
    const out = new Map<string, { first?: ServiceGroup; last?: ServiceGroup }>();
    const perNode = groups.filter((g) => g.perNode).map((g) => ({ g, ps: parts(g, node.name, true) }));
    for (const [list, e] of alikeEdges()) {
      let { first, last } = e;
      for (const { g, ps } of perNode)
        if (lists(ps, list).length > 0) {
          if (!first || g.at < first.at) first = g;
          if (!last || g.at > last.at) last = g;
        }
      out.set(list, { first, last });
    }
    return out;
  };

  return {
    whole(node) {
      const lines = renderNftTable(kubeProxyNftables(c, index, node.name)).split('\n');
      const out: PlacedLine[] = [];
      for (const l of lines) {
        const s = nftLineText(l, fam);
        if (s !== undefined) out.push({ key: [out.length], text: s });
      }
      return out;
    },
    fixed(node) {
      const t = fixedTable(node.name);
      const out: PlacedLine[] = [];
      const put = (key: LineKey, l: string) => out.push({ key, text: text(l) });
      put([0, 0], `table ${t.family} kube-proxy {`);
      put([0, 1], 'comment "rules for kube-proxy"');
      t.sets.forEach((s, i) => {
        put([1, i, 0], `set ${s.name} {`);
        s.body.forEach((b, j) => put([1, i, 1, j], b));
        s.elements.forEach((e, j) => put([1, i, 2, -1, j], elementLine(e, j === 0, j === s.elements.length - 1)));
        put([1, i, 3], '}');
      });
      t.maps.forEach((m, i) => {
        put([3, i, 0], `map ${m.name} {`);
        put([3, i, 1], `type ${m.type}`);
        put([3, i, 2], `comment "${m.comment}"`);
        put([3, i, 4], '}');
      });
      t.chains.forEach((ch, i) => chainLines(ch).forEach((l, j) => put([4, i, j], l)));
      put([6], '}');
      return out;
    },
    service(g, node, exact) {
      const ps = g.perNode ? parts(g, node.name) : exact ? alikeParts(g) : parts(g, '');
      const out: PlacedLine[] = [];
      const put = (key: LineKey, l: string) => out.push({ key, text: text(l) });
      const at = exact ? edges(node) : undefined;
      for (const list of Object.keys(LISTS)) {
        const first = at?.get(list)?.first === g;
        const last = at?.get(list)?.last === g;
        if (list === 'cluster-ips') {
          put([...listKey(list), g.at, 0], elementLine(ps[0]!.clusterIP, first, last));
          continue;
        }
        const all = ps.flatMap((p, k) => LISTS[list]!(p).map((e, j) => ({ e, k, j })));
        all.forEach(({ e, k, j }, n) =>
          put([...listKey(list), g.at + k, j], elementLine(e, first && n === 0, last && n === all.length - 1)),
        );
      }
      ps.forEach((p, k) => {
        p.affinitySets.forEach((s, j) => {
          [`set ${s.name} {`, ...s.body, '}'].forEach((l, n) => put([2, g.at + k, j, n], l));
        });
        p.chains.forEach((ch, j) => chainLines(ch).forEach((l, n) => put([5, g.at + k, j, n], l)));
      });
      return out;
    },
    // Elements ([1 or 3, list, part, position, n]) hold the position third, sets and chains ([2 or 5, ...]) first.
    shift(key, by) {
      const at = key[0] === 1 || key[0] === 3 ? 3 : 1;
      return key.map((x, i) => (i === at ? (x as number) + by : x));
    },
    edgeOwners(node) {
      const out: string[] = [];
      for (const e of edges(node).values()) {
        if (e.first) out.push(e.first.owner);
        if (e.last) out.push(e.last.owner);
      }
      return out;
    },
  };
}
