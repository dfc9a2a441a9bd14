// Which ReplicaSet a Deployment runs after an edit (pkg/controller/deployment sync.go): the same one when its
// template is unchanged; an older one whose template matches (a rollback); else a new one, its
// pod-template-hash from controller.ComputeHash with status.collisionCount bumped while the hash names an
// existing ReplicaSet.
import { deploymentHash, type PodGroup } from '../store/podStore';
import type { LiveDeployment, LiveReplicaSet } from './liveState';
import type { PodSpecLite } from '../api/types';

// The revision fingerprints the template as written; the add-ons built in have none and compare by shape.
export const sameTemplate = (a: PodSpecLite, b: PodSpecLite) =>
  a.revision !== undefined || b.revision !== undefined
    ? a.revision === b.revision
    : deploymentHash(a) === deploymentHash(b);

export interface Rollout {
  /** The ReplicaSet's hash; undefined: the one the template itself gives (computed when a name is read). */
  hash: string | undefined;
  /** The Deployment's history after the edit; undefined while its template never changed. */
  history: LiveDeployment | undefined;
}

export function rollout(
  spec: PodSpecLite,
  had: LiveDeployment | undefined,
  prevGroup: PodGroup | undefined,
  unchanged: boolean,
): Rollout {
  if (unchanged) return { hash: had?.current.hash ?? prevGroup!.templateHash, history: had };
  const shape = deploymentHash(spec);
  if (!prevGroup)
    return { hash: undefined, history: { current: { hash: shape, shape, revision: spec.revision, spec }, old: [] } };
  const was = deploymentHash(prevGroup.spec);
  const hist = had ?? {
    current: {
      hash: prevGroup.templateHash ?? was,
      shape: was,
      revision: prevGroup.spec.revision,
      spec: prevGroup.spec,
    },
    old: [],
  };
  const all = [...hist.old, hist.current];
  const back = hist.old.find((rs) => rs.revision === spec.revision && rs.shape === shape);
  let collisionCount = hist.collisionCount;
  let hash = back?.hash;
  if (hash === undefined) {
    hash = deploymentHash(spec, collisionCount);
    while (all.some((rs) => rs.hash === hash)) {
      collisionCount = (collisionCount ?? 0) + 1;
      hash = deploymentHash(spec, collisionCount);
    }
  }
  const current: LiveReplicaSet = { hash, shape, revision: spec.revision, spec };
  // revisionHistoryLimit: the Deployment controller keeps ten old ReplicaSets.
  const old = all.filter((rs) => rs.hash !== hash).slice(-10);
  return { hash, history: { current, old, ...(collisionCount !== undefined ? { collisionCount } : {}) } };
}
