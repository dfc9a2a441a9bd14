// kube-proxy's nftables mode, decided from the node's own `table ip kube-proxy` (computed, or read
// from a dump by `trace --tables`): nftRun.ts runs the packet through the base chains in the
// kernel's order (filter-output, nat-output, filter-output-post-dnat for the node's own packets;
// filter-prerouting, nat-prerouting, then the input or forward hook for others; nat-postrouting
// last). Only the table's rules, sets and maps decide; Service objects only name what was decided.
import type { RealizedNode } from '../api/types';
import type { Dataplane } from '../dataplane/dataplane';
import type { NftTable } from '../dataplane/kubeProxyNftables';
import type { NodeKernel } from '../dataplane/nodeKernel';
import type { NftRule } from '../dataplane/nftRule';
import type { EndpointRule, ServicePortRule } from '../dataplane/serviceRules';
import { parseAny } from '../ip/anyIp';
import { baseChains, nftIndex, runHook, type NftIndex, type NftOutcome } from './nftRun';
import type { Pkt } from './nodeWalk';

/** Service port rules by their nft chain suffix "ns/name/proto/port": names what a chain belongs to. */
const byChainSuffix = new WeakMap<Dataplane['services'], Map<string, ServicePortRule>>();
function ruleOfChain(dp: Dataplane, chain: string, six: boolean): ServicePortRule | undefined {
  // Each family's table names its own proxier's Service ports (the IPv6 one lists IPv6 endpoints).
  const index = six ? dp.services6() : dp.services;
  if (!index) return undefined;
  let m = byChainSuffix.get(index);
  if (!m) {
    m = new Map();
    for (const r of index.rules)
      m.set(`${r.service.namespace}/${r.service.name}/${r.protocol.toLowerCase()}/${r.port.name}`, r);
    byChainSuffix.set(index, m);
  }
  return m.get(chain.replace(/^[a-z]+-[A-Z2-7]{8}-/, '').replace(/__.*$/, ''));
}

/** What the table decided for a packet at one node (before routing's POSTROUTING). */
export interface NftDecision {
  /** The rules that matched, as "chain: rule" / "map NAME: element" / "set NAME: key". */
  lines: string[];
  /** Where a drop or reject happened. */
  hook?: string;
  refused?: { action: 'reject' | 'drop'; reason: string };
  dnat?: { ip: string; port: number; address: string };
  /** The Service port and endpoint the DNAT's chain and address name, when the scenario has them. */
  rule?: ServicePortRule;
  chosen?: EndpointRule;
  candidates: { address: string; node: string; chance: number }[];
  /** The packet mark after the table (kube-proxy's masquerade bit is read back in nat-postrouting). */
  mark: number;
  masqueradeWhy?: string;
  /** sessionAffinity: the client joined an affinity set. */
  affinity: boolean;
}

/** The packet's family picks the table: `table ip kube-proxy` never sees an IPv6 packet, `table ip6 kube-proxy` an IPv4 one. */
const tableOf = (dp: Dataplane, node: string, p: Pkt): NftTable | undefined =>
  p.dst.includes(':') ? dp.kernel(node)?.nft6?.() : dp.kernel(node)?.nft?.();
const localOf = (k: NodeKernel) => (ip: string) => {
  const p = parseAny(ip);
  return p.ok && k.isLocal(p.value);
};
/** "ip:port", "[ip]:port" for IPv6: as kube-proxy names an endpoint. */
const hostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
const isLoopbackText = (ip: string) => ip.startsWith('127.') || ip === '::1';

/** Why the rule that jumped to mark-for-masquerade marked the packet, in the words of the rule. */
function whyMarked(r: { rule: NftRule; text: string; chain: string }, p: Pkt): string {
  const src = r.rule.terms.find((t) => t.k === 'addr' && t.field === 'saddr');
  if (src?.k === 'addr' && src.negate) return `the source ${p.src} is outside the cluster CIDR ${src.text}`;
  if (src?.k === 'addr' && src.text === p.src)
    return 'hairpin: the pod reached itself through its Service, so the source is rewritten to the bridge address';
  if (r.rule.terms.some((t) => t.k === 'fibLocal'))
    return "externalTrafficPolicy Local does not bind the node's own traffic: it is masqueraded";
  if (r.rule.terms.length === 1)
    return 'externalTrafficPolicy Cluster: the endpoint may be on another node, so the reply must come back here';
  return `the rule "${r.chain}: ${r.text}" marked it`;
}

/** The refusal's reason, from the element or rule that gave it. */
function refusalReason(node: RealizedNode, o: NftOutcome, p: Pkt): string {
  const d = o.decisive!;
  const none = o.verdict === 'reject';
  const c = d.element?.comment;
  if (d.map === 'no-endpoint-services' && c)
    return none
      ? `${c} has no endpoints: no running pod matches the Service's selector, so kube-proxy rejects the connection (icmp port unreachable)`
      : `${c} has no local endpoints on ${node.name} and its traffic policy is Local, so the packet is dropped`;
  if (d.map === 'no-endpoint-nodeports' && c)
    return none
      ? `${c} has no endpoints, so kube-proxy rejects the NodePort connection`
      : `${c} has no local endpoints on ${node.name} and its externalTrafficPolicy is Local, so the packet is dropped`;
  const addr = d.rule.terms.find((t) => t.k === 'addr' && t.field === 'daddr');
  if (d.chain === 'cluster-ips-check' && addr?.k === 'addr' && addr.set)
    return `${p.dst} is a ClusterIP, but no Service serves ${p.proto} port ${p.dport} on it, so kube-proxy rejects the packet (cluster-ips-check)`;
  if (d.chain === 'cluster-ips-check' && addr?.k === 'addr')
    return `${p.dst} is in the Service range ${addr.text} but no Service has it, so kube-proxy drops the packet (cluster-ips-check)`;
  return `the rule "${d.chain}: ${d.text}" ${none ? 'rejects' : 'drops'} the packet`;
}

function hookName(o: NftOutcome, natPriority: number | undefined): string {
  const h = o.chain!.head!;
  const name = h.hook.toUpperCase();
  if (h.type === 'nat') return `${name} (nat)`;
  return h.hook === 'output' && natPriority !== undefined && h.priority > natPriority
    ? `${name} (filter, after DNAT)`
    : `${name} (filter)`;
}

/**
 * kube-proxy's decision for a packet at one node in nftables mode, from that node's table.
 * undefined: the node has no nft table.
 */
export function nftServiceDecision(dp: Dataplane, node: RealizedNode, p: Pkt, own: boolean): NftDecision | undefined {
  const t = tableOf(dp, node.name, p);
  const k = dp.kernel(node.name);
  if (!t || !k) return undefined;
  const ix = nftIndex(t);
  const isLocal = localOf(k);
  const state = { pkt: p, ct: 'new' as const, mark: 0, isLocal };
  const lines: string[] = [];
  let dnat: NftOutcome | undefined;
  const candidates: string[] = [];
  let marker: NftOutcome['marker'];
  const natPriority = baseChains(ix, 'nat', own ? 'output' : 'prerouting')[0]?.head!.priority;
  const refuse = (o: NftOutcome): NftDecision => ({
    lines: [...lines, ...o.lines],
    hook: hookName(o, natPriority),
    refused: { action: o.verdict === 'reject' ? 'reject' : 'drop', reason: refusalReason(node, o, state.pkt) },
    candidates: [],
    mark: o.mark,
    affinity: false,
  });
  const step = (chains: ReturnType<typeof baseChains>): NftDecision | undefined => {
    for (const c of chains) {
      const o = runHook(ix, [c], state);
      if (o.verdict !== 'accept') return refuse(o);
      lines.push(...o.lines);
      state.mark = o.mark;
      marker ??= o.marker;
      if (o.dnat) {
        dnat = o;
        candidates.push(...o.candidates);
        state.pkt = { ...state.pkt, dst: o.dnat.ip, dport: o.dnat.port ?? state.pkt.dport };
      }
    }
    return undefined;
  };
  const hooks = own ? ['output'] : ['prerouting'];
  const first = step(
    hooks.flatMap((h) => baseChains(ix, 'filter', h).concat(baseChains(ix, 'nat', h))).sort(byPriority),
  );
  if (first) return first;
  // After routing: the node's own addresses take the input hook, the rest forward (the node's own packets have had output).
  const then = isLocal(state.pkt.dst) ? 'input' : own ? undefined : 'forward';
  if (then) {
    const r = step(baseChains(ix, 'filter', then));
    if (r) return r;
  }
  if (!dnat) return notDnated(ix, isLocal, p, own, lines, state.mark);
  const d = dnat.decisive!;
  const rule = ruleOfChain(dp, d.chain, p.dst.includes(':'));
  const address = hostPort(dnat.dnat!.ip, dnat.dnat!.port ?? p.dport);
  const named = (a: string) => rule?.endpoints.find((e) => e.address === a);
  const chosen = named(address);
  return {
    lines,
    dnat: { ip: dnat.dnat!.ip, port: dnat.dnat!.port ?? p.dport, address },
    ...(rule ? { rule } : {}),
    ...(chosen ? { chosen } : {}),
    candidates: candidates.map((c) => {
      const dn = ix.chains
        .get(c)
        ?.rules.flatMap((r) => r.rule.terms)
        .find((x) => x.k === 'dnat');
      const a = dn?.k === 'dnat' ? hostPort(dn.ip, dn.port ?? p.dport) : '';
      return { address: a, node: named(a)?.endpoint.node ?? '', chance: 1 / candidates.length };
    }),
    mark: state.mark,
    ...(marker ? { masqueradeWhy: whyMarked(marker, p) } : {}),
    affinity: lines.some((l) => / update @/.test(l)),
  };
}

const byPriority = (a: { head?: { priority: number } }, b: { head?: { priority: number } }) =>
  a.head!.priority - b.head!.priority;

/**
 * Nothing DNATed and nothing refused. A NodePort sent to a local address that is not in @nodeport-ips
 * (cni0's, flannel.1's, 127.0.0.1) reaches the node's own stack, where nothing listens (kube-proxy's
 * nftables mode opens no NodePort sockets).
 */
function notDnated(
  ix: NftIndex,
  isLocal: (ip: string) => boolean,
  p: Pkt,
  own: boolean,
  lines: string[],
  mark: number,
): NftDecision | undefined {
  const quiet = { lines: [], candidates: [], mark, affinity: false };
  if (isLoopbackText(p.dst) && !own) return quiet;
  if (!isLocal(p.dst)) return quiet;
  const npKey = `${p.proto.toLowerCase()} . ${p.dport}`;
  const isNodePort = ix.maps.get('service-nodeports')?.has(npKey) || ix.maps.get('no-endpoint-nodeports')?.has(npKey);
  const dispatch = ix.chains.get('services')?.rules.find((r) => r.text.includes('vmap @service-nodeports'));
  const set = ix.sets.get('nodeport-ips');
  if (!isNodePort || !dispatch || set?.has(p.dst)) return quiet;
  return {
    lines: [...lines, `services: ${dispatch.text}`],
    hook: own ? 'OUTPUT' : 'INPUT',
    refused: {
      action: 'reject',
      reason: `${p.dst} is not in @nodeport-ips { ${[...(set ?? [])].join(', ')} } (--nodeport-addresses primary${isLoopbackText(p.dst) ? '; nftables mode never accepts localhost NodePorts' : ''}), so no rule DNATs port ${p.dport}; the node itself receives it and nothing listens there: ${p.proto === 'TCP' ? 'TCP reset' : 'ICMP port unreachable'}`,
    },
    candidates: [],
    mark,
    affinity: false,
  };
}

/** nat-postrouting: whether the table masquerades the packet (kube-proxy's masquerading chain reads the mark). */
export function nftPostrouting(
  dp: Dataplane,
  node: string,
  p: Pkt,
  mark: number,
): { line: string; fullyRandom: boolean } | undefined {
  const t = tableOf(dp, node, p);
  const k = dp.kernel(node);
  if (!t || !k) return undefined;
  const ix = nftIndex(t);
  const o = runHook(ix, baseChains(ix, 'nat', 'postrouting'), { pkt: p, ct: 'new', mark, isLocal: localOf(k) });
  return o.masquerade;
}
