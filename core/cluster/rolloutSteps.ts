// The Deployment controller's decisions during a rollout, one sync at a time, as counts of ReplicaSet
// replicas: pkg/controller/deployment/rolling.go (rolloutRolling, reconcileNewReplicaSet,
// reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate), recreate.go
// (rolloutRecreate) and util/deployment_util.go (NewRSNewReplicas, ResolveFenceposts, MaxUnavailable).
import { scaledValue } from '../api/intOrPercent';
import type { DeploymentStrategy } from '../api/types';

/** A ReplicaSet as the Deployment controller sees it: spec.replicas and status.availableReplicas. */
export interface RsCount {
  replicas: number;
  available: number;
}

/** apps/v1 defaults.go: RollingUpdate with maxSurge 25% and maxUnavailable 25%. */
export const DEFAULT_STRATEGY: DeploymentStrategy = { type: 'RollingUpdate', maxSurge: '25%', maxUnavailable: '25%' };

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 makes maxUnavailable 1. */
export function resolveFenceposts(
  s: DeploymentStrategy,
  desired: number,
): { maxSurge: number; maxUnavailable: number } {
  if (s.type !== 'RollingUpdate') return { maxSurge: 0, maxUnavailable: 0 };
  const maxSurge = scaledValue(s.maxSurge, desired, true);
  const maxUnavailable = scaledValue(s.maxUnavailable, desired, false);
  return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
}

/** MaxUnavailable: 0 for Recreate or no replicas, never more than the replicas. */
export function maxUnavailable(s: DeploymentStrategy, desired: number): number {
  if (s.type !== 'RollingUpdate' || desired === 0) return 0;
  return Math.min(resolveFenceposts(s, desired).maxUnavailable, desired);
}

const sum = (rs: readonly RsCount[], f: (r: RsCount) => number) => rs.reduce((n, r) => n + f(r), 0);

/** NewRSNewReplicas for RollingUpdate: scale up to replicas + maxSurge in all, never past replicas. */
export function newRSNewReplicas(s: DeploymentStrategy, desired: number, all: readonly RsCount[], n: RsCount): number {
  if (s.type !== 'RollingUpdate') return desired;
  const maxTotal = desired + scaledValue(s.maxSurge, desired, true);
  const current = sum(all, (r) => r.replicas);
  if (current >= maxTotal) return n.replicas;
  return n.replicas + Math.min(maxTotal - current, desired - n.replicas);
}

/** What one sync does: the new ReplicaSet's replicas, or every old one's; undefined when it changes nothing. */
export type SyncAction = { scale: 'new'; to: number } | { scale: 'old'; to: number[] };

/** One pass of rolloutRolling: scale the new ReplicaSet up if it can, else the old ones down. */
export function rollingSync(
  s: DeploymentStrategy,
  desired: number,
  n: RsCount,
  old: readonly RsCount[],
): SyncAction | undefined {
  const all = [...old, n];
  // reconcileNewReplicaSet
  if (n.replicas > desired) return { scale: 'new', to: desired };
  if (n.replicas < desired) {
    const to = newRSNewReplicas(s, desired, all, n);
    if (to !== n.replicas) return { scale: 'new', to };
  }
  // reconcileOldReplicaSets (old ReplicaSets are in creation order, oldest first, as the controller sorts them)
  if (sum(old, (r) => r.replicas) === 0) return undefined;
  const minAvailable = desired - maxUnavailable(s, desired);
  const maxScaledDown = sum(all, (r) => r.replicas) - minAvailable - (n.replicas - n.available);
  if (maxScaledDown <= 0) return undefined;
  const to = old.map((r) => r.replicas);
  // cleanupUnhealthyReplicas: replicas that are not available go first, up to maxScaledDown.
  let cleaned = 0;
  old.forEach((r, i) => {
    if (cleaned >= maxScaledDown || to[i] === 0 || to[i] === r.available) return;
    const k = Math.min(maxScaledDown - cleaned, to[i]! - r.available);
    to[i] = to[i]! - k;
    cleaned += k;
  });
  // scaleDownOldReplicaSetsForRollingUpdate: then available ones, down to minAvailable.
  const available = sum(all, (r) => r.available);
  let scaled = 0;
  if (available > minAvailable) {
    const target = available - minAvailable;
    to.forEach((replicas, i) => {
      if (scaled >= target || replicas === 0) return;
      const k = Math.min(replicas, target - scaled);
      to[i] = replicas - k;
      scaled += k;
    });
  }
  return cleaned + scaled > 0 ? { scale: 'old', to } : undefined;
}

/** One pass of rolloutRecreate: every old ReplicaSet to 0; once no old pod runs, the new one to replicas. */
export function recreateSync(
  desired: number,
  n: RsCount,
  old: readonly RsCount[],
  oldPods: number,
): SyncAction | undefined {
  if (old.some((r) => r.replicas > 0)) return { scale: 'old', to: old.map(() => 0) };
  if (oldPods > 0) return undefined;
  return n.replicas !== desired ? { scale: 'new', to: desired } : undefined;
}

/** The sync that comes first when the replicas changed with the template (isScalingEvent, then sync's scale). */
export function scalingSync(desired: number, n: RsCount, old: readonly RsCount[]): SyncAction | undefined {
  // FindActiveOrLatest: only one active ReplicaSet (the old one, before the rollout) takes the new count.
  const active = old.filter((r) => r.replicas > 0);
  if (active.length !== 1 || n.replicas > 0 || active[0]!.replicas === desired) return undefined;
  return { scale: 'old', to: old.map((r) => (r.replicas > 0 ? desired : 0)) };
}
