// What an edit changed in each node's kernel: the `ip route` (and `ip -6 route`) lines and kube-proxy's rules (the
// `iptables-save` lines of nat and filter, or the `nft list` lines in nftables mode; in a dual-stack cluster the
// IPv6 proxier's too) added and removed. Exactly what printing every table whole before and after and comparing
// the lines says (kernelChanges.oracle.testUtil.ts does that; a property test holds the two equal), but printed
// only where an edit can change a line: the routes to nodes whose route changed, the Services whose rules may.
import type { IpFamilyName } from '../ip/anyIp';
import type { Dataplane } from './dataplane';
import { builtinChainsWriter, iptablesWriter } from './iptablesPlaced';
import { hasIpv4 } from './routes';
import { clusterCidrOf } from './kubeProxyIptables';
import type { LineChanges } from './kernelLines';
import { nftWriter } from './nftPlaced';
import { routeComparer } from './routeChanges';
import { ruleComparer, type RuleSource } from './ruleChanges';
import type { ServiceRuleIndex } from './serviceRules';

export { lineChanges, type LineChanges } from './kernelLines';

export interface NodeKernelChanges {
  node: string;
  /** `ip route` lines, then in a dual-stack cluster `ip -6 route` lines. */
  routes: LineChanges;
  /** kube-proxy's rules and chains (flannel's too, where it writes any): IPv4's, then IPv6's (`-6 ` / `[ip6] `). */
  rules: LineChanges;
}

/** One family's kube-proxy tables of a dataplane, as the rule comparison reads them. */
function ruleSource(dp: Dataplane, family: IpFamilyName): RuleSource {
  const c = dp.cluster;
  const index: ServiceRuleIndex | undefined = family === 'IPv4' ? dp.services : dp.services6();
  const mode = c.cluster.kubeProxyMode;
  // An IPv6 single-stack cluster's nodes hold only iptables' built-in chains (dataplane.ts).
  if (family === 'IPv4' && !hasIpv4(c))
    return { cluster: c, index: undefined, writer: builtinChainsWriter, context: 'no IPv4' };
  // In nftables mode the IPv6 table is written where the cluster has an IPv6 family (dataplane.ts: nft6).
  const written = index && (family === 'IPv4' || mode !== 'nftables' || c.cluster.ipFamily !== undefined);
  if (!index || !written) return { cluster: c, index: undefined, writer: undefined, context: 'none' };
  return {
    cluster: c,
    index,
    writer: (groups) => (mode === 'nftables' ? nftWriter(c, index, groups) : iptablesWriter(c, index)),
    context: `${mode}|${clusterCidrOf(c, family)}`,
  };
}

/** Per node present before and after (optionally only `only`): its route and rule changes; unchanged nodes left out. */
export function kernelChanges(before: Dataplane, after: Dataplane, only?: ReadonlySet<string>): NodeKernelChanges[] {
  const routes = routeComparer(before.cluster, after.cluster);
  const v4 = ruleComparer(ruleSource(before, 'IPv4'), ruleSource(after, 'IPv4'));
  const v6 = ruleComparer(ruleSource(before, 'IPv6'), ruleSource(after, 'IPv6'));
  const out: NodeKernelChanges[] = [];
  for (const n of after.cluster.nodes) {
    if (only && !only.has(n.name)) continue;
    const nb = before.nodeByName(n.name);
    if (!nb) continue;
    const r = routes(nb, n);
    const r4 = v4(nb, n);
    const r6 = v6(nb, n);
    const rules = { added: [...r4.added, ...r6.added], removed: [...r4.removed, ...r6.removed] };
    if (r.added.length + r.removed.length + rules.added.length + rules.removed.length > 0)
      out.push({ node: n.name, routes: r, rules });
  }
  return out;
}
