// A Deployment's rollout run against the live cluster, sync by sync (rolloutSteps.ts decides the counts):
// after each sync the ReplicaSet controllers create or delete pods to match (replica_set.go manageReplicas,
// deleting in getPodsToDelete's order), and every created pod is Ready before the next sync.
import { generatedPodName, nameSeed, type PodGroup } from '../store/podStore';
import {
  DEFAULT_STRATEGY,
  recreateSync,
  resolveFenceposts,
  rollingSync,
  scalingSync,
  type RsCount,
  type SyncAction,
} from './rolloutSteps';
import {
  createPods,
  podsToDelete,
  running,
  stepPodOf,
  terminate,
  type GroupRollout,
  type LivePod,
  type RolloutEnv,
  type RolloutPlacer,
} from './rolloutPods';
import { newStep, notePods, type RolloutReport, type RolloutStep } from './rolloutReport';
import type { DeploymentStrategy, IntOrPercent, PodSpecLite } from '../api/types';

/** A ReplicaSet of the Deployment: its pod-template-hash, template, spec.replicas and the pods it has. */
export interface ReplicaSet {
  hash: string;
  spec: PodSpecLite;
  replicas: number;
  pods: LivePod[];
}

export interface DeploymentRolloutInput {
  namespace: string;
  name: string;
  desired: number;
  strategy: DeploymentStrategy | undefined;
  newSpec: PodSpecLite;
  newHash: string;
  /**
   * The old ReplicaSets, oldest first as the controller sorts them (ReplicaSetsByCreationTimestamp): each with its
   * spec.replicas and its pods still there (held by holdOld). More than one when the template changed again while a
   * rollout had not finished: rolling.go scales every old one down, the oldest first.
   */
  old: ReplicaSet[];
  /** A stalled rollout resumed: the new ReplicaSet's pods from before (its replicas are their count). */
  newPods?: LivePod[];
  /** Names already taken in the group (the old pods'), and the group's next generateName serial. */
  used: Set<string>;
  serial: number;
  bare: ReadonlySet<string>;
}

const limitText = (s: DeploymentStrategy, desired: number): string => {
  if (s.type !== 'RollingUpdate') return 'all old pods go, then all new pods come';
  const f = resolveFenceposts(s, desired);
  const given = (v: number, raw: IntOrPercent) => (typeof raw === 'string' ? `${v} (${raw} of ${desired})` : `${v}`);
  return `maxSurge ${given(f.maxSurge, s.maxSurge)}, maxUnavailable ${given(f.maxUnavailable, s.maxUnavailable)}`;
};

export class DeploymentRollout implements GroupRollout {
  private readonly rs: { new: ReplicaSet; old: ReplicaSet[] };
  private serial: number;
  private prefer: number[] | undefined;
  readonly strategy: DeploymentStrategy;

  constructor(
    private readonly input: DeploymentRolloutInput,
    private readonly env: RolloutEnv,
  ) {
    this.strategy = input.strategy ?? DEFAULT_STRATEGY;
    this.serial = input.serial;
    this.rs = {
      new: {
        hash: input.newHash,
        spec: input.newSpec,
        replicas: input.newPods?.length ?? 0,
        pods: input.newPods ?? [],
      },
      old: input.old.map((r) => ({ ...r, pods: [...r.pods] })),
    };
  }

  /** Most pods the group can have at once: replicas + maxSurge (the columns realize sets aside). */
  get capacity(): number {
    return Math.max(
      this.input.desired + resolveFenceposts(this.strategy, this.input.desired).maxSurge,
      this.input.old.reduce((n, r) => n + r.replicas, 0) + (this.input.newPods?.length ?? 0),
    );
  }

  /** The generateName serial after the rollout. */
  get nextSerial(): number {
    return this.serial;
  }

  private count(r: ReplicaSet): RsCount {
    let available = 0;
    for (const p of r.pods) if (running(p)) available++;
    return { replicas: r.replicas, available };
  }

  /** The ReplicaSet controller brings `r`'s pods to its replicas; the step lists what it did. */
  private reconcile(r: ReplicaSet, sched: RolloutPlacer, step: RolloutStep): void {
    const extra = r.pods.length - r.replicas;
    if (extra > 0) {
      const gone = podsToDelete(r.pods, extra, this.allPods());
      const going = r.pods.filter((q) => gone.has(q));
      for (const p of going) terminate(this.env, sched, p);
      notePods(step, 'terminated', going.length, (k) => stepPodOf(this.env, going[k]!));
      r.pods = r.pods.filter((p) => !gone.has(p));
    } else if (extra < 0) {
      const prefix = `${this.input.name}-${r.hash}`;
      const g = { kind: 'Deployment', namespace: this.input.namespace } as PodGroup;
      const seed = nameSeed(g, prefix);
      const names = Array.from({ length: -extra }, () =>
        generatedPodName(g, prefix, seed, this.serial++, 0, this.input.used, this.input.bare),
      );
      const made = createPods(this.env, sched, r.spec, names, this.prefer ? { prefer: this.prefer } : undefined);
      for (const p of made) r.pods.push(p);
      notePods(step, 'created', made.length, (k) => stepPodOf(this.env, made[k]!));
    }
  }

  private allPods(): LivePod[] {
    return [...this.rs.new.pods, ...this.rs.old.flatMap((r) => r.pods)];
  }

  private oldCounts(): RsCount[] {
    return this.rs.old.map((r) => this.count(r));
  }

  /** One sync: the ReplicaSets it scales, each reconciled by its ReplicaSet controller. */
  private apply(a: SyncAction, sched: RolloutPlacer): RolloutStep {
    const { name } = this.input;
    const scaled =
      a.scale === 'new'
        ? [{ r: this.rs.new, to: a.to }]
        : this.rs.old.flatMap((r, i) => (a.to[i] === r.replicas ? [] : [{ r, to: a.to[i]! }]));
    const step = newStep(
      scaled
        .map(({ r, to }) => `${to > r.replicas ? 'scaled up' : 'scaled down'} ReplicaSet ${name}-${r.hash} to ${to}`)
        .join(', '),
    );
    for (const { r, to } of scaled) {
      r.replicas = to;
      this.reconcile(r, sched, step);
    }
    return step;
  }

  /** A resumed rollout's new pods still Pending go to the scheduler again (it retries them as nodes gain room). */
  private scheduleWaiting(sched: RolloutPlacer): void {
    const n = this.rs.new;
    const waiting = n.pods.filter((p) => p.node < 0);
    if (waiting.length === 0) return;
    const placed = createPods(
      this.env,
      sched,
      n.spec,
      waiting.map((p) => p.name),
      this.prefer ? { prefer: this.prefer } : undefined,
    );
    const again = new Map(waiting.map((p, k) => [p, { ...placed[k]!, born: p.born }]));
    n.pods = n.pods.map((p) => again.get(p) ?? p);
  }

  /** Runs the syncs in order; returns the report and the pods left (new ReplicaSet's first). */
  run(sched: RolloutPlacer, prefer?: number[]): { report: RolloutReport | undefined; pods: LivePod[] } {
    this.prefer = prefer;
    const { desired, namespace, name } = this.input;
    const { new: n, old } = this.rs;
    const steps: RolloutStep[] = [];
    // The old ReplicaSets first recreate pods they lost (a node removed in the same edit).
    for (const r of old) {
      const lost = newStep(`ReplicaSet ${name}-${r.hash} replaced pods lost with their node`);
      this.reconcile(r, sched, lost);
      if (lost.createdCount + lost.terminatedCount > 0) steps.push(lost);
    }
    this.scheduleWaiting(sched);
    const first = scalingSync(desired, this.count(n), this.oldCounts());
    if (first) steps.push(this.apply(first, sched));
    const recreate = this.strategy.type === 'Recreate';
    for (let guard = 0; guard < 4 * desired + 8; guard++) {
      const a = recreate
        ? recreateSync(desired, this.count(n), this.oldCounts(), this.allPods().length - n.pods.length)
        : rollingSync(this.strategy, desired, this.count(n), this.oldCounts());
      if (!a) break;
      steps.push(this.apply(a, sched));
    }
    const report: RolloutReport = {
      kind: 'Deployment',
      namespace,
      name,
      strategy: this.strategy.type,
      limits: limitText(this.strategy, desired),
      steps,
    };
    const waiting = n.pods.filter((p) => !running(p));
    const oldPods = old.reduce((k, r) => k + r.pods.length, 0);
    if (oldPods > 0 || n.pods.length < desired || waiting.length > 0) {
      const why = waiting[0]?.reason.replace(/^\w+: /, '');
      report.stalled = `${oldPods} old pod${oldPods === 1 ? '' : 's'} still run and ${waiting.length} new pod${waiting.length === 1 ? ' is' : 's are'} not Ready${why ? ` (${why})` : ''}: the Deployment controller waits (Progressing turns False after progressDeadlineSeconds)`;
    }
    const idle = this.input.newPods && steps.length === 0;
    return { report: idle ? undefined : report, pods: this.allPods() };
  }
}
