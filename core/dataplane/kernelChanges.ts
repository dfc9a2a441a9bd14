// What an edit changed in each node's kernel: the `ip route` lines and kube-proxy's rules (the
// `iptables-save` lines of nat and filter, or the `nft list` lines in nftables mode) added and removed.
import { renderNftTable } from './kubeProxyNftables';
import { renderRouteTable, type Dataplane, type NodeDataplane } from './dataplane';
import { nodeRoutes6, renderRouteTable6 } from './routes6';

export interface LineChanges {
  added: string[];
  removed: string[];
}

export interface NodeKernelChanges {
  node: string;
  /** `ip route` lines, then in a dual-stack cluster `ip -6 route` lines. */
  routes: LineChanges;
  /** kube-proxy's rules and chains (flannel's too, where it writes any). */
  rules: LineChanges;
}

/** Lines in `after` and not in `before` and the reverse, each as often as the count differs, in their order. */
export function lineChanges(before: readonly string[], after: readonly string[]): LineChanges {
  const count = new Map<string, number>();
  for (const l of before) count.set(l, (count.get(l) ?? 0) + 1);
  const added: string[] = [];
  for (const l of after) {
    const n = count.get(l) ?? 0;
    if (n > 0) count.set(l, n - 1);
    else added.push(l);
  }
  const removed: string[] = [];
  for (const l of before) {
    const n = count.get(l) ?? 0;
    if (n > 0) {
      count.set(l, n - 1);
      removed.push(l);
    }
  }
  return { added, removed };
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

function ruleLines(n: NodeDataplane): string[] {
  // The *nat / *filter headers and COMMIT repeat per table: keep the table name on each line instead.
  if (n.nft) return lines(renderNftTable(n.nft)).map((l) => l.trim());
  const table = (name: string, text: string) =>
    lines(text)
      .filter((l) => !l.startsWith('*') && l !== 'COMMIT')
      .map((l) => `-t ${name} ${l.replace(/ \[\d+:\d+\]$/, '')}`);
  return [...table('nat', n.nat.render()), ...table('filter', n.filter.render())];
}

/** A node's `ip route` lines and, in a dual-stack cluster, its `ip -6 route` lines. */
function routeLines(dp: Dataplane, name: string, n: NodeDataplane): string[] {
  const node = dp.cluster.cluster.podCIDRs ? dp.cluster.nodes.find((x) => x.name === name) : undefined;
  const v6 = node ? nodeRoutes6(dp.cluster, node) : undefined;
  return [...lines(renderRouteTable(n.routes)), ...(v6 ? lines(renderRouteTable6(v6)) : [])];
}

/** Per node present before and after (optionally only `only`): its route and rule changes; unchanged nodes left out. */
export function kernelChanges(before: Dataplane, after: Dataplane, only?: ReadonlySet<string>): NodeKernelChanges[] {
  const out: NodeKernelChanges[] = [];
  for (const n of after.cluster.nodes) {
    if (only && !only.has(n.name)) continue;
    const a = before.node(n.name);
    const b = after.node(n.name);
    if (!a || !b) continue;
    const routes = lineChanges(routeLines(before, n.name, a), routeLines(after, n.name, b));
    const rules = lineChanges(ruleLines(a), ruleLines(b));
    if (routes.added.length + routes.removed.length + rules.added.length + rules.removed.length > 0)
      out.push({ node: n.name, routes, rules });
  }
  return out;
}
