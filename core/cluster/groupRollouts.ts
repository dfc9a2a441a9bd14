// Which rollout a changed template starts, built from the pods the group had before the edit: the live
// planner (livePods.ts) asks here and runs what it gets when it binds the group.
import { deploymentHash, generatedPodName, nameSeed, type PodGroup } from '../store/podStore';
import { DeploymentRollout, type ReplicaSet } from './deploymentRollout';
import { DaemonSetRollout, StatefulSetRollout } from './workloadRollouts';
import { holdOld, type GroupRollout, type LivePod, type RolloutEnv } from './rolloutPods';
import type { GroupDecl } from './podGroups';
import type { LiveState } from './liveState';

export interface PrevPods {
  prev: LiveState;
  group: PodGroup;
  gi: number;
  /** Previous pods still there: running ones (their node kept its PodCIDR) and Pending ones, as indexes. */
  running: readonly number[];
  pending: readonly number[];
  /** A previous pod's node in the new node list. */
  nodeOf(i: number): number;
  born(i: number): number;
}

/** The previous pods as live pods, each holding its node place and address from the start. */
export function heldPods(p: PrevPods, env: RolloutEnv): LivePod[] {
  const { ipOf, ip6Of, reasonOf, reasons } = p.prev.pods.packed;
  const names = p.prev.pods.groupNames(p.gi);
  const first = p.group.first;
  const pods: LivePod[] = [
    ...p.running.map((i) => ({
      name: names[i - first]!,
      node: p.nodeOf(i),
      ip: env.hostNetwork ? undefined : ipOf[i]!,
      // Dual-stack: the offset in the node's IPv6 range (0: none).
      ...(!env.hostNetwork && env.ranges6 && ip6Of?.[i] ? { ip6: ip6Of[i] } : {}),
      reason: '',
      born: p.born(i),
    })),
    ...p.pending.map((i) => ({
      name: names[i - first]!,
      node: -1,
      ip: undefined,
      reason: reasons[reasonOf[i]!] ?? 'Pending',
      born: p.born(i),
    })),
  ];
  return pods.filter((pod) => holdOld(env, pod));
}

/**
 * The rollout a changed template starts; undefined where the pods are not rolled (a ReplicaSet leaves them,
 * OnDelete waits for someone to delete them, a Job's template cannot change: it is made again).
 */
export function rolloutOf(
  d: GroupDecl,
  p: PrevPods,
  env: RolloutEnv,
  serial: number,
  bare: ReadonlySet<string>,
  hash: string | undefined,
): GroupRollout | undefined {
  if (d.updateStrategy?.type === 'OnDelete') return undefined;
  if (d.kind === 'StatefulSet') return new StatefulSetRollout(d, heldPods(p, env), env);
  if (d.kind === 'DaemonSet') {
    const g = { kind: d.kind, namespace: d.namespace } as PodGroup;
    const old = heldPods(p, env);
    const used = new Set(old.map((q) => q.name));
    let next = serial;
    const seed = nameSeed(g, d.name);
    const name = () => generatedPodName(g, d.name, seed, next++, 0, used, bare);
    return new DaemonSetRollout(d, old, env, name, () => next);
  }
  if (d.kind !== 'Deployment' || hash === undefined) return undefined;
  const held = heldPods(p, env);
  const input = {
    namespace: d.namespace,
    name: d.name,
    desired: Math.max(0, d.replicas),
    strategy: d.strategy,
    newSpec: d.spec,
    newHash: hash,
    used: new Set(held.map((q) => q.name)),
    serial,
    bare,
  };
  // The template is the one the last edit rolled out, but pods of older ReplicaSets still run (that rollout
  // stalled): the controller goes on from where it stood, each ReplicaSet with the pods it has.
  const sets = replicaSetsOf(p, held);
  if (hash === p.group.templateHash) {
    const newPods = sets.find((r) => r.hash === hash)?.pods ?? [];
    return new DeploymentRollout({ ...input, old: sets.filter((r) => r.hash !== hash), newPods }, env);
  }
  return new DeploymentRollout({ ...input, old: sets }, env);
}

/**
 * The Deployment's ReplicaSets before the edit, oldest first, each with its replicas (the pods it had) and the pods
 * still there: one, unless a template changed while a rollout had not finished. A pod's ReplicaSet is the
 * pod-template-hash in its name ("web-6d4b8c7f9-x2k4p").
 */
function replicaSetsOf(p: PrevPods, held: readonly LivePod[]): ReplicaSet[] {
  const g = p.group;
  const current = g.templateHash ?? deploymentHash(g.spec);
  const hashOf = (name: string) => name.slice(g.name.length + 1, name.lastIndexOf('-'));
  const names = p.prev.pods.groupNames(p.gi);
  const hashes = g.names ? [...new Set(names.map(hashOf))] : [current];
  if (hashes.length <= 1) return [{ hash: current, spec: g.spec, replicas: g.size, pods: [...held] }];
  // Creation order: the Deployment's history lists its older ReplicaSets newest last; the current one is newest.
  const history = p.prev.deployments.get(`${g.namespace}/${g.name}`);
  const age = (h: string) => (h === current ? Infinity : (history?.old.findIndex((rs) => rs.hash === h) ?? -1));
  return hashes
    .sort((a, b) => age(a) - age(b))
    .map((hash) => ({
      hash,
      spec: hash === current ? g.spec : (history?.old.find((rs) => rs.hash === hash)?.spec ?? g.spec),
      replicas: names.filter((n) => hashOf(n) === hash).length,
      pods: held.filter((q) => hashOf(q.name) === hash),
    }));
}

/** A Deployment whose last rollout stalled: the group runs the current template's hash but not all its pods do. */
export function stalledRollout(p: Pick<PrevPods, 'prev' | 'group' | 'gi'>, hash: string | undefined): boolean {
  const g = p.group;
  if (g.kind !== 'Deployment' || !g.names || hash === undefined || hash !== g.templateHash) return false;
  const prefix = `${g.name}-${hash}-`;
  return p.prev.pods.groupNames(p.gi).some((n) => !n.startsWith(prefix));
}
