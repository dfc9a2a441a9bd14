// kube-proxy's nftables mode, decided from the node's own `table ip kube-proxy`: the packet walks
// the base chains in hook order (filter-output, nat-output, filter-output-post-dnat for the node's
// own packets; nat-prerouting, then filter-input or filter-forward for others), looks its key up in
// the verdict maps, follows the goto/jump rules and stops at a dnat, a drop or a reject, citing each
// step as "chain: rule" or "map NAME: element". Service objects only name what the table decided.
import { containsIp, parseCidr, parseIp } from '../ip/cidr';
import { fnv32a } from '../api/names';
import type { RealizedNode } from '../api/types';
import type { Dataplane } from '../dataplane/dataplane';
import { isNodeAddress } from '../dataplane/devices';
import type { NftTable } from '../dataplane/kubeProxyNftables';
import type { EndpointRule, ServicePortRule } from '../dataplane/serviceRules';
import type { Pkt, ServiceDecision } from './nodeWalk';

interface Element {
  key: string;
  verdict: string;
  comment?: string;
  text: string;
}

interface Index {
  chains: Map<string, string[]>;
  maps: Map<string, Map<string, Element>>;
  sets: Map<string, Set<string>>;
}

const indexes = new WeakMap<NftTable, Index>();

/** Map and set elements by key, chains by name: built once per node table, as the kernel's hash sets are. */
function indexOf(t: NftTable): Index {
  let ix = indexes.get(t);
  if (ix) return ix;
  const maps = new Map<string, Map<string, Element>>();
  for (const m of t.maps) {
    const els = new Map<string, Element>();
    for (const text of m.elements) {
      const e = /^(.*?)(?: comment "([^"]*)")? : (.+)$/.exec(text);
      if (e) els.set(e[1]!, { key: e[1]!, verdict: e[3]!, text, ...(e[2] ? { comment: e[2] } : {}) });
    }
    maps.set(m.name, els);
  }
  ix = {
    chains: new Map(t.chains.map((c) => [c.name, c.rules])),
    maps,
    sets: new Map(t.sets.map((s) => [s.name, new Set(s.elements)])),
  };
  indexes.set(t, ix);
  return ix;
}

/** Service port rules by their nft chain suffix "ns/name/proto/port": names what a chain belongs to. */
const byChainSuffix = new WeakMap<Dataplane['services'], Map<string, ServicePortRule>>();
function ruleOfChain(dp: Dataplane, chain: string): ServicePortRule | undefined {
  let m = byChainSuffix.get(dp.services);
  if (!m) {
    m = new Map();
    for (const r of dp.services.rules)
      m.set(`${r.service.namespace}/${r.service.name}/${r.protocol.toLowerCase()}/${r.port.name}`, r);
    byChainSuffix.set(dp.services, m);
  }
  return m.get(chain.replace(/^[a-z]+-[A-Z2-7]{8}-/, '').replace(/__.*$/, ''));
}

const inCidr = (cidr: string, ip: string) => {
  const c = parseCidr(cidr);
  const p = parseIp(ip);
  return c.ok && p.ok && containsIp(c.value, p.value);
};

interface Walked {
  lines: string[];
  masquerade: boolean;
  masqueradeWhy?: string;
  dnat?: string;
  candidates: string[];
}

/** Follows a service-/local-/external- chain to its endpoint's dnat, recording every rule that matched. */
function followService(ix: Index, start: string, p: Pkt, own: boolean): Walked {
  const w: Walked = { lines: [], masquerade: false, candidates: [] };
  const mark = (line: string, why: string) => {
    w.lines.push(line, 'mark-for-masquerade: ' + ix.chains.get('mark-for-masquerade')![0]!);
    if (!w.masquerade) w.masqueradeWhy = why;
    w.masquerade = true;
  };
  let chain: string | undefined = start;
  for (let depth = 0; chain && depth < 8; depth++) {
    const rules: string[] = ix.chains.get(chain) ?? [];
    let next: string | undefined;
    for (const r of rules) {
      const line = `${chain}: ${r}`;
      let m: RegExpExecArray | null;
      if ((m = /^ip daddr (\S+) \S+ dport (\d+) ip saddr != (\S+) jump mark-for-masquerade$/.exec(r))) {
        if (m[1] === p.dst && Number(m[2]) === p.dport && !inCidr(m[3]!, p.src))
          mark(line, `the source ${p.src} is outside the cluster CIDR ${m[3]}`);
      } else if (r === 'jump mark-for-masquerade') {
        mark(
          line,
          'externalTrafficPolicy Cluster: the endpoint may be on another node, so the reply must come back here',
        );
      } else if ((m = /^ip saddr (\S+) goto (\S+)/.exec(r)) && !r.includes('@')) {
        if (inCidr(m[1]!, p.src)) {
          w.lines.push(line);
          next = m[2];
        }
      } else if (r.startsWith('fib saddr type local jump mark-for-masquerade')) {
        if (own) mark(line, "externalTrafficPolicy Local does not bind the node's own traffic: it is masqueraded");
      } else if ((m = /^fib saddr type local goto (\S+)/.exec(r))) {
        if (own) {
          w.lines.push(line);
          next = m[1];
        }
      } else if ((m = /^goto (\S+)$/.exec(r))) {
        w.lines.push(line);
        next = m[1];
      } else if ((m = /^numgen random mod (\d+) vmap \{ (.*) \}$/.exec(r))) {
        const targets = m[2]!.split(', ').map((x) => x.replace(/^\d+ : goto /, ''));
        w.candidates = targets;
        // A deterministic stand-in for numgen random: the same flow always lands on the same endpoint.
        next = targets[fnv32a(`${p.src}:${p.sport}>${p.dst}:${p.dport}`) % targets.length];
        w.lines.push(line);
      } else if ((m = /^ip saddr (\S+) jump mark-for-masquerade$/.exec(r))) {
        if (m[1] === p.src)
          mark(
            line,
            'hairpin: the pod reached itself through its Service, so the source is rewritten to the bridge address',
          );
      } else if (r.startsWith('update @affinity-')) {
        // sessionAffinity ClientIP: the client's address joins the endpoint's affinity set for the timeout.
        w.lines.push(line);
      } else if ((m = /^meta l4proto \S+ dnat to (\S+)$/.exec(r))) {
        w.lines.push(line);
        w.dnat = m[1];
        return w;
      }
      // "ip saddr @affinity-... goto": an empty affinity set (no earlier connection) matches nothing.
      if (next) break;
    }
    chain = next;
  }
  return w;
}

const endpointOf = (rule: ServicePortRule | undefined, address: string): EndpointRule | undefined =>
  rule?.endpoints.find((e) => e.address === address);

/** A decision made in nftables mode: where the filter verdict happened, and the masquerade rule that applies the mark. */
export type NftDecision = ServiceDecision & { hook?: string; masqueradeRule?: string };

/**
 * kube-proxy's decision for a packet at one node in nftables mode, from that node's table.
 * undefined: no rule of the table touches the packet.
 */
export function nftServiceDecision(dp: Dataplane, node: RealizedNode, p: Pkt, own: boolean): NftDecision | undefined {
  // A dumped node's own table (trace --tables), else the computed one.
  const t = dp.kernel(node.name)?.nft ?? dp.node(node.name)?.nft;
  if (!t) return undefined;
  const ix = indexOf(t);
  const proto = p.proto.toLowerCase();
  const svcKey = `${p.dst} . ${proto} . ${p.dport}`;
  const npKey = `${proto} . ${p.dport}`;
  const nodePortIp = ix.sets.get('nodeport-ips')?.has(p.dst) ?? false;
  const chain = (name: string, i: number) => `${name}: ${ix.chains.get(name)![i]}`;
  const dispatch = ix.maps.get('service-ips')!.get(svcKey);
  const npDispatch = nodePortIp ? ix.maps.get('service-nodeports')!.get(npKey) : undefined;
  const target = dispatch ?? npDispatch;
  if (target) {
    const via = dispatch
      ? [chain('services', 0), `map service-ips: ${target.text}`]
      : [chain('services', 1), `set nodeport-ips: ${p.dst}`, `map service-nodeports: ${target.text}`];
    const start = target.verdict.replace(/^goto /, '');
    const w = followService(ix, start, p, own);
    const rule = ruleOfChain(dp, start);
    const chosen = w.dnat ? endpointOf(rule, w.dnat) : undefined;
    // No dnat (externalTrafficPolicy Local without a local endpoint): the chain returns and the filter chains decide.
    if (!rule || !chosen) return filterVerdict(dp, node, ix, p, own, [...via, ...w.lines]);
    const candidates = w.candidates.map((c) => {
      const addr = /dnat to (\S+)$/.exec(ix.chains.get(c)?.at(-1) ?? '')?.[1] ?? '';
      return { address: addr, node: endpointOf(rule, addr)?.endpoint.node ?? '', chance: 1 / w.candidates.length };
    });
    return {
      rule,
      lines: [...via, ...w.lines],
      chosen,
      candidates,
      masquerade: w.masquerade,
      ...(w.masqueradeWhy ? { masqueradeWhy: w.masqueradeWhy } : {}),
      masqueradeRule: `masquerading: ${ix.chains.get('masquerading')!.at(-1)}`,
    };
  }
  return filterVerdict(dp, node, ix, p, own, []);
}

/** The filter chains' verdict on a packet nothing DNATed: service-endpoints-check, nodeport-endpoints-check, cluster-ips-check. */
function filterVerdict(
  dp: Dataplane,
  node: RealizedNode,
  ix: Index,
  p: Pkt,
  own: boolean,
  before: string[],
): NftDecision | undefined {
  const proto = p.proto.toLowerCase();
  const svcKey = `${p.dst} . ${proto} . ${p.dport}`;
  const npKey = `${proto} . ${p.dport}`;
  const nodePortIp = ix.sets.get('nodeport-ips')?.has(p.dst) ?? false;
  const chain = (name: string, i: number) => `${name}: ${ix.chains.get(name)![i]}`;
  // A refusal names no Service port when none owns the address; trace.ts reads only lines and refused then.
  const refuse = (
    lines: string[],
    action: 'reject' | 'drop',
    reason: string,
    hook: string,
    rule?: ServicePortRule,
  ) => ({
    rule: rule ?? dp.services.rules[0]!,
    lines: [...before, ...lines],
    candidates: [],
    masquerade: false,
    hook,
    refused: { action, line: '', reason },
  });
  const filterHook = own
    ? 'OUTPUT (filter)'
    : isNodeAddress(dp.cluster, node, p.dst)
      ? 'INPUT (filter)'
      : 'FORWARD (filter)';

  const noEp = ix.maps.get('no-endpoint-services')!.get(svcKey);
  if (noEp) {
    const rule = dp.services.byClusterIp.get(`${p.dst}|${p.proto}|${p.dport}`);
    const lines = [chain('service-endpoints-check', 0), `map no-endpoint-services: ${noEp.text}`];
    if (noEp.verdict === 'goto reject-chain') lines.push(chain('reject-chain', 0));
    const none = noEp.verdict === 'goto reject-chain';
    return refuse(
      lines,
      none ? 'reject' : 'drop',
      none
        ? `${noEp.comment} has no endpoints: no running pod matches the Service's selector, so kube-proxy rejects the connection (icmp port unreachable)`
        : `${noEp.comment} has no local endpoints on ${node.name} and its traffic policy is Local, so the packet is dropped`,
      filterHook,
      rule,
    );
  }
  const npNoEp = nodePortIp ? ix.maps.get('no-endpoint-nodeports')!.get(npKey) : undefined;
  if (npNoEp && !own) {
    const lines = [
      chain('nodeport-endpoints-check', 0),
      `set nodeport-ips: ${p.dst}`,
      `map no-endpoint-nodeports: ${npNoEp.text}`,
    ];
    const none = npNoEp.verdict === 'goto reject-chain';
    if (none) lines.push(chain('reject-chain', 0));
    return refuse(
      lines,
      none ? 'reject' : 'drop',
      none
        ? `${npNoEp.comment} has no endpoints, so kube-proxy rejects the NodePort connection`
        : `${npNoEp.comment} has no local endpoints on ${node.name} and its externalTrafficPolicy is Local, so the packet is dropped`,
      'INPUT (filter)',
    );
  }
  // cluster-ips-check (filter-forward, filter-output-post-dnat): a ClusterIP on a port no Service serves, or an unallocated one.
  // 127.0.0.0/8 is the node's own only for the node's own packets (a pod's loopback never reaches the node).
  const loopback = inCidr('127.0.0.0/8', p.dst);
  if (loopback && !own) return undefined;
  const local = isNodeAddress(dp.cluster, node, p.dst) || loopback;
  if (!local) {
    const hook = own ? 'OUTPUT (filter, after DNAT)' : 'FORWARD (filter)';
    if (ix.sets.get('cluster-ips')!.has(p.dst))
      return refuse(
        [chain('cluster-ips-check', 0), `set cluster-ips: ${p.dst}`],
        'reject',
        `${p.dst} is a ClusterIP, but no Service serves ${p.proto} port ${p.dport} on it, so kube-proxy rejects the packet (cluster-ips-check)`,
        hook,
      );
    if (inCidr(dp.cluster.cluster.serviceCIDR, p.dst))
      return refuse(
        [chain('cluster-ips-check', 1)],
        'drop',
        `${p.dst} is in the Service range ${dp.cluster.cluster.serviceCIDR} but no Service has it, so kube-proxy drops the packet (cluster-ips-check)`,
        hook,
      );
    return undefined;
  }
  // A NodePort on a local address that is not in @nodeport-ips (cni0's, flannel.1's, 127.0.0.1): no rule DNATs it;
  // the node's own stack gets it and nothing listens there (kube-proxy's nftables mode opens no NodePort sockets).
  const isNodePort = ix.maps.get('service-nodeports')!.has(npKey) || ix.maps.get('no-endpoint-nodeports')!.has(npKey);
  if (isNodePort && !nodePortIp) {
    const set = [...(ix.sets.get('nodeport-ips') ?? [])].join(', ');
    return refuse(
      [chain('services', 1)],
      'reject',
      `${p.dst} is not in @nodeport-ips { ${set} } (--nodeport-addresses primary${inCidr('127.0.0.0/8', p.dst) ? '; nftables mode never accepts localhost NodePorts' : ''}), so no rule DNATs port ${p.dport}; the node itself receives it and nothing listens there: ${p.proto === 'TCP' ? 'TCP reset' : 'ICMP port unreachable'}`,
      own ? 'OUTPUT' : 'INPUT',
    );
  }
  return undefined;
}
