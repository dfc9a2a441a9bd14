// kube-proxy's iptables mode, as `iptables-save` prints what it programs.
// Matched against kube-proxy v1.31 (pkg/proxy/iptables/proxier.go,
// syncProxyRules) with the cluster-CIDR local-traffic detector
// (--cluster-cidr), no --masquerade-all, no LoadBalancer IPs.
// Rules are written in iptables-save's canonical order: -s, -d, -p first,
// then the matches in the order kube-proxy added them, then the target.
// One writer for both families: kube-proxy runs an IPv4 and an IPv6 proxier
// (NewDualStackProxier), the same code over each family's Services.
import { clusterPodCidr, nodePodCidr } from '../api/familyFields';
import type { RealizedCluster, RealizedNode } from '../api/types';
import type { IpFamilyName } from '../ip/anyIp';
import { DROP, addr, addrtype, comment, dnat, jump, port, rejectFor, rule, statistic } from './iptablesBuild';
import type { AddrMatch, IptProto, Match, Target } from './iptablesRule';
import { emptyIptables, nodePortsRule, writeBaseRules } from './kubeProxyBaseRules';
import { Table } from './iptablesTable';
import { statisticProbability, type EndpointRule, type ServicePortRule, type ServiceRuleIndex } from './serviceRules';

export { Table } from './iptablesTable';
export { NODEPORTS_JUMP, POSTROUTING_MASQUERADE, emptyIptables } from './kubeProxyBaseRules';

interface Ctx {
  nat: Table;
  filter: Table;
  /** The cluster CIDR of this family: the --cluster-cidr local-traffic detector's (one per family). */
  clusterCIDR: string;
  node: string;
  /** REJECT's ICMP type, and xt_recent's default --mask (a whole address), as iptables-save prints them per family. */
  reject: Target;
  recentMask: string;
}

const RECENT_MASK: Record<IpFamilyName, string> = {
  IPv4: '255.255.255.255',
  IPv6: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
};

/** The cluster's pod CIDR in one family: kind's podSubnet entry of that family. */
export function clusterCidrOf(c: RealizedCluster, family: IpFamilyName): string {
  const cidr = clusterPodCidr(c.cluster, family);
  if (cidr === undefined) throw new Error(`internal: ${family} rules asked of a cluster without an ${family} pod CIDR`);
  return cidr;
}

/** A node's PodCIDR in one family (a dual-stack node's spec.podCIDRs entry of that family); null when it has none. */
export const nodePodCidrOf = (n: RealizedNode, family: IpFamilyName): string | null => nodePodCidr(n, family) ?? null;

function context(c: RealizedCluster, family: IpFamilyName, node: string, nat: Table, filter: Table): Ctx {
  return {
    nat,
    filter,
    clusterCIDR: clusterCidrOf(c, family),
    node,
    reject: rejectFor(family),
    recentMask: RECENT_MASK[family],
  };
}

function writeEndpointJumps(
  nat: Table,
  mask: string,
  chain: string,
  spn: string,
  eps: EndpointRule[],
  probabilityFor: (i: number) => string | null,
  affinity: number | null,
): void {
  // ClientIP affinity first: a client seen recently goes back to its endpoint (xt_recent, one list per endpoint chain).
  if (affinity !== null) {
    for (const e of eps)
      nat.add(
        chain,
        rule({
          matches: [
            comment(`${spn} -> ${e.address}`),
            { kind: 'recent', op: 'rcheck', seconds: affinity, reap: true, name: e.sepChain, mask },
          ],
          target: jump(e.sepChain),
        }),
      );
  }
  eps.forEach((e, i) => {
    const p = probabilityFor(i);
    const matches = [comment(`${spn} -> ${e.address}`)];
    if (p) matches.push(statistic(p));
    nat.add(chain, rule({ matches, target: jump(e.sepChain) }));
  });
}

function writeServicePort(ctx: Ctx, r: ServicePortRule): void {
  const { nat, filter } = ctx;
  const proto = r.protocol.toLowerCase() as IptProto;
  const ip = r.clusterIP;
  const hasEndpoints = r.endpoints.length > 0;
  const localEps = r.endpoints.filter((e) => e.endpoint.node === ctx.node);
  const itpLocal = r.service.internalTrafficPolicy === 'Local';
  const etpLocal = r.service.externalTrafficPolicy === 'Local' && r.port.nodePort !== null;
  const hasInternal = itpLocal ? localEps.length > 0 : hasEndpoints;
  const hasExternal = etpLocal ? localEps.length > 0 : hasEndpoints;
  // proxier.go: usesClusterPolicyChain / usesLocalPolicyChain need endpoints of their own, so a node
  // without a local endpoint declares no KUBE-SVL chain.
  const usesCluster = hasEndpoints && (!itpLocal || (r.port.nodePort !== null && !etpLocal));
  const usesLocal = localEps.length > 0 && (itpLocal || etpLocal);
  const internalChain = itpLocal ? r.svlChain! : r.svcChain;
  const externalPolicyChain = etpLocal ? r.svlChain! : r.svcChain;
  const clusterIp = (text: string, target: Target, src?: AddrMatch) =>
    rule({
      ...(src ? { src } : {}),
      dst: addr(ip),
      proto,
      matches: [comment(text), port(proto, r.port.port)],
      target,
    });

  if (hasInternal) nat.add('KUBE-SERVICES', clusterIp(`${r.spn} cluster IP`, jump(internalChain)));
  // proxier.go: "has no local endpoints" is DROP; only a Service with no endpoints at all is REJECTed.
  else if (itpLocal && hasEndpoints) filter.add('KUBE-SERVICES', clusterIp(`${r.spn} has no local endpoints`, DROP));
  else filter.add('KUBE-SERVICES', clusterIp(`${r.spn} has no endpoints`, ctx.reject));

  if (r.port.nodePort !== null) {
    if (hasEndpoints)
      nat.add(
        'KUBE-NODEPORTS',
        rule({ proto, matches: [comment(r.spn), port(proto, r.port.nodePort)], target: jump(r.extChain!) }),
      );
    if (!hasExternal) {
      filter.add(
        'KUBE-EXTERNAL-SERVICES',
        rule({
          proto,
          matches: [
            comment(`${r.spn} has no ${hasEndpoints ? 'local ' : ''}endpoints`),
            addrtype('dst'),
            port(proto, r.port.nodePort),
          ],
          target: hasEndpoints ? DROP : ctx.reject,
        }),
      );
    }
  }

  if (usesCluster) {
    nat.chain(r.svcChain);
    // Masquerade off-cluster traffic to the ClusterIP (the cluster-CIDR detector's IfNotLocal).
    if (hasInternal && !itpLocal)
      nat.add(r.svcChain, clusterIp(`${r.spn} cluster IP`, jump('KUBE-MARK-MASQ'), addr(ctx.clusterCIDR, true)));
    writeEndpointJumps(
      nat,
      ctx.recentMask,
      r.svcChain,
      r.spn,
      r.endpoints,
      (i) => r.endpoints[i]!.probability,
      r.service.sessionAffinityTimeout,
    );
  }
  if (usesLocal) {
    nat.chain(r.svlChain!);
    // The internal traffic chain (KUBE-SVL under internalTrafficPolicy Local) masquerades off-cluster sources.
    if (hasInternal && itpLocal)
      nat.add(r.svlChain!, clusterIp(`${r.spn} cluster IP`, jump('KUBE-MARK-MASQ'), addr(ctx.clusterCIDR, true)));
    const n = localEps.length;
    // The local chain balances over local endpoints only, with its own ladder.
    writeEndpointJumps(
      nat,
      ctx.recentMask,
      r.svlChain!,
      r.spn,
      localEps,
      (i) => (i < n - 1 ? statisticProbability(n - i) : null),
      r.service.sessionAffinityTimeout,
    );
  }
  if (r.extChain && hasEndpoints) {
    const ext = r.extChain;
    nat.chain(ext);
    const external = `${r.spn} external destinations`;
    if (!etpLocal) {
      nat.add(ext, rule({ matches: [comment(`masquerade traffic for ${external}`)], target: jump('KUBE-MARK-MASQ') }));
    } else {
      nat.add(
        ext,
        rule({
          src: addr(ctx.clusterCIDR),
          matches: [comment(`pod traffic for ${external}`)],
          target: jump(r.svcChain),
        }),
      );
      nat.add(
        ext,
        rule({
          matches: [comment(`masquerade LOCAL traffic for ${external}`), addrtype('src')],
          target: jump('KUBE-MARK-MASQ'),
        }),
      );
      nat.add(
        ext,
        rule({ matches: [comment(`route LOCAL traffic for ${external}`), addrtype('src')], target: jump(r.svcChain) }),
      );
    }
    if (hasExternal) nat.add(ext, rule({ target: jump(externalPolicyChain) }));
  }
  // Endpoint chains: hairpin masquerade, then DNAT. Local chains need only local endpoints.
  const seps = usesCluster ? r.endpoints : usesLocal ? localEps : [];
  for (const e of seps) {
    nat.add(e.sepChain, rule({ src: addr(e.endpoint.ip), matches: [comment(r.spn)], target: jump('KUBE-MARK-MASQ') }));
    const matches: Match[] = [comment(r.spn)];
    if (r.service.sessionAffinityTimeout !== null)
      matches.push({ kind: 'recent', op: 'set', reap: false, name: e.sepChain, mask: ctx.recentMask });
    matches.push(port(proto));
    nat.add(e.sepChain, rule({ proto, matches, target: dnat(e.endpoint.ip, e.endpoint.port) }));
  }
}

/** Only one Service port's rules (of its family's proxier), as they stand in a node's tables: what a lazy walk materializes. */
export function servicePortTables(c: RealizedCluster, r: ServicePortRule, node: string): { nat: Table; filter: Table } {
  const ctx = context(c, r.family, node, new Table('nat', []), new Table('filter', []));
  writeServicePort(ctx, r);
  return { nat: ctx.nat, filter: ctx.filter };
}

/** The tables kube-proxy writes on every node before any Service (IPv4's, or ip6tables' for IPv6). */
export function kubeProxyBaseTables(family: IpFamilyName = 'IPv4'): { nat: Table; filter: Table } {
  const { nat, filter } = emptyIptables();
  writeBaseRules(nat, filter, family);
  return { nat, filter };
}

/**
 * The nat and filter tables kube-proxy (and kubelet's canary) leave on one node, in the index's family:
 * `iptables-save` for buildServiceRules(c), `ip6tables-save` for buildServiceRules(c, 'IPv6').
 */
export function kubeProxyTables(
  c: RealizedCluster,
  index: ServiceRuleIndex,
  node: string,
): { nat: Table; filter: Table } {
  const { nat, filter } = kubeProxyBaseTables(index.family);
  const ctx = context(c, index.family, node, nat, filter);
  for (const r of index.rules) writeServicePort(ctx, r);
  // Must stay the last rule of KUBE-SERVICES (proxier.go says so in the comment).
  nat.add('KUBE-SERVICES', nodePortsRule(index.family));
  return { nat, filter };
}
