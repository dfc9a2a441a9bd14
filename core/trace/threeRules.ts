// The three rules of the Kubernetes network model, checked by tracing:
// pods reach pods without NAT, nodes reach pods without NAT, and a pod sees
// itself at the address everyone else uses for it.
import type { Dataplane } from '../dataplane/dataplane';
import { podLinks6 } from '../dataplane/devices';
import { formatIp } from '../ip/cidr';
import type { IpFamilyName } from '../ip/anyIp';
import type { RealizedPod } from '../api/types';
import { podIp, primaryFamily } from '../api/familyFields';
import { trace } from './trace';
import type { Hop } from './types';

export interface RuleCheck {
  rule: string;
  holds: boolean;
  /** What was tried, e.g. "12 pod pairs traced". */
  evidence: string;
  /** The first trace that broke it, in words. */
  counterexample?: string;
}

/**
 * The address on the pod's own eth0 in the family: the source address of its connected route, or for IPv6 the
 * global address `ip -6 addr` shows on it.
 */
function eth0Address(dp: Dataplane, p: RealizedPod, f: IpFamilyName): string | undefined {
  if (f === 'IPv6') {
    const node = p.node ? dp.nodeByName(p.node) : undefined;
    const link = node && podLinks6(node).find((l) => l.pod === `${p.namespace}/${p.name}`);
    return link?.eth0.addresses[0]?.split('/')[0];
  }
  const own = dp.podRoutes(p).find((r) => r.src !== undefined);
  return own?.src !== undefined ? formatIp(own.src) : undefined;
}

const ref = (p: RealizedPod) => `pod/${p.namespace}/${p.name}`;

/**
 * Samples, per node, one pod and traces to one pod on every other node (bounded for big clusters), in the cluster's
 * primary family (the one a trace takes by default).
 */
export function checkThreeRules(dp: Dataplane, maxNodes = 20): RuleCheck[] {
  const c = dp.cluster;
  const family = primaryFamily(c.cluster);
  const onPodNetwork = (p: RealizedPod) => !p.hostNetwork && podIp(p, family) !== undefined;
  // The first maxNodes nodes with a pod on the pod network (no need to list every node's pods at 5,000 nodes).
  const nodes: typeof c.nodes = [];
  for (const n of c.nodes) {
    if (nodes.length >= maxNodes) break;
    if (n.pods.some(onPodNetwork)) nodes.push(n);
  }
  const sample = nodes.map((n) => n.pods.find(onPodNetwork)!);
  const at = (p: RealizedPod) => podIp(p, family)!;
  const port = (p: RealizedPod) => p.ports[0]?.containerPort ?? 80;
  // The rules are about addresses: a port --random-fully remaps (node -> remote pod) still leaves the node's address.
  const unchanged = (hops: Hop[]) =>
    hops.every(
      (h) => !h.packet || (h.packet.before.src === h.packet.after.src && h.packet.before.dst === h.packet.after.dst),
    );

  // A NetworkPolicy may forbid a connection; the rules are about addresses, so such pairs are left out.
  const blocked = (r: ReturnType<typeof trace>) =>
    r.ok && r.result.verdict === 'dropped' && r.result.reason.startsWith('NetworkPolicy');
  let skipped = 0;
  let podPairs = 0;
  let podBad: string | undefined;
  for (const a of sample) {
    for (const b of sample) {
      if (a === b) continue;
      const r = trace(dp, { from: ref(a), to: ref(b), port: port(b), family });
      if (blocked(r)) {
        skipped++;
        continue;
      }
      podPairs++;
      if (!podBad && (!r.ok || r.result.verdict !== 'delivered' || !unchanged(r.result.hops))) {
        podBad = `${a.name} (${at(a)}) → ${b.name} (${at(b)}): ${r.ok ? (r.result.verdict === 'delivered' ? 'addresses were rewritten on the way' : r.result.reason) : r.message}`;
      }
    }
  }
  let nodePairs = 0;
  let nodeBad: string | undefined;
  for (const n of c.nodes.slice(0, maxNodes)) {
    for (const b of sample) {
      const r = trace(dp, { from: `node/${n.name}`, to: ref(b), port: port(b), family });
      if (blocked(r)) {
        skipped++;
        continue;
      }
      nodePairs++;
      if (!nodeBad && (!r.ok || r.result.verdict !== 'delivered' || !unchanged(r.result.hops))) {
        nodeBad = `node ${n.name} → ${b.name} (${at(b)}): ${r.ok ? (r.result.verdict === 'delivered' ? 'addresses were rewritten on the way' : r.result.reason) : r.message}`;
      }
    }
  }
  let selfBad: string | undefined;
  for (const p of sample) {
    const seen = eth0Address(dp, p, family);
    if (!selfBad && seen !== at(p)) selfBad = `${p.name}: its eth0 has ${seen ?? 'no address'}, others use ${at(p)}`;
  }
  return [
    {
      rule: 'pod to pod without NAT',
      holds: !podBad,
      evidence: `${podPairs} pod pair${podPairs === 1 ? '' : 's'} across ${sample.length} node${sample.length === 1 ? '' : 's'} traced; every packet arrived with the addresses it left with${skipped ? ` (${skipped} pair${skipped === 1 ? '' : 's'} blocked by NetworkPolicy left out)` : ''}`,
      ...(podBad ? { counterexample: podBad } : {}),
    },
    {
      rule: 'node to pod without NAT',
      holds: !nodeBad,
      evidence: `${nodePairs} node → pod traces; the pod sees the node's own address`,
      ...(nodeBad ? { counterexample: nodeBad } : {}),
    },
    {
      rule: 'a pod sees itself at the IP others see it at',
      holds: !selfBad,
      evidence: `${sample.length} pods: the address on each pod's eth0 is the one the others send to`,
      ...(selfBad ? { counterexample: selfBad } : {}),
    },
  ];
}
