// The oracle for kernelChanges(): every node's whole `ip route` / `ip -6 route` and kube-proxy tables (iptables
// nat and filter, or nft; ip6tables or `table ip6 kube-proxy` in a dual-stack cluster) printed before and after,
// and compared line by line. What kernelChanges() must say, at the cost of printing every table twice.
import type { IpFamilyName } from '../ip/anyIp';
import { renderRouteTable, type Dataplane } from './dataplane';
import { nodeIp6tables } from './ip6tables';
import type { Table } from './iptablesTable';
import type { NodeKernelChanges } from './kernelChanges';
import { iptablesLineText, lineChanges, nftLineText, shownLines } from './kernelLines';
import { renderNftTable, type NftTable } from './kubeProxyNftables';
import { nodeRoutes6, renderRouteTable6 } from './routes6';

const defined = (xs: (string | undefined)[]) => xs.filter((x): x is string => x !== undefined);

const iptablesLines = (tables: Table[], family: IpFamilyName) =>
  tables.flatMap((t) => defined(t.lines().map((l) => iptablesLineText(t.name, l, family))));

const nftLines = (t: NftTable, family: IpFamilyName) =>
  defined(
    renderNftTable(t)
      .split('\n')
      .map((l) => nftLineText(l, family)),
  );

/** A node's kube-proxy lines in one family, printed whole. */
export function fullRuleLines(dp: Dataplane, name: string, family: IpFamilyName): string[] {
  const n = dp.node(name)!;
  if (family === 'IPv4') return n.nft ? nftLines(n.nft, family) : iptablesLines([n.nat, n.filter], family);
  const six = dp.services6();
  if (!six) return [];
  if (dp.cluster.cluster.kubeProxyMode === 'nftables') return n.nft6 ? nftLines(n.nft6, family) : [];
  const t = nodeIp6tables(dp.cluster, six, n.node);
  return t ? iptablesLines([t.nat, t.filter], family) : [];
}

/** A node's `ip route` lines and, in a dual-stack cluster, its `ip -6 route` lines, printed whole. */
export function fullRouteLines(dp: Dataplane, name: string): string[] {
  const n = dp.node(name)!;
  const v6 = dp.cluster.cluster.podCIDRs ? nodeRoutes6(dp.cluster, n.node) : undefined;
  return [...shownLines(renderRouteTable(n.routes)), ...(v6 ? shownLines(renderRouteTable6(v6)) : [])];
}

/** kernelChanges(before, after, only) the slow way: whole tables printed and compared. */
export function oracleKernelChanges(
  before: Dataplane,
  after: Dataplane,
  only?: ReadonlySet<string>,
): NodeKernelChanges[] {
  const out: NodeKernelChanges[] = [];
  for (const n of after.cluster.nodes) {
    if (only && !only.has(n.name)) continue;
    if (!before.node(n.name) || !after.node(n.name)) continue;
    const routes = lineChanges(fullRouteLines(before, n.name), fullRouteLines(after, n.name));
    const v4 = lineChanges(fullRuleLines(before, n.name, 'IPv4'), fullRuleLines(after, n.name, 'IPv4'));
    const v6 = lineChanges(fullRuleLines(before, n.name, 'IPv6'), fullRuleLines(after, n.name, 'IPv6'));
    const rules = { added: [...v4.added, ...v6.added], removed: [...v4.removed, ...v6.removed] };
    if (routes.added.length + routes.removed.length + rules.added.length + rules.removed.length > 0)
      out.push({ node: n.name, routes, rules });
  }
  return out;
}
