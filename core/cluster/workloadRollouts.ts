// StatefulSet and DaemonSet rolling updates against the live cluster.
// StatefulSet (pkg/controller/statefulset/stateful_set_control.go updateStatefulSet): condemned ordinals go,
// missing ones come, then one pod at a time from the highest ordinal down to the partition, each deleted and
// recreated under its name (a new IP), the next only once the last is Running and Ready.
// DaemonSet (pkg/controller/daemon/update.go rollingUpdate): with maxSurge 0 up to maxUnavailable old pods are
// deleted and their nodes get the new pod; with maxSurge the new pod starts beside the old one, which then goes.
// The controller walks a Go map of nodes (no fixed order); we take node order.
import { scaledValue } from '../api/intOrPercent';
import {
  createPods,
  stepPodOf,
  terminate,
  type GroupRollout,
  type LivePod,
  type RolloutEnv,
  type RolloutPlacer,
} from './rolloutPods';
import { newStep, notePods, type RolloutReport, type RolloutStep } from './rolloutReport';
import type { GroupDecl } from './podGroups';

export class StatefulSetRollout implements GroupRollout {
  readonly nextSerial = 0;
  constructor(
    private readonly d: GroupDecl,
    private readonly old: LivePod[],
    private readonly env: RolloutEnv,
  ) {}

  get capacity(): number {
    return Math.max(this.d.replicas, this.old.length);
  }

  run(sched: RolloutPlacer): { report: RolloutReport; pods: LivePod[] } {
    const { d, env } = this;
    const start = d.extra?.ordinalsStart ?? 0;
    const partition =
      d.updateStrategy?.type === 'RollingUpdate' && 'partition' in d.updateStrategy ? d.updateStrategy.partition : 0;
    const ordinal = (name: string) => Number(name.slice(d.name.length + 1));
    const end = start + Math.max(0, d.replicas);
    const byOrdinal = new Map<number, LivePod>();
    const steps: RolloutStep[] = [];
    const condemned = newStep(`scaled down to ${d.replicas}: the highest ordinals go`);
    for (const p of this.old) {
      const o = ordinal(p.name);
      if (o >= end) {
        terminate(env, sched, p);
        notePods(condemned, 'terminated', 1, () => stepPodOf(env, p));
      } else byOrdinal.set(o, p);
    }
    if (condemned.terminatedCount > 0) steps.push(condemned);
    const make = (o: number, step: RolloutStep) => {
      const [p] = createPods(env, sched, d.spec, [`${d.name}-${o}`]);
      byOrdinal.set(o, p!);
      notePods(step, 'created', 1, () => stepPodOf(env, p!));
    };
    const missing = newStep(`scaled up to ${d.replicas}: the missing ordinals come, with the new template`);
    // OrderedReady: the next ordinal only once the one before runs (a Pending one stops the set there).
    for (let o = start; o < end; o++) {
      if (!byOrdinal.has(o)) make(o, missing);
      if (d.ordered && byOrdinal.get(o)!.reason !== '') break;
    }
    if (missing.createdCount > 0) steps.push(missing);
    const updated = new Set([...byOrdinal.values()].filter((p) => p.born === env.edit).map((p) => p.name));
    for (let o = end - 1; o >= start + partition; o--) {
      const p = byOrdinal.get(o);
      if (!p || updated.has(p.name)) continue;
      const step = newStep(`deleted ${p.name} and created it again with the new template`);
      terminate(env, sched, p);
      notePods(step, 'terminated', 1, () => stepPodOf(env, p));
      make(o, step);
      steps.push(step);
      // The next pod is updated only once this one is Running and Ready.
      if (byOrdinal.get(o)!.reason !== '') break;
    }
    const pods = [...byOrdinal.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
    const limits = `one pod at a time, highest ordinal first${partition > 0 ? `; partition ${partition}: ordinals below it keep the old template` : ''}`;
    const waiting = pods.find((p) => p.reason !== '');
    return {
      report: {
        kind: 'StatefulSet',
        namespace: d.namespace,
        name: d.name,
        strategy: 'RollingUpdate',
        limits,
        steps,
        ...(waiting ? { stalled: `${waiting.name} is not Ready (${waiting.reason.replace(/^\w+: /, '')})` } : {}),
      },
      pods,
    };
  }
}

export class DaemonSetRollout implements GroupRollout {
  constructor(
    private readonly d: GroupDecl,
    private readonly old: LivePod[],
    private readonly env: RolloutEnv,
    /** generateName's next name; `serial` the next serial it will use. */
    private readonly name: () => string,
    private readonly serial: () => number,
  ) {}

  get nextSerial(): number {
    return this.serial();
  }

  get capacity(): number {
    return (this.d.daemonNodes?.length ?? 0) + this.old.length;
  }

  run(sched: RolloutPlacer): { report: RolloutReport; pods: LivePod[] } {
    const { d, env } = this;
    const eligible = d.daemonNodes ?? [];
    const s =
      d.updateStrategy?.type === 'RollingUpdate' && 'maxSurge' in d.updateStrategy ? d.updateStrategy : undefined;
    // updatedDesiredNodeCounts: both round up against the nodes that should run the pod; 0 and 0 mean 1.
    const surge = s ? scaledValue(s.maxSurge, eligible.length, true) : 0;
    let unavailable = s ? scaledValue(s.maxUnavailable, eligible.length, true) : 1;
    if (surge === 0 && unavailable === 0) unavailable = 1;
    const oldOn = new Map<number, LivePod>();
    const steps: RolloutStep[] = [];
    const first = newStep('nodes that no longer qualify lose the pod; nodes that newly qualify get the new one');
    for (const p of this.old) {
      if (eligible.includes(p.node) && !oldOn.has(p.node)) oldOn.set(p.node, p);
      else {
        terminate(env, sched, p);
        notePods(first, 'terminated', 1, () => stepPodOf(env, p));
      }
    }
    const pods: LivePod[] = [];
    const create = (nodes: number[], step: RolloutStep) => {
      const made = createPods(
        env,
        sched,
        d.spec,
        nodes.map(() => this.name()),
        { nodes },
      );
      pods.push(...made);
      notePods(step, 'created', made.length, (k) => stepPodOf(env, made[k]!));
    };
    create(
      eligible.filter((n) => !oldOn.has(n)),
      first,
    );
    if (first.createdCount + first.terminatedCount > 0) steps.push(first);
    const queue = eligible.filter((n) => oldOn.has(n));
    const batch = Math.max(1, surge > 0 ? surge : unavailable);
    for (let k = 0; k < queue.length; k += batch) {
      const nodes = queue.slice(k, k + batch);
      const names = nodes.map((n) => env.nodeNames[n]!).join(', ');
      const step = newStep(
        surge > 0
          ? `new pod started beside the old one on ${names}, then the old one deleted`
          : `old pod deleted on ${names}, then the new one created there`,
      );
      // With surge the old pod goes only once the new one beside it runs.
      const drop = (ready: (n: number) => boolean) =>
        nodes.filter(ready).forEach((n) => {
          terminate(env, sched, oldOn.get(n)!);
          notePods(step, 'terminated', 1, () => stepPodOf(env, oldOn.get(n)!));
          oldOn.delete(n);
        });
      if (surge === 0) drop(() => true);
      const made = pods.length;
      create(nodes, step);
      if (surge > 0) drop((n) => pods.slice(made).some((p) => p.node === n && p.reason === ''));
      steps.push(step);
    }
    pods.push(...oldOn.values());
    return {
      report: {
        kind: 'DaemonSet',
        namespace: d.namespace,
        name: d.name,
        strategy: 'RollingUpdate',
        limits: `maxUnavailable ${surge > 0 ? 0 : unavailable}, maxSurge ${surge}; one node per pod`,
        steps,
      },
      pods,
    };
  }
}
