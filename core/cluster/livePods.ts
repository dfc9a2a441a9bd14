// Pods in a live cluster: which running pods an edit keeps (on their node, with their IP), which it
// removes, and which new ones the controllers create, kind by kind, as the real controllers would.
import type { PodGroup } from '../store/podStore';
import { planNames, type GroupPlan as NamedPlan, type NewPod } from './livePodNames';
import { deletionOrder, type DeletionCandidate } from './scaleDown';
import { groupKey, PrevGroups, type LiveDeployment, type LiveState } from './liveState';
import { GroupWriter, type KeptSource, type PodWriter } from './liveBind';
import { Survivors } from './liveSurvivors';
import { rollout, sameTemplate } from './rollout';
import { rolloutOf, stalledRollout, type PrevPods } from './groupRollouts';
import { statefulSetPods } from './statefulSetPods';
import { recordRollout } from './rolloutReport';
import type { GroupRollout, RolloutEnv, RolloutPlacer } from './rolloutPods';
import type { PodAddressRange } from '../ipam/hostLocal';
import type { HostLocalRange6 } from '../ipam/family6';
import type { GroupDecl } from './podGroups';
import type { NodeState } from './realizeNodes';

interface KeptRun {
  first: number;
  size: number;
}

interface GroupPlan extends NamedPlan {
  /** A changed template's rollout, run at bind time (it then makes all the group's pods). */
  rollout?: GroupRollout;
  /** The next serial the group's generated names use after the edit. */
  serial: number;
  /** Previous pods first..first+size-1, each kept where it runs, come before `kept` (copied as columns). */
  run?: KeptRun;
}

/** No pods (frozen: the plans of the groups kept whole share it). */
const NONE: never[] = Object.freeze([]) as never;

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
  private readonly nodeNames: string[];
  private readonly survivors: Survivors;
  private readonly keptSource: KeptSource;

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
    this.nodeNames = nodes.map((n) => n.name);
    this.survivors = new Survivors(prev, nodes, ranges, ranges6);
    this.keptOn = this.survivors.keptOn;
    const { nodeMap, ip6Column: ip6Of } = this.survivors;
    this.keptSource = { prev: prev.pods.packed, nodeMap, ip6Of };
    const prevGroups = new PrevGroups(prev.pods.packed.groups);
    this.plans = decls.map((d, k) => this.planGroup(d, prevGroups.find(d, k)));
    this.born = new Int32Array(
      this.plans.reduce((n, p) => n + (p.rollout?.capacity ?? (p.run?.size ?? 0) + p.kept.length + p.placed.length), 0),
    );
  }

  /** The pod columns realize needs: a rollout's group may have more pods than replicas (a stalled one). */
  get capacity(): number {
    return this.born.length;
  }
  private prevPods(gi: number): PrevPods {
    const { running, pending } = this.survivors.of(gi);
    const group = this.prev.pods.packed.groups[gi]!;
    const nodeOf = (i: number) => this.survivors.nodeOf(i);
    return { prev: this.prev, group, gi, running, pending, nodeOf, born: (i) => this.born0(i) };
  }

  private env(d: GroupDecl): RolloutEnv {
    const { ranges, ranges6, keptOn, nodeNames, edit } = this;
    return { ranges, ...(ranges6 ? { ranges6 } : {}), keptOn, nodeNames, hostNetwork: d.spec.hostNetwork, edit };
  }

  private nodeOf(prevPod: number): number {
    return this.survivors.nodeOf(prevPod);
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
    const { running, pending, whole } = carry
      ? this.survivors.of(pgi, keepAll ? { hostNetwork: d.spec.hostNetwork } : undefined)
      : { running: [], pending: [], whole: false };
    if (whole) return this.wholePlan(d, prevGroup!, pgi!, want, serial, templateHash);
    if (d.kind === 'StatefulSet') {
      const old = pgi === undefined ? [] : this.prev.pods.groupNames(pgi);
      const pods = statefulSetPods(d, old, prevGroup?.first ?? 0, running, pending, (k) =>
        this.survivors.keep(k, d.spec.hostNetwork),
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
    if (!keepAll) kept = this.survivors.keep(kept, d.spec.hostNetwork);
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

  /** Every previous pod runs on where it ran (copied as columns at bind time); a scale-up adds new ones. */
  private wholePlan(
    d: GroupDecl,
    prevGroup: PodGroup,
    pgi: number,
    want: number,
    serial: number,
    templateHash: string | undefined,
  ): GroupPlan {
    const { first, size } = prevGroup;
    const count = d.kind === 'Pod' ? Math.min(1, want - size) : want - size;
    const placed: NewPod[] = count > 0 ? [] : NONE;
    for (let k = 0; k < count; k++) placed.push({ prev: -1 });
    const plan: GroupPlan = { kept: NONE, placed, serial: count > 0 ? serial + count : serial };
    if (templateHash !== undefined) plan.templateHash = templateHash;
    // Names stay positional when the new pods' serials follow on (as planGroup's rule, with every old pod kept).
    const positional =
      d.kind === 'Pod' ||
      (!prevGroup.names && (count <= 0 || serial === size) && prevGroup.templateHash === templateHash);
    if (!positional) {
      const all = Array.from({ length: size }, (_, k) => first + k);
      plan.names = planNames(this.prev.pods, d, pgi, { ...plan, kept: all }, serial, this.bare);
    }
    if (size > 0) plan.run = { first, size };
    return plan;
  }

  /** Writes group `k`'s pods through `write`: kept ones where they run, new ones where the scheduler puts them. */
  bindGroup(
    k: number,
    d: GroupDecl,
    group: PodGroup,
    gi: number,
    sched: RolloutPlacer,
    write: PodWriter,
    prefer?: number[],
  ): void {
    const plan = this.plans[k]!;
    const hostNetwork = d.spec.hostNetwork;
    if (plan.templateHash !== undefined) group.templateHash = plan.templateHash;
    if (plan.rollout) {
      const out = new GroupWriter(write, group, gi, hostNetwork, this.born, this.bound);
      const { report, pods } = plan.rollout.run(sched, prefer);
      for (const p of pods) out.put(p.born, p.node, p.reason, hostNetwork ? undefined : p.ip, p.ip6);
      this.bound = out.end();
      group.names = pods.map((p) => p.name);
      this.recordSerial(d, group, plan.rollout.nextSerial);
      if (report) recordRollout(group, report);
      return;
    }
    const ran = plan.run ? this.copyRun(plan.run, gi, group, hostNetwork, write) : 0;
    if (plan.kept.length > 0 || plan.placed.length > 0) this.bindRest(plan, d, group, gi, sched, write, ran, prefer);
    else group.size = ran;
    const made = group.size;
    if (plan.names) group.names = plan.names.length === made ? plan.names : plan.names.slice(0, made);
    this.recordSerial(d, group, plan.serial);
  }

  /** Copies a kept run's pods and their ages as columns; returns how many. */
  private copyRun(run: KeptRun, gi: number, group: PodGroup, hostNetwork: boolean, write: PodWriter): number {
    const { first, size } = run;
    const bornOf = this.prev.bornOf;
    if (bornOf) for (let k = 0; k < size; k++) this.born[this.bound + k] = bornOf[first + k] ?? 0;
    write.copy(gi, this.keptSource, first, size, hostNetwork);
    this.bound += size;
    group.running += size;
    return size;
  }

  /** The group's other kept pods one by one, then its new ones where the scheduler puts them. */
  private bindRest(
    plan: GroupPlan,
    d: GroupDecl,
    group: PodGroup,
    gi: number,
    sched: RolloutPlacer,
    write: PodWriter,
    ran: number,
    prefer?: number[],
  ): void {
    const hostNetwork = d.spec.hostNetwork;
    const out = new GroupWriter(write, group, gi, hostNetwork, this.born, this.bound, ran);
    const { ipOf } = this.prev.pods.packed;
    for (const i of plan.kept)
      out.put(
        this.born0(i),
        this.nodeOf(i),
        '',
        hostNetwork ? undefined : ipOf[i]!,
        hostNetwork ? undefined : this.survivors.ip6Of(i),
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
  }

  /** Only serials that differ from the group's size are written down (the next edit reads the size for the rest). */
  private recordSerial(d: GroupDecl, group: PodGroup, serial: number): void {
    if (serial !== group.size) this.serials.set(groupKey(d), serial);
  }
}
