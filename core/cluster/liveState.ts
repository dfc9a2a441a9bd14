// A live cluster's state between edits: what realize leaves behind for the next realize, so that an
// edit changes only what Kubernetes would change (running pods keep their node and IP, Services their
// ClusterIP and NodePorts, nodes their PodCIDR, the allocators their position).
import type { Cidr6 } from '../ip/cidr6';
import type { Cidr } from '../ip/types';
import { packOf } from '../store/packedCluster';
import type { PodGroup, PodStore } from '../store/podStore';
import { NodesBefore, type CarriedNodes, type NodeState } from './realizeNodes';
import type { SelectedBefore } from './selectedGroups';
import type { PodSpecLite, RealizedCluster } from '../api/types';

/** A ReplicaSet a Deployment has made: its pod-template-hash and the template revision it runs. */
export interface LiveReplicaSet {
  hash: string;
  /** The hash of the template alone (no collisionCount): with the revision, which template it runs. */
  shape: string;
  revision: string | undefined;
  /** The template it runs (its pods' spec): an old ReplicaSet recreates lost pods from it. */
  spec?: PodSpecLite;
}

/** A Deployment's rollout history: the ReplicaSet in use, the older ones (for a rollback) and collisionCount. */
export interface LiveDeployment {
  current: LiveReplicaSet;
  /** Older ReplicaSets, newest last (revisionHistoryLimit 10 keeps ten). */
  old: LiveReplicaSet[];
  /** status.collisionCount: bumped when a new template's hash names an existing ReplicaSet. */
  collisionCount?: number;
}

/** The addresses a Service holds: the apiserver never changes them while the Service exists. */
export interface CarriedService {
  clusterIP: string | null;
  /** Dual-stack: both ClusterIPs, primary first. */
  clusterIPs?: readonly string[];
  ports: readonly { name: string; protocol: string; nodePort: number | null }[];
}

/** Per node, in order (its IPv4 PodCIDR is nodes.podCIDRs'): its IPv6 PodCIDR and host-local's last reserved addresses. */
export interface PodNodeRanges {
  /** Its IPv6 PodCIDR, as nodes.family6.podCIDRs carries it. */
  podCIDR6: readonly (Cidr6 | undefined)[];
  /** last_reserved_ip.0: the last address host-local handed out on it. */
  lastReserved: readonly (number | undefined)[];
  /** Dual-stack: last_reserved_ip.1, an offset in its IPv6 range. */
  lastReserved6: readonly (number | undefined)[];
}

export interface LiveState {
  /** Edits applied so far: each pod remembers the edit that created it (its age, for scale-down). */
  edit: number;
  nodes: CarriedNodes;
  services: ReadonlyMap<string, CarriedService>;
  /** The groups and Services before the edit, with the groups each Service's selector matched. */
  selected: SelectedBefore;
  /** The pods before the edit: groups, columns and names. */
  pods: PodStore;
  /** The nodes the pod columns' node indexes refer to. */
  podNodes: readonly string[];
  /** Per node of podNodes, in order: what `nodes` holds for it, by place (no lookup by name per node). */
  podNodeRanges: PodNodeRanges;
  /** Per pod: the edit that created it. */
  bornOf: Int32Array | undefined;
  /** Group key -> the next serial its generated names use (names never come back after a scale-down); a group not listed has used as many as it has pods. */
  serials: ReadonlyMap<string, number>;
  /** "namespace/name" -> rollout history; none yet for a Deployment whose template never changed. */
  deployments: ReadonlyMap<string, LiveDeployment>;
}

/** What realize records beside a cluster for the next edit. */
export interface LiveRecord {
  edit: number;
  /** The nodes as realize made them (their addresses as numbers: nothing to parse back from the text). */
  nodes: readonly NodeState[];
  /** Per node, in node order: host-local's last reserved address. */
  lastReserved: (number | undefined)[];
  cidrNext: number;
  /** cidrSetKey of the cluster CIDR and node mask cidrNext counts in. */
  cidrSet: string;
  /** Dual-stack: the same for the IPv6 range and cidrset. */
  family6?: { lastReserved: (number | undefined)[]; cidrNext: number; cidrSet: string };
  bornOf?: Int32Array;
  serials?: ReadonlyMap<string, number>;
  deployments?: ReadonlyMap<string, LiveDeployment>;
}

const records = new WeakMap<RealizedCluster, LiveRecord>();

export function recordLive(c: RealizedCluster, r: LiveRecord): void {
  records.set(c, r);
}

/** How many edits made `c` (0: a new cluster); undefined for a cluster not made by realize. */
export function editsOf(c: RealizedCluster): number | undefined {
  return records.get(c)?.edit;
}

/**
 * Going from `before` to `after` steps back in one live cluster's history (an Undo): the explorer returns to the
 * very state it left, which a real cluster never does.
 */
export const stepsBack = (before: RealizedCluster, after: RealizedCluster): boolean =>
  (editsOf(after) ?? 0) < (editsOf(before) ?? 0);

export const groupKey = (g: Pick<PodGroup, 'kind' | 'namespace' | 'name'>): string =>
  `${g.kind}/${g.namespace}/${g.name}`;

/** The state a realized cluster leaves for the next edit; undefined for a cluster not made by realize. */
export function liveStateOf(c: RealizedCluster): LiveState | undefined {
  const pack = packOf(c);
  const rec = records.get(c);
  if (!pack || !rec) return undefined;
  const { packed, store } = pack;
  const v6 = { ips: new Map<string, bigint>(), podCIDRs: new Map<string, Cidr6>() };
  const cidrAt = new Array<Cidr | undefined>(rec.nodes.length);
  const cidr6At = new Array<Cidr6 | undefined>(rec.nodes.length);
  rec.nodes.forEach((n, i) => {
    if (n.podCIDR) cidrAt[i] = n.podCIDR;
    if (!rec.family6) return;
    // The IPv6 halves of a dual-stack node's InternalIPs and spec.podCIDRs (an IPv6 PodCIDR only beside an IPv4 one).
    const f = n.family6;
    if (f) v6.ips.set(n.name, f.ip);
    // (In an IPv6 single-stack cluster, with no IPv4 cidrset, the IPv6 PodCIDR is the node's only one.)
    if ((n.podCIDR || rec.cidrSet === '') && f?.podCIDR) v6.podCIDRs.set(n.name, (cidr6At[i] = f.podCIDR));
  });
  const podNodes = packed.nodes.map((n) => n.name);
  const family6 = rec.family6
    ? { ips: v6.ips, podCIDRs: v6.podCIDRs, cidrNext: rec.family6.cidrNext, cidrSet: rec.family6.cidrSet }
    : undefined;
  const services = new Map<string, CarriedService>();
  for (const { service: s } of packed.services) services.set(`${s.namespace}/${s.name}`, s);
  return {
    edit: rec.edit,
    nodes: {
      before: new NodesBefore(podNodes),
      ips: rec.nodes.map((n) => n.ip),
      podCIDRs: cidrAt,
      cidrNext: rec.cidrNext,
      cidrSet: rec.cidrSet,
      ...(family6 ? { family6 } : {}),
    },
    services,
    selected: { groups: store.packed.groups, services: packed.services },
    pods: store,
    podNodes,
    podNodeRanges: {
      podCIDR6: cidr6At,
      lastReserved: rec.lastReserved,
      lastReserved6: rec.family6?.lastReserved ?? [],
    },
    bornOf: rec.bornOf,
    serials: rec.serials ?? new Map(),
    deployments: rec.deployments ?? new Map(),
  };
}

/** The previous group of each declared one: most edits keep the groups' order, so the same place is tried first. */
export class PrevGroups {
  private byKey: Map<string, number> | undefined;
  /** Where the last match was found relative to its declaration. */
  private shift = 0;

  constructor(private readonly groups: readonly PodGroup[]) {}

  find(d: Pick<PodGroup, 'kind' | 'namespace' | 'name'>, k: number): number | undefined {
    const at = k + this.shift;
    const g = this.groups[at];
    if (g && g.name === d.name && g.kind === d.kind && g.namespace === d.namespace) return at;
    this.byKey ??= new Map(this.groups.map((p, gi) => [groupKey(p), gi]));
    const found = this.byKey.get(groupKey(d));
    if (found !== undefined) this.shift = found - k;
    return found;
  }
}
