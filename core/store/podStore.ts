// Pods as columns. realize fills one typed-array entry per pod; a pod's object
// and its name are made when something reads them. A 150,000-pod cluster is
// then a few megabytes of numbers: realize allocates no object per pod, and a
// worker hands the page the numbers instead of 150,000 objects to copy.
import { formatIp, networkOf, parseCidr } from '../ip/cidr';
import { formatIp6, parseCidr6 } from '../ip/cidr6';
import type { RealizedPod } from '../api/types';
import { generatedPodName, namePrefix, nameSeed, ownerOf, type PodGroup } from './podNames';

export { deploymentHash, generatedPodName, nameSeed, ownerOf, type PodGroup } from './podNames';

/** What realize computed for every pod, as plain data a worker can post. */
export interface PackedPods {
  groups: PodGroup[];
  groupOf: Int32Array;
  /** Node index, -1 when not scheduled. */
  nodeOf: Int32Array;
  /** The pod's IPv4 as a uint32 (meaningful only when Running). */
  ipOf: Uint32Array;
  /** -1 when Running; otherwise the index of the Pending reason in `reasons`. */
  reasonOf: Int32Array;
  reasons: string[];
  /** Dual-stack only: each pod's IPv6 address as its offset in its node's IPv6 PodCIDR (0: none). */
  ip6Of?: Uint32Array;
  /** Dual-stack only, per node: its IPv6 PodCIDR ("" when none) and its IPv6 address (hostNetwork pods share it). */
  nodes6?: { podCIDR: string; ip: string }[];
  /** IPv6 single-stack: ipOf holds each pod's offset in its node's IPv6 PodCIDR (ip6Of is the same column). */
  v6only?: boolean;
  /** Dual-stack with IPv6 first: a pod's primary address (status.podIP) is its IPv6 one. */
  v6first?: boolean;
}

export class PodStore {
  private readonly objects: (RealizedPod | undefined)[];
  private readonly names: (string[] | undefined)[];
  private readonly groupPrefixes: (string | undefined)[];
  private everyPod: RealizedPod[] | undefined;
  private barePods: ReadonlySet<string> | undefined;
  private byOwnerName: Map<string, number[]> | undefined;
  private rangeIndex: Map<number, Map<number, number[]>> | undefined;
  private nodeStart: Int32Array | undefined;
  private nodeList: Int32Array | undefined;
  private bases6: (bigint | undefined)[] | undefined;

  /** `nodeCidrs`: each node's PodCIDR (host-local hands its pods addresses from it), for lookups by address. */
  constructor(
    readonly packed: PackedPods,
    private readonly nodeNames: readonly string[],
    private readonly nodeCidrs: readonly (string | null)[] = [],
  ) {
    this.objects = new Array<RealizedPod | undefined>(packed.groupOf.length);
    this.names = new Array<string[] | undefined>(packed.groups.length);
    this.groupPrefixes = new Array<string | undefined>(packed.groups.length);
  }

  /** What a group's pod names start with: the bare Pod's whole name, else "<workload>[-<pod-template-hash>]". */
  prefixOf(gi: number): string {
    const g = this.packed.groups[gi]!;
    return (this.groupPrefixes[gi] ??= g.kind === 'Pod' ? g.name : namePrefix(g));
  }

  /** The bare Pods, as "namespace/name": generated names steer clear of them. */
  barePodKeys(): ReadonlySet<string> {
    return (this.barePods ??= new Set(
      this.packed.groups.filter((g) => g.kind === 'Pod').map((g) => `${g.namespace}/${g.name}`),
    ));
  }

  get count(): number {
    return this.packed.groupOf.length;
  }

  group(i: number): PodGroup {
    return this.packed.groups[this.packed.groupOf[i]!]!;
  }

  isRunning(i: number): boolean {
    return this.packed.reasonOf[i] === -1;
  }

  /** The pod's primary address (status.podIP): IPv4, or its IPv6 one when IPv6 is the cluster's primary family. */
  ip(i: number): string | null {
    if (this.packed.v6only) return this.ip6(i);
    // A pod on a node without an IPv6 range (a pinned single podCIDR) has its IPv4 address only.
    if (this.packed.v6first) return this.ip6(i) ?? this.ip4(i);
    return this.ip4(i);
  }

  /** The pod's IPv4 address; null when not Running or in an IPv6 single-stack cluster. */
  ip4(i: number): string | null {
    return this.isRunning(i) && !this.packed.v6only ? formatIp(this.packed.ipOf[i]!) : null;
  }

  /** The pod's IPv6 address in a dual-stack cluster; null when single-stack, not Running or its node has no IPv6 range. */
  ip6(i: number): string | null {
    const { ip6Of, nodes6 } = this.packed;
    if (!ip6Of || !nodes6 || !this.isRunning(i)) return null;
    const n = this.packed.nodeOf[i]!;
    if (this.group(i).spec.hostNetwork) return nodes6[n]?.ip ?? null;
    const bases = (this.bases6 ??= nodes6.map((x) => {
      const p = x.podCIDR ? parseCidr6(x.podCIDR) : undefined;
      return p?.ok ? p.value.base : undefined;
    }));
    const base = bases[n];
    return base === undefined || ip6Of[i] === 0 ? null : formatIp6(base + BigInt(ip6Of[i]!));
  }

  /** status.podIPs in a dual-stack cluster (the primary family first) or an IPv6 one; undefined in an IPv4 one. */
  ips(i: number): string[] | undefined {
    if (!this.packed.ip6Of) return undefined;
    if (this.packed.v6only) {
      const only = this.ip6(i);
      return only === null ? [] : [only];
    }
    const v4 = this.ip4(i);
    const v6 = this.ip6(i);
    if (v4 === null) return [];
    if (v6 === null) return [v4];
    return this.packed.v6first ? [v6, v4] : [v4, v6];
  }

  node(i: number): string | null {
    const n = this.packed.nodeOf[i]!;
    return n < 0 ? null : this.nodeNames[n]!;
  }

  name(i: number): string {
    const g = this.packed.groupOf[i]!;
    return this.groupNames(g)[i - this.packed.groups[g]!.first]!;
  }

  /** The pod object, made once: every reader shares it. */
  pod(i: number): RealizedPod {
    const hit = this.objects[i];
    if (hit) return hit;
    const g = this.group(i);
    const reason = this.packed.reasonOf[i]!;
    // One object shape for every pod (optional fields present, maybe undefined).
    const pod: RealizedPod = {
      namespace: g.namespace,
      name: this.name(i),
      owner: ownerOf(g),
      labels: g.spec.labels,
      ports: g.spec.ports,
      hostNetwork: g.spec.hostNetwork,
      dnsPolicy: g.spec.dnsPolicy,
      dnsConfig: g.spec.dnsConfig,
      node: this.node(i),
      ip: this.ip(i),
      ips: this.ips(i),
      phase: reason === -1 ? 'Running' : 'Pending',
      reason: reason === -1 ? undefined : this.packed.reasons[reason],
    };
    this.objects[i] = pod;
    return pod;
  }

  /** Every pod, in creation order. */
  all(): RealizedPod[] {
    if (!this.everyPod) {
      const out = new Array<RealizedPod>(this.count);
      for (let i = 0; i < out.length; i++) out[i] = this.pod(i);
      this.everyPod = out;
    }
    return this.everyPod;
  }

  /** A group's pod names, as the ReplicaSet controller would have generated them (seeded, not random). */
  groupNames(gi: number): string[] {
    const cached = this.names[gi];
    if (cached) return cached;
    const g = this.packed.groups[gi]!;
    let out: string[];
    if (g.names) out = g.names;
    else if (g.kind === 'Pod') out = [g.name];
    else if (g.kind === 'StatefulSet') {
      // getPodName: NAME-ORDINAL, no random part.
      out = new Array<string>(g.size);
      for (let i = 0; i < g.size; i++) out[i] = `${g.name}-${(g.ordinalsStart ?? 0) + i}`;
    } else {
      const prefix = this.prefixOf(gi);
      const seed = nameSeed(g, prefix);
      const bare = this.barePodKeys();
      // Names only collide inside one group (they share the prefix) or with a bare Pod.
      const used = new Set<string>();
      out = new Array<string>(g.size);
      for (let i = 0; i < g.size; i++) out[i] = generatedPodName(g, prefix, seed, i, i, used, bare);
    }
    this.names[gi] = out;
    return out;
  }

  /** Pod indexes on node `n`, in creation order. */
  indexesOnNode(n: number): Int32Array {
    if (!this.nodeStart || !this.nodeList) {
      // Counting sort of the pods by node: one pass to count, one to place.
      const nodeOf = this.packed.nodeOf;
      const start = new Int32Array(this.nodeNames.length + 1);
      for (let i = 0; i < nodeOf.length; i++) if (nodeOf[i]! >= 0) start[nodeOf[i]! + 1]!++;
      for (let k = 0; k < this.nodeNames.length; k++) start[k + 1]! += start[k]!;
      const fill = start.slice(0, -1);
      const list = new Int32Array(start[this.nodeNames.length]!);
      for (let i = 0; i < nodeOf.length; i++) if (nodeOf[i]! >= 0) list[fill[nodeOf[i]!]!++] = i;
      this.nodeStart = start;
      this.nodeList = list;
    }
    return this.nodeList.subarray(this.nodeStart[n]!, this.nodeStart[n + 1]!);
  }

  podsOnNode(n: number): RealizedPod[] {
    return Array.from(this.indexesOnNode(n), (i) => this.pod(i));
  }

  /** The pod called `name` in `namespace` (any namespace when undefined); -1 when none. */
  indexOfName(namespace: string | undefined, name: string): number {
    for (const i of this.namedPods(namespace, name)) return i;
    return -1;
  }

  /** Every pod called `name`, in any namespace: generated names are unique within a namespace only. */
  indexesOfName(name: string): number[] {
    return [...this.namedPods(undefined, name)];
  }

  private *namedPods(namespace: string | undefined, name: string): Generator<number> {
    const byName = (this.byOwnerName ??= this.groupsByName());
    // The owner's name is the pod's name less one "-xxxxx" (bare Pod: none; ReplicaSet: one; Deployment: two,
    // the pod-template-hash and the suffix). Only those groups' names are generated.
    const cut1 = name.lastIndexOf('-');
    const cut2 = cut1 > 0 ? name.lastIndexOf('-', cut1 - 1) : -1;
    for (const key of [name, cut1 > 0 ? name.slice(0, cut1) : undefined, cut2 > 0 ? name.slice(0, cut2) : undefined]) {
      if (key === undefined) continue;
      for (const gi of byName.get(key) ?? []) {
        const g = this.packed.groups[gi]!;
        if (namespace !== undefined && g.namespace !== namespace) continue;
        const at = this.groupNames(gi).indexOf(name);
        if (at >= 0) yield g.first + at;
      }
    }
  }

  private groupsByName(): Map<string, number[]> {
    const m = new Map<string, number[]>();
    this.packed.groups.forEach((g, gi) => {
      const key = g.name;
      const list = m.get(key);
      if (list) list.push(gi);
      else m.set(key, [gi]);
    });
    return m;
  }

  /**
   * The Running pod on the pod network (not hostNetwork) holding `ip`; -1 when
   * none. The last one wins. A pod's address comes from its node's PodCIDR, so
   * only the pods of the node(s) whose range holds it are looked at.
   */
  indexOfIp(ip: number): number {
    const { ipOf, reasonOf, groupOf, groups } = this.packed;
    let found = -1;
    for (const [prefix, byBase] of (this.rangeIndex ??= this.buildRangeIndex())) {
      for (const node of byBase.get(networkOf(ip, prefix)) ?? []) {
        for (const i of this.indexesOnNode(node)) {
          if (i > found && ipOf[i] === ip && reasonOf[i] === -1 && !groups[groupOf[i]!]!.spec.hostNetwork) found = i;
        }
      }
    }
    return found;
  }

  /** prefix length -> network address -> nodes with that PodCIDR (one prefix unless PodCIDRs were pinned). */
  private buildRangeIndex(): Map<number, Map<number, number[]>> {
    const out = new Map<number, Map<number, number[]>>();
    this.nodeCidrs.forEach((text, node) => {
      const c = text ? parseCidr(text) : undefined;
      if (!c?.ok) return;
      let byBase = out.get(c.value.prefix);
      if (!byBase) out.set(c.value.prefix, (byBase = new Map()));
      const list = byBase.get(c.value.base);
      if (list) list.push(node);
      else byBase.set(c.value.base, [node]);
    });
    return out;
  }
}
