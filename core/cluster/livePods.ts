// Pods in a live cluster: which running pods an edit keeps (on their node, with their IP), which it
// removes, and which new ones the controllers create, kind by kind, as the real controllers would.
import type { PodGroup } from '../store/podStore';
import { planNames, type GroupPlan as NamedPlan, type NewPod } from './livePodNames';
import { deletionOrder, type DeletionCandidate } from './scaleDown';
import { groupKey, PrevGroups, type LiveDeployment, type LiveState } from './liveState';
import { GroupWriter, type BindPod } from './liveBind';
import { rollout, sameTemplate } from './rollout';
import { rolloutOf, stalledRollout, type PrevPods } from './groupRollouts';
import { statefulSetPods } from './statefulSetPods';
import { recordRollout } from './rolloutReport';
import type { GroupRollout, RolloutEnv, RolloutPlacer } from './rolloutPods';
import type { PodAddressRange } from '../ipam/hostLocal';
import type { HostLocalRange6 } from '../ipam/family6';
import type { GroupDecl } from './podGroups';
import type { NodeState } from './realizeNodes';

interface GroupPlan extends NamedPlan {
  /** A changed template's rollout, run at bind time (it then makes all the group's pods). */
  rollout?: GroupRollout;
  /** The next serial the group's generated names use after the edit. */
  serial: number;
}

export class LivePlanner {
  /** Per new node: the pods kept on it (the scheduler starts from these counts). */
  readonly keptOn: Int32Array;
  /** Per pod bound, in column order: the edit that created it. */
  readonly born: Int32Array;
  private bound = 0;
  readonly serials = new Map<string, number>();
  readonly deployments = new Map<string, LiveDeployment>();
  readonly edit: number;
  private readonly plans: GroupPlan[];
  private readonly nodeMap: Int32Array;
  private readonly nodeNames: string[];

  constructor(
    private readonly prev: LiveState,
    nodes: readonly NodeState[],
    private readonly ranges: readonly (PodAddressRange | null)[],
    decls: readonly GroupDecl[],
    private readonly bare: ReadonlySet<string>,
    /** Dual-stack: each node's IPv6 range (host-local's second range). */
    private readonly ranges6?: readonly (HostLocalRange6 | null)[],
  ) {
    this.edit = prev.edit + 1;
    this.keptOn = new Int32Array(nodes.length);
    this.nodeNames = nodes.map((n) => n.name);
    // A node keeps its pods when it is still there with the same PodCIDR (a node removed and added again
    // under its name is a new node: its old pods were garbage-collected with it).
    const byName = new Map(nodes.map((n, i) => [n.name, i]));
    this.nodeMap = Int32Array.from(prev.podNodes, (name) => {
      const i = byName.get(name);
      const was = prev.nodes.podCIDRs.get(name);
      const now = i === undefined ? null : nodes[i]!.podCIDR;
      if (i === undefined || (was?.base ?? -1) !== (now?.base ?? -1) || (was?.prefix ?? -1) !== (now?.prefix ?? -1))
        return -1;
      // Its IPv6 PodCIDR too (an IPv6 single-stack node has no other).
      const was6 = prev.nodes.family6?.podCIDRs.get(name);
      const now6 = nodes[i]!.family6?.podCIDR;
      if ((was6?.base ?? -1n) !== (now6?.base ?? -1n) || (was6?.prefix ?? -1) !== (now6?.prefix ?? -1)) return -1;
      return i;
    });
    const kept = new Uint8Array(nodes.length);
    for (const i of this.nodeMap) if (i >= 0) kept[i] = 1;
    nodes.forEach((n, i) => {
      const last = prev.lastReserved.get(n.name);
      if (last !== undefined && kept[i]) ranges[i]?.restore(undefined, last);
      if (kept[i]) ranges6?.[i]?.restore(undefined, prev.lastReserved6.get(n.name));
    });
    const prevGroups = new PrevGroups(prev.pods.packed.groups);
    this.plans = decls.map((d, k) => this.planGroup(d, prevGroups.find(d, k)));
    this.born = new Int32Array(
      this.plans.reduce((n, p) => n + (p.rollout?.capacity ?? p.kept.length + p.placed.length), 0),
    );
  }

  /** The pod columns realize needs: a rollout's group may have more pods than replicas (a stalled one). */
  get capacity(): number {
    return this.born.length;
  }
  private prevPods(gi: number): PrevPods {
    const { running, pending } = this.survivors(gi);
    const group = this.prev.pods.packed.groups[gi]!;
    return { prev: this.prev, group, gi, running, pending, nodeOf: (i) => this.nodeOf(i), born: (i) => this.born0(i) };
  }

  private env(d: GroupDecl): RolloutEnv {
    const { ranges, ranges6, keptOn, nodeNames, edit } = this;
    return { ranges, ...(ranges6 ? { ranges6 } : {}), keptOn, nodeNames, hostNetwork: d.spec.hostNetwork, edit };
  }

  /**
   * The previous pods of group `pgi` still running where they ran (their node kept its PodCIDR), and the
   * Pending. With `restore` (the group keeps them all: no scale-down to choose from) they are kept at once.
   */
  private survivors(
    pgi: number | undefined,
    restore?: { hostNetwork: boolean },
  ): { running: number[]; pending: number[] } {
    const running: number[] = [];
    const pending: number[] = [];
    if (pgi === undefined) return { running, pending };
    const { groups, nodeOf, reasonOf } = this.prev.pods.packed;
    const g = groups[pgi]!;
    for (let i = g.first; i < g.first + g.size; i++) {
      if (reasonOf[i] !== -1) {
        if (nodeOf[i]! < 0) pending.push(i);
        continue;
      }
      const at = this.nodeMap[nodeOf[i]!]!;
      if (at < 0) continue; // its node is gone, and the pod with it
      if (restore) {
        if (!restore.hostNetwork && !this.restoreIps(i, at)) continue;
        this.keptOn[at]!++;
      }
      running.push(i);
    }
    return { running, pending };
  }

  private nodeOf(prevPod: number): number {
    return this.nodeMap[this.prev.pods.packed.nodeOf[prevPod]!]!;
  }

  /** Takes the kept pods' addresses and node places; a pod whose address cannot be had again is not kept. */
  private keep(pods: number[], hostNetwork: boolean): number[] {
    return pods.filter((i) => {
      const at = this.nodeOf(i);
      if (!hostNetwork && !this.restoreIps(i, at)) return false;
      this.keptOn[at]!++;
      return true;
    });
  }

  /** Previous pod `i`'s address on node `at` taken again, in each family it had one. */
  private restoreIps(i: number, at: number): boolean {
    const { ipOf } = this.prev.pods.packed;
    if (!this.ranges[at]?.restore(ipOf[i]!)) return false;
    const off = this.ip6Of(i);
    if (off === undefined || this.ranges6?.[at]?.restore(off)) return true;
    this.ranges[at]!.release(ipOf[i]!);
    return false;
  }

  /** Previous pod `i`'s offset in its node's IPv6 range, when it had an IPv6 address and the cluster still does. */
  private ip6Of(i: number): number | undefined {
    const off = this.ranges6 ? this.prev.pods.packed.ip6Of?.[i] : undefined;
    return off ? off : undefined;
  }

  private born0(i: number): number {
    return this.prev.bornOf?.[i] ?? 0;
  }

  /** The edit that created a pod to (re)create: a Pending one's own, else this one. */
  private bornOf(p: NewPod): number {
    return p.prev >= 0 ? this.born0(p.prev) : this.edit;
  }

  private planGroup(d: GroupDecl, pgi: number | undefined): GroupPlan {
    const prevGroup = pgi === undefined ? undefined : this.prev.pods.packed.groups[pgi]!;
    const { serials, deployments } = this.prev;
    const serial = (serials.size > 0 ? serials.get(groupKey(d)) : undefined) ?? prevGroup?.size ?? 0;
    const same = prevGroup !== undefined && sameTemplate(prevGroup.spec, d.spec);
    const want = Math.max(0, d.replicas);
    let templateHash: string | undefined;
    if (d.kind === 'Deployment') {
      const dk = deployments.size > 0 || !same ? `${d.namespace}/${d.name}` : undefined;
      const r = rollout(d.spec, dk === undefined ? undefined : deployments.get(dk), prevGroup, same);
      if (r.history) this.deployments.set(dk!, r.history);
      templateHash = r.hash;
    }
    // A changed template: the controller's rolling update (groupRollouts.ts) makes the group's pods.
    // A stalled one resumes on every later edit (rolling.go reconciles toward the template on each sync).
    const rolls = prevGroup && (!same || stalledRollout({ prev: this.prev, group: prevGroup, gi: pgi! }, templateHash));
    const rolling = rolls ? rolloutOf(d, this.prevPods(pgi!), this.env(d), serial, this.bare, templateHash) : undefined;
    if (rolling)
      return { kept: [], placed: [], serial, ...(templateHash !== undefined && { templateHash }), rollout: rolling };
    // A ReplicaSet leaves running pods alone when its template changes; every other controller replaces them.
    // OnDelete: a DaemonSet's or StatefulSet's pods keep the old template until someone deletes them.
    const carry =
      same || (prevGroup !== undefined && (d.kind === 'ReplicaSet' || d.updateStrategy?.type === 'OnDelete'));
    const keepAll = carry && !d.daemonNodes && d.kind !== 'StatefulSet' && prevGroup!.size <= want;
    const { running, pending } = carry
      ? this.survivors(pgi, keepAll ? { hostNetwork: d.spec.hostNetwork } : undefined)
      : { running: [], pending: [] };
    if (d.kind === 'StatefulSet') {
      const old = pgi === undefined ? [] : this.prev.pods.groupNames(pgi);
      const pods = statefulSetPods(d, old, prevGroup?.first ?? 0, running, pending, (k) =>
        this.keep(k, d.spec.hostNetwork),
      );
      return { ...pods, serial };
    }
    let kept = running;
    let waiting = pending;
    if (d.daemonNodes) {
      // One pod per node that still qualifies; a new one on each node that newly does.
      const eligible = new Set(d.daemonNodes);
      const seen = new Set<number>();
      kept = running.filter(
        (i) => eligible.has(this.nodeOf(i)) && !seen.has(this.nodeOf(i)) && seen.add(this.nodeOf(i)),
      );
      waiting = [];
    } else if (kept.length + waiting.length > want) {
      const names = this.prev.pods.groupNames(pgi!);
      const first = prevGroup!.first;
      const all: DeletionCandidate[] = [...pending, ...running].map((i, k) => ({
        name: names[i - first]!,
        node: k < pending.length ? -1 : this.nodeOf(i),
        running: k >= pending.length,
        born: this.born0(i),
      }));
      const onNode = new Map<number, number>();
      for (const i of running) onNode.set(this.nodeOf(i), (onNode.get(this.nodeOf(i)) ?? 0) + 1);
      const gone = new Set(deletionOrder(all, (n) => onNode.get(n) ?? 0).slice(0, all.length - want));
      waiting = pending.filter((_, k) => !gone.has(k));
      kept = running.filter((_, k) => !gone.has(pending.length + k));
    }
    if (!keepAll) kept = this.keep(kept, d.spec.hostNetwork);
    const placed: NewPod[] = waiting.map((i) => ({ prev: i }));
    const keptNodes = d.daemonNodes ? new Set(kept.map((i) => this.nodeOf(i))) : undefined;
    const targets = d.daemonNodes?.filter((t) => !keptNodes!.has(t));
    const count = targets
      ? targets.length
      : d.kind === 'Pod'
        ? Math.min(1, want - kept.length - placed.length)
        : want - kept.length - placed.length;
    // Names stay positional when the group is its old first pods plus new ones whose serials follow on.
    const positional =
      d.kind === 'Pod' ||
      ((!prevGroup || !prevGroup.names) &&
        placed.length === 0 &&
        kept.every((i, k) => i === prevGroup!.first + k) &&
        (count <= 0 || serial === kept.length) &&
        (prevGroup === undefined || prevGroup.templateHash === templateHash));
    for (let k = 0; k < count; k++) placed.push({ prev: -1, ...(targets ? { target: targets[k]! } : {}) });
    const next = count > 0 ? serial + count : serial;
    const plan: GroupPlan = { kept, placed, serial: next, ...(templateHash !== undefined && { templateHash }) };
    if (!positional) plan.names = planNames(this.prev.pods, d, pgi, plan, serial, this.bare);
    return plan;
  }

  /** Writes group `k`'s pods through `bind`: kept ones where they run, new ones where the scheduler puts them. */
  bindGroup(
    k: number,
    d: GroupDecl,
    group: PodGroup,
    gi: number,
    sched: RolloutPlacer,
    bind: BindPod,
    prefer?: number[],
  ): void {
    const plan = this.plans[k]!;
    const hostNetwork = d.spec.hostNetwork;
    if (plan.templateHash !== undefined) group.templateHash = plan.templateHash;
    const out = new GroupWriter(bind, group, gi, hostNetwork, this.born, this.bound);
    if (plan.rollout) {
      const { report, pods } = plan.rollout.run(sched, prefer);
      for (const p of pods) out.put(p.born, p.node, p.reason, hostNetwork ? undefined : p.ip, p.ip6);
      this.bound = out.end();
      group.names = pods.map((p) => p.name);
      this.recordSerial(d, group, plan.rollout.nextSerial);
      if (report) recordRollout(group, report);
      return;
    }
    const { ipOf } = this.prev.pods.packed;
    for (const i of plan.kept)
      out.put(
        this.born0(i),
        this.nodeOf(i),
        '',
        hostNetwork ? undefined : ipOf[i]!,
        hostNetwork ? undefined : this.ip6Of(i),
      );
    const { placed } = plan;
    if (d.ordered) {
      // OrderedReady: a new pod only once the ones before it run.
      for (const p of placed) {
        const at = sched.place(d.spec, 1);
        out.put(this.bornOf(p), at.nodes[0]!, at.reason ?? '');
        if (at.nodes[0]! < 0) break;
      }
    } else {
      const at = d.daemonNodes
        ? sched.placeOnNodes(placed.map((p) => p.target!))
        : sched.place(d.spec, placed.length, prefer);
      const reason = at.reason ?? '';
      for (let n = 0; n < placed.length; n++) out.put(this.bornOf(placed[n]!), at.nodes[n]!, reason);
    }
    this.bound = out.end();
    const made = group.size;
    if (plan.names) group.names = plan.names.length === made ? plan.names : plan.names.slice(0, made);
    this.recordSerial(d, group, plan.serial);
  }

  /** Only serials that differ from the group's size are written down (the next edit reads the size for the rest). */
  private recordSerial(d: GroupDecl, group: PodGroup, serial: number): void {
    if (serial !== group.size) this.serials.set(groupKey(d), serial);
  }
}
