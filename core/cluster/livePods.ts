// Pods in a live cluster: which running pods an edit keeps (on their node, with their IP), which it
// removes, and which new ones the controllers create, kind by kind, as the real controllers would.
import { deploymentHash, generatedPodName, nameSeed, type PodGroup } from '../store/podStore';
import { deletionOrder, type DeletionCandidate } from './scaleDown';
import { groupKey, type LiveDeployment, type LiveReplicaSet, type LiveState } from './liveState';
import type { HostLocalRange } from '../ipam/hostLocal';
import type { GroupDecl } from './podGroups';
import type { NodeState } from './realizeNodes';
import type { PodSpecLite } from '../api/types';

/** A pod of the new state: kept (node >= 0, running with `ip`) or to be scheduled (node -1). */
interface Slot {
  name: string;
  node: number;
  ip: number;
  born: number;
  /** A DaemonSet pod's node. */
  target?: number;
}

interface GroupPlan {
  kept: Slot[];
  placed: Slot[];
  templateHash?: string;
}

/** What realize's column writer does with one pod: bind it to node `at` (-1: Pending) with `keptIp` if given. */
export type BindPod = (gi: number, at: number, unschedulable: string, hostNetwork: boolean, keptIp?: number) => boolean;

/** The scheduler's calls the planner needs (schedule.ts). */
interface Placer {
  place(spec: PodSpecLite, replicas: number, prefer?: number[]): { nodes: Int32Array; reason?: string };
  placeOnNodes(targets: readonly number[]): { nodes: Int32Array; reason?: string };
}

const sameTemplate = (a: PodSpecLite, b: PodSpecLite) =>
  a.revision === b.revision && deploymentHash(a) === deploymentHash(b);

export class LivePlanner {
  /** Per new node: the pods kept on it (the scheduler starts from these counts). */
  readonly keptOn: Int32Array;
  /** Per pod bound, in column order: the edit that created it. */
  readonly born: number[] = [];
  readonly serials = new Map<string, number>();
  readonly deployments = new Map<string, LiveDeployment>();
  readonly edit: number;
  private readonly plans: GroupPlan[];
  private readonly nodeMap: Int32Array;

  constructor(
    private readonly prev: LiveState,
    nodes: readonly NodeState[],
    private readonly ranges: readonly (HostLocalRange | null)[],
    decls: readonly GroupDecl[],
    private readonly bare: ReadonlySet<string>,
  ) {
    this.edit = prev.edit + 1;
    this.keptOn = new Int32Array(nodes.length);
    // A node keeps its pods when it is still there with the same PodCIDR (a node removed and added again
    // under its name is a new node: its old pods were garbage-collected with it).
    const byName = new Map(nodes.map((n, i) => [n.name, i]));
    this.nodeMap = Int32Array.from(prev.podNodes, (name) => {
      const i = byName.get(name);
      const was = prev.nodes.podCIDRs.get(name);
      const now = i === undefined ? null : nodes[i]!.podCIDR;
      if (i === undefined || (was?.base ?? -1) !== (now?.base ?? -1) || (was?.prefix ?? -1) !== (now?.prefix ?? -1))
        return -1;
      return i;
    });
    nodes.forEach((n, i) => {
      const last = prev.lastReserved.get(n.name);
      if (last !== undefined && this.nodeMap.includes(i)) ranges[i]?.restore(undefined, last);
    });
    const prevGroups = new Map(prev.pods.packed.groups.map((g, gi) => [groupKey(g), gi]));
    this.plans = decls.map((d) => this.planGroup(d, prevGroups.get(groupKey(d))));
  }

  /** The previous pods of group `pgi` that still run where they ran (their node kept its PodCIDR). */
  private survivors(pgi: number | undefined, hostNetwork: boolean): { running: Slot[]; pending: Slot[] } {
    const running: Slot[] = [];
    const pending: Slot[] = [];
    if (pgi === undefined) return { running, pending };
    const store = this.prev.pods;
    const { groups, nodeOf, ipOf, reasonOf } = store.packed;
    const g = groups[pgi]!;
    const names = store.groupNames(pgi);
    for (let k = 0; k < g.size; k++) {
      const i = g.first + k;
      const born = this.prev.bornOf?.[i] ?? 0;
      const slot: Slot = { name: names[k]!, node: -1, ip: 0, born };
      if (reasonOf[i] !== -1) {
        if (nodeOf[i]! < 0) pending.push(slot);
        continue;
      }
      const at = this.nodeMap[nodeOf[i]!]!;
      if (at < 0) continue; // its node is gone: the pod garbage collector deleted it
      slot.node = at;
      slot.ip = hostNetwork ? 0 : ipOf[i]!;
      running.push(slot);
    }
    return { running, pending };
  }

  /** Takes the kept pods' addresses and node places; a pod whose address cannot be had again is not kept. */
  private keep(slots: Slot[], hostNetwork: boolean): Slot[] {
    return slots.filter((s) => {
      if (!hostNetwork && !this.ranges[s.node]?.restore(s.ip)) return false;
      this.keptOn[s.node]!++;
      return true;
    });
  }

  private planGroup(d: GroupDecl, pgi: number | undefined): GroupPlan {
    const key = groupKey(d);
    const hostNetwork = d.spec.hostNetwork;
    this.serials.set(key, this.prev.serials.get(key) ?? 0);
    const prevGroup = pgi === undefined ? undefined : this.prev.pods.packed.groups[pgi]!;
    const same = prevGroup !== undefined && sameTemplate(prevGroup.spec, d.spec);
    const want = Math.max(0, d.replicas);
    let templateHash: string | undefined;
    if (d.kind === 'Deployment') templateHash = this.rollout(d, same && prevGroup !== undefined);
    // A ReplicaSet leaves running pods alone when its template changes; every other controller replaces them.
    const carry = same || (d.kind === 'ReplicaSet' && prevGroup !== undefined);
    const { running, pending } = carry ? this.survivors(pgi, hostNetwork) : { running: [], pending: [] };
    if (d.kind === 'StatefulSet') return this.planStatefulSet(d, running, pending, prevGroup !== undefined && !same);
    if (d.daemonNodes) return this.planDaemonSet(d, key, running);
    let kept = running;
    let waiting = pending;
    if (kept.length + waiting.length > want) {
      const all: DeletionCandidate[] = [...pending, ...running].map((s) => ({ ...s, running: s.node >= 0 }));
      const onNode = new Map<number, number>();
      for (const s of running) onNode.set(s.node, (onNode.get(s.node) ?? 0) + 1);
      const gone = new Set(deletionOrder(all, (n) => onNode.get(n) ?? 0).slice(0, all.length - want));
      waiting = pending.filter((_, i) => !gone.has(i));
      kept = running.filter((_, i) => !gone.has(pending.length + i));
    }
    kept = this.keep(kept, hostNetwork);
    const placed = [...waiting];
    const names = new Set([...kept, ...waiting].map((s) => s.name));
    if (d.kind === 'Pod') {
      if (kept.length + placed.length < want) placed.push({ name: d.name, node: -1, ip: 0, born: this.edit });
    } else this.newPods(d, key, templateHash, want - kept.length - placed.length, names, placed);
    return { kept, placed, ...(templateHash !== undefined ? { templateHash } : {}) };
  }

  /** `count` new pods with generated names: serials continue, so a name never comes back. */
  private newPods(
    d: GroupDecl,
    key: string,
    templateHash: string | undefined,
    count: number,
    used: Set<string>,
    out: Slot[],
  ): void {
    let serial = this.serials.get(key) ?? 0;
    const g = { kind: d.kind, namespace: d.namespace, indexed: d.extra?.indexed } as PodGroup;
    const prefix = templateHash !== undefined ? `${d.name}-${templateHash}` : d.name;
    const seed = nameSeed(g, prefix);
    // An Indexed Job recreates the completion indexes no running pod holds.
    const held = new Set([...used].map((n) => Number(n.slice(prefix.length + 1).split('-')[0])));
    let index = 0;
    for (let k = 0; k < count; k++) {
      while (g.indexed && held.has(index)) index++;
      held.add(index);
      out.push({
        name: generatedPodName(g, prefix, seed, serial++, index, used, this.bare),
        node: -1,
        ip: 0,
        born: this.edit,
      });
    }
    this.serials.set(key, serial);
  }

  /**
   * The ReplicaSet a Deployment runs after the edit (pkg/controller/deployment sync.go): the same one when its
   * template is unchanged; an older one whose template matches (a rollback); else a new one, its hash from
   * controller.ComputeHash with status.collisionCount bumped while the hash names an existing ReplicaSet.
   */
  private rollout(d: GroupDecl, unchanged: boolean): string {
    const dk = `${d.namespace}/${d.name}`;
    const hist = this.prev.deployments.get(dk);
    const shape = deploymentHash(d.spec);
    if (!hist) {
      this.deployments.set(dk, { current: { hash: shape, shape, revision: d.spec.revision }, old: [] });
      return shape;
    }
    if (unchanged) {
      this.deployments.set(dk, hist);
      return hist.current.hash;
    }
    const all = [...hist.old, hist.current];
    const back = hist.old.find((rs) => rs.revision === d.spec.revision && rs.shape === shape);
    let collisionCount = hist.collisionCount;
    let hash = back?.hash;
    if (hash === undefined) {
      hash = deploymentHash(d.spec, collisionCount);
      while (all.some((rs) => rs.hash === hash)) {
        collisionCount = (collisionCount ?? 0) + 1;
        hash = deploymentHash(d.spec, collisionCount);
      }
    }
    const current: LiveReplicaSet = { hash, shape, revision: d.spec.revision };
    // revisionHistoryLimit: the Deployment controller keeps ten old ReplicaSets.
    const old = all.filter((rs) => rs.hash !== hash).slice(-10);
    this.deployments.set(dk, { current, old, ...(collisionCount !== undefined ? { collisionCount } : {}) });
    return hash;
  }

  /**
   * StatefulSet pods are NAME-ORDINAL: scale-down removes the highest ordinals, scale-up adds the missing
   * ones, and a rolling update deletes and recreates every pod under its name, largest ordinal first.
   */
  private planStatefulSet(d: GroupDecl, running: Slot[], pending: Slot[], rolled: boolean): GroupPlan {
    const start = d.extra?.ordinalsStart ?? 0;
    const had = new Map([...running, ...pending].map((s) => [s.name, s]));
    const kept: Slot[] = [];
    const placed: Slot[] = [];
    for (let k = 0; k < Math.max(0, d.replicas); k++) {
      const name = `${d.name}-${start + k}`;
      const s = had.get(name);
      if (s && s.node >= 0) kept.push(s);
      else placed.push(s ?? { name, node: -1, ip: 0, born: this.edit });
    }
    if (rolled) placed.reverse();
    return { kept: this.keep(kept, d.spec.hostNetwork), placed };
  }

  /** A DaemonSet keeps its pod on every node that still qualifies and adds one on each node that newly does. */
  private planDaemonSet(d: GroupDecl, key: string, running: Slot[]): GroupPlan {
    const targets = d.daemonNodes!;
    const eligible = new Set(targets);
    const onNode = new Map(running.filter((s) => eligible.has(s.node)).map((s) => [s.node, s]));
    const kept = this.keep([...onNode.values()], d.spec.hostNetwork);
    const placedOn = new Set(kept.map((s) => s.node));
    const missing = targets.filter((t) => !placedOn.has(t));
    const placed: Slot[] = [];
    this.newPods(d, key, undefined, missing.length, new Set(kept.map((s) => s.name)), placed);
    placed.forEach((s, i) => (s.target = missing[i]));
    return { kept, placed };
  }

  /** Writes group `k`'s pods through `bind`: kept ones where they run, new ones where the scheduler puts them. */
  bindGroup(
    k: number,
    d: GroupDecl,
    group: PodGroup,
    gi: number,
    sched: Placer,
    bind: BindPod,
    prefer?: number[],
  ): void {
    const plan = this.plans[k]!;
    const hostNetwork = d.spec.hostNetwork;
    if (plan.templateHash !== undefined) group.templateHash = plan.templateHash;
    const names: string[] = [];
    const add = (s: Slot, at: number, reason: string, ip?: number) => {
      names.push(s.name);
      this.born.push(s.born);
      if (bind(gi, at, reason, hostNetwork, ip)) group.running++;
    };
    for (const s of plan.kept) add(s, s.node, '', hostNetwork ? undefined : s.ip);
    if (d.ordered) {
      // OrderedReady: a new pod only once the ones before it run.
      for (const s of plan.placed) {
        const p = sched.place(d.spec, 1);
        add(s, p.nodes[0]!, p.reason ?? '');
        if (p.nodes[0]! < 0) break;
      }
    } else {
      const p = d.daemonNodes
        ? sched.placeOnNodes(plan.placed.map((s) => s.target!))
        : sched.place(d.spec, plan.placed.length, prefer);
      plan.placed.forEach((s, i) => add(s, p.nodes[i]!, p.reason ?? ''));
    }
    group.size = names.length;
    group.names = names;
  }
}
