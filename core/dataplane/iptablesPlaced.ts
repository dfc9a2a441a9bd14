// kube-proxy's iptables (or ip6tables) lines on a node, Service by Service, each with where `iptables-save` prints
// it: nat before filter; in each table every chain's declaration (built-in chains first, then the others by name),
// then every chain's rules in that order; in a chain, kube-proxy's fixed rules, then the Service ports' in the
// index's order, then the NodePorts jump (last in KUBE-SERVICES) and flannel's rules.
import type { RealizedCluster, RealizedNode } from '../api/types';
import type { IpFamilyName } from '../ip/anyIp';
import { addFlannelRules } from './flannelIptables';
import { renderRule } from './iptablesRule';
import type { Table } from './iptablesTable';
import { iptablesLineText } from './kernelLines';
import { emptyIptables, nodePortsRule } from './kubeProxyBaseRules';
import {
  clusterCidrOf,
  kubeProxyBaseTables,
  kubeProxyTables,
  nodePodCidrOf,
  servicePortTables,
} from './kubeProxyIptables';
import type { LineKey, PlacedLine } from './placedLines';
import type { OwnedTableWriter, ServiceGroup } from './ruleChanges';
import type { ServiceRuleIndex } from './serviceRules';

const TABLES = ['nat', 'filter'] as const;

/** The fixed tables on a node, and how many rules of each chain kube-proxy wrote before any Service port's. */
function fixedTables(c: RealizedCluster, family: IpFamilyName, node: RealizedNode) {
  const t = kubeProxyBaseTables(family);
  const head = new Map<string, number>();
  for (const name of TABLES)
    for (const ch of t[name].chainNames()) head.set(`${name}|${ch}`, t[name].chainRules(ch).length);
  t.nat.add('KUBE-SERVICES', nodePortsRule(family));
  addFlannelRules(t.nat, t.filter, clusterCidrOf(c, family), nodePodCidrOf(node, family));
  return { tables: t, head };
}

export function iptablesWriter(c: RealizedCluster, index: ServiceRuleIndex): OwnedTableWriter {
  const family = index.family;
  // The built-in chains' order (the same on every node): they come before the user chains, in this order.
  const empty = kubeProxyBaseTables(family);
  const builtins = new Map<string, number>();
  for (const name of TABLES)
    empty[name].chainNames().forEach((ch, i) => {
      if (empty[name].policy(ch) !== undefined) builtins.set(`${name}|${ch}`, i);
    });
  const fixedChains = new Set<string>();
  for (const name of TABLES) for (const ch of empty[name].chainNames()) fixedChains.add(`${name}|${ch}`);
  const chainKey = (table: string, ch: string): LineKey => {
    const b = builtins.get(`${table}|${ch}`);
    return b === undefined ? [1, ch] : [0, b];
  };
  const text = (table: string, line: string) => iptablesLineText(table, line, family)!;
  const declaration = (t: number, table: Table, ch: string): PlacedLine => ({
    key: [t, 0, ...chainKey(table.name, ch)],
    text: text(table.name, `:${ch} ${table.policy(ch) ?? '-'} [0:0]`),
  });
  return {
    whole(node) {
      const t = kubeProxyTables(c, index, node.name);
      addFlannelRules(t.nat, t.filter, clusterCidrOf(c, family), nodePodCidrOf(node, family));
      const out: PlacedLine[] = [];
      for (const name of TABLES)
        for (const l of t[name].lines()) {
          const s = iptablesLineText(name, l, family);
          if (s !== undefined) out.push({ key: [out.length], text: s });
        }
      return out;
    },
    fixed(node) {
      const { tables, head } = fixedTables(c, family, node);
      const out: PlacedLine[] = [];
      TABLES.forEach((name, t) => {
        const table = tables[name];
        for (const ch of table.chainNames()) {
          out.push(declaration(t, table, ch));
          const before = head.get(`${name}|${ch}`) ?? 0;
          table.chainRules(ch).forEach((r, i) => {
            const key = [t, 1, ...chainKey(name, ch), i < before ? 0 : 2, 0, i];
            out.push({ key, text: text(name, renderRule(ch, r)) });
          });
        }
      });
      return out;
    },
    service(g: ServiceGroup, node) {
      const out: PlacedLine[] = [];
      g.rules.forEach((r, k) => {
        const tables = servicePortTables(c, r, node.name);
        TABLES.forEach((name, t) => {
          const table = tables[name];
          for (const ch of table.chainNames()) {
            if (!fixedChains.has(`${name}|${ch}`)) out.push(declaration(t, table, ch));
            table.chainRules(ch).forEach((rule, i) => {
              out.push({ key: [t, 1, ...chainKey(name, ch), 1, g.at + k, i], text: text(name, renderRule(ch, rule)) });
            });
          }
        });
      });
      return out;
    },
    // A Service port's rule: [table, 1, chain (two parts), 1, position, n]; its chain declarations hold no position.
    shift: (key, by) => (key[1] === 1 ? key.map((x, i) => (i === 5 ? (x as number) + by : x)) : key),
    edgeOwners: () => [],
  };
}

/** The tables of a node without IPv4 (an IPv6 single-stack cluster): the built-in chains alone, compared whole. */
export function builtinChainsWriter(): OwnedTableWriter {
  const { nat, filter } = emptyIptables();
  const lines: PlacedLine[] = [];
  for (const t of [nat, filter])
    for (const l of t.lines()) {
      const s = iptablesLineText(t.name, l, 'IPv4');
      if (s !== undefined) lines.push({ key: [lines.length], text: s });
    }
  return { whole: () => lines, fixed: () => lines, service: () => [], shift: (key) => key, edgeOwners: () => [] };
}
