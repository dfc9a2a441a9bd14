// What happens to a packet inside one node's root namespace: kube-proxy's
// nat rules first (PREROUTING for forwarded packets, OUTPUT for the node's
// own), then the routing decision. Returned as facts; trace.ts turns them
// into hops.
import { parseIp } from '../ip/cidr';
import { fnv32a } from '../api/names';
import type { Dataplane } from '../dataplane/dataplane';
import { isNodeAddress } from '../dataplane/devices';
import { NODEPORTS_JUMP, type Table } from '../dataplane/kubeProxyIptables';
import { renderRoute, type Route } from '../dataplane/routes';
import type { RealizedNode } from '../api/types';
import { clusterIpKey, nodePortKey, type EndpointRule, type ServicePortRule } from '../dataplane/serviceRules';

export interface Pkt {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  proto: 'TCP' | 'UDP';
}

export interface ServiceDecision {
  rule: ServicePortRule;
  /** The chain of rules the packet walked, as iptables-save prints them. */
  lines: string[];
  chosen?: EndpointRule;
  /** Candidates with the probability each had of being picked. */
  candidates: { address: string; node: string; chance: number }[];
  /** Marked for masquerade (KUBE-MARK-MASQ). */
  masquerade: boolean;
  /** Why masquerade was marked, when it was. */
  masqueradeWhy?: string;
  /** No endpoints (REJECT) or no local endpoints (DROP). */
  refused?: { action: 'reject' | 'drop'; line: string; reason: string };
}

const rulesMatching = (t: { nat: Table; filter: Table }, table: 'nat' | 'filter', chain: string, needle: string) =>
  (table === 'nat' ? t.nat : t.filter).rules(chain).filter((l) => l.includes(needle));

/** Picks one endpoint deterministically from the flow, the way a random pick would land for it. */
function pick(eps: EndpointRule[], p: Pkt): EndpointRule | undefined {
  if (eps.length === 0) return undefined;
  return eps[fnv32a(`${p.src}:${p.sport}>${p.dst}:${p.dport}`) % eps.length];
}

/** kube-proxy's part: does this packet hit a Service (ClusterIP, or NodePort on a local address)? */
export function serviceDecision(
  dp: Dataplane,
  node: RealizedNode,
  p: Pkt,
  fromNodeItself: boolean,
  clusterCIDR: { contains: (ip: string) => boolean },
): ServiceDecision | undefined {
  const byIp = dp.services.byClusterIp.get(clusterIpKey(p.dst, p.proto, p.dport));
  // KUBE-NODEPORTS is reached for any local destination address (-m addrtype --dst-type LOCAL): eth0's, cni0's, flannel.1's.
  const nodePort = isNodeAddress(dp.cluster, node, p.dst)
    ? dp.services.byNodePort.get(nodePortKey(p.proto, p.dport))
    : undefined;
  const rule = byIp ?? nodePort;
  if (!rule) return undefined;
  // Only this Service port's rules, as this node holds them.
  const nd = dp.serviceTables(rule, node.name);
  const viaNodePort = !byIp;
  const local = rule.endpoints.filter((e) => e.endpoint.node === node.name);
  const etpLocalSvc = viaNodePort && rule.service.externalTrafficPolicy === 'Local';
  // externalTrafficPolicy Local binds only traffic from outside: KUBE-EXT sends pods (-s clusterCIDR) and the node's
  // own traffic (--src-type LOCAL, masqueraded) to the cluster-wide KUBE-SVC chain first.
  const fromPods = clusterCIDR.contains(p.src);
  const srcLocal = fromNodeItself || p.src === node.ip || p.src === node.gateway;
  const etpLocal = etpLocalSvc && !fromPods && !srcLocal;
  const itpLocal = !viaNodePort && rule.service.internalTrafficPolicy === 'Local';
  const lines: string[] = [];
  if (viaNodePort) {
    lines.push(NODEPORTS_JUMP);
    lines.push(...rulesMatching(nd, 'nat', 'KUBE-NODEPORTS', `--dport ${p.dport} `));
  } else {
    lines.push(
      ...rulesMatching(nd, 'nat', 'KUBE-SERVICES', `-d ${p.dst}/32 -p ${p.proto.toLowerCase()} `).filter((l) =>
        l.includes(`--dport ${p.dport} `),
      ),
    );
  }
  const eligible = etpLocal || itpLocal ? local : rule.endpoints;
  if (eligible.length === 0) {
    const line = viaNodePort
      ? rulesMatching(nd, 'filter', 'KUBE-EXTERNAL-SERVICES', `--dport ${p.dport} `)[0]
      : rulesMatching(nd, 'filter', 'KUBE-SERVICES', `-d ${p.dst}/32 `).find((l) => l.includes(`--dport ${p.dport} `));
    const none = rule.endpoints.length === 0;
    return {
      rule,
      lines,
      candidates: [],
      masquerade: false,
      refused: {
        action: none ? 'reject' : 'drop',
        line: line ?? '',
        reason: none
          ? `${rule.spn} has no endpoints: no running pod matches the Service's selector, so kube-proxy rejects the connection (icmp-port-unreachable)`
          : `${rule.spn} has no local endpoints on ${node.name} and its traffic policy is Local, so the packet is dropped`,
      },
    };
  }
  let masquerade = false;
  let masqueradeWhy: string | undefined;
  if (viaNodePort && !etpLocalSvc) {
    masquerade = true;
    masqueradeWhy =
      'externalTrafficPolicy Cluster: the endpoint may be on another node, so the reply must come back here';
    lines.push(...(rule.extChain ? nd.nat.rules(rule.extChain) : []));
  } else if (viaNodePort && etpLocal) {
    lines.push(...(rule.extChain ? nd.nat.rules(rule.extChain).filter((l) => l.endsWith(`-j ${rule.svlChain}`)) : []));
  } else if (viaNodePort && fromPods) {
    lines.push(...(rule.extChain ? nd.nat.rules(rule.extChain).filter((l) => l.includes('pod traffic for')) : []));
  } else if (viaNodePort) {
    masquerade = true;
    masqueradeWhy =
      "externalTrafficPolicy Local does not bind the node's own traffic: it is masqueraded and may go to any endpoint";
    lines.push(...(rule.extChain ? nd.nat.rules(rule.extChain).filter((l) => l.includes('LOCAL traffic for')) : []));
  } else if (!clusterCIDR.contains(p.src)) {
    masquerade = true;
    masqueradeWhy = `the source ${p.src} is outside the cluster CIDR${fromNodeItself ? ' (the node itself)' : ''}`;
  }
  const chain = etpLocal || itpLocal ? rule.svlChain! : rule.svcChain;
  const chosen = pick(eligible, p)!;
  const chainLines = nd.nat.rules(chain);
  if (masquerade && !viaNodePort) lines.push(chainLines.find((l) => l.endsWith('-j KUBE-MARK-MASQ'))!);
  lines.push(...chainLines.filter((l) => !l.endsWith('-j KUBE-MARK-MASQ') && l.includes(` -> ${chosen.address}"`)));
  const sep = nd.nat.rules(chosen.sepChain);
  // Hairpin: a pod reaching itself through its own Service is masqueraded (the KUBE-SEP -s rule).
  if (chosen.endpoint.ip === p.src) {
    masquerade = true;
    masqueradeWhy =
      'hairpin: the pod reached itself through its Service, so the source is rewritten to the bridge address';
    lines.push(sep[0]!);
  }
  lines.push(sep[sep.length - 1]!);
  const n = eligible.length;
  return {
    rule,
    lines,
    chosen,
    masquerade,
    ...(masqueradeWhy ? { masqueradeWhy } : {}),
    candidates: eligible.map((e) => ({ address: e.address, node: e.endpoint.node, chance: 1 / n })),
  };
}

export function routeFor(dp: Dataplane, node: RealizedNode, ip: string): { route: Route; line: string } | undefined {
  const p = parseIp(ip);
  if (!p.ok) return undefined;
  const route = dp.routeFor(node, p.value);
  return { route, line: renderRoute(route) };
}

/** "10.32.0.2:8080" -> ["10.32.0.2", 8080]. */
export function splitHp(s: string): [string, number] {
  const i = s.lastIndexOf(':');
  return [s.slice(0, i), Number(s.slice(i + 1))];
}
