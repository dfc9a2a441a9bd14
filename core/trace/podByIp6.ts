// The pod holding an IPv6 address: host-local hands it out of the IPv6 PodCIDR of the pod's node, so the
// address's node is found by its PodCIDR (indexed once per cluster) and the pod among that node's pods.
import { formatIp6, parseIp6 } from '../ip/cidr6';
import { peers6 } from '../dataplane/routes6';
import type { RealizedCluster, RealizedNode, RealizedPod } from '../api/types';

/**
 * Prefix length -> PodCIDR base (hex) -> node: nodes may hold blocks of two sizes after a node-mask change. The
 * bases are keyed as text: V8 hashes a BigInt by its low bits, and /64 bases differ only in their high ones.
 */
type Ip6Owners = Map<number, Map<string, RealizedNode>>;

const owners = new WeakMap<RealizedCluster, Ip6Owners>();

function ownersOf(c: RealizedCluster): Ip6Owners {
  let by = owners.get(c);
  if (by) return by;
  by = new Map();
  for (const { node, podCIDR } of peers6(c)) {
    let bases = by.get(podCIDR.prefix);
    if (!bases) by.set(podCIDR.prefix, (bases = new Map()));
    bases.set(podCIDR.base.toString(16), node);
  }
  owners.set(c, by);
  return by;
}

export function podByIp6(c: RealizedCluster, ip: string): RealizedPod | undefined {
  const a = parseIp6(ip);
  if (!a.ok) return undefined;
  const text = formatIp6(a.value);
  for (const [prefix, bases] of ownersOf(c)) {
    const base = a.value & ~((1n << BigInt(128 - prefix)) - 1n);
    const n = bases.get(base.toString(16));
    if (n) return n.pods.find((p) => !p.hostNetwork && p.ips?.some((x) => x === text));
  }
  return undefined;
}
