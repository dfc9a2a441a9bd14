// What an edit, undo or redo changed, as the panels show it: core's diff of two clusters (or the worker's,
// for a big scenario), the warnings it introduced and the rollouts it set off.
import { diffClusters, newWarnings, type Change } from '../../core/cluster/diff';
import { rolloutsOf, type RolloutReport } from '../../core/cluster/rolloutReport';
import type { RealizedCluster } from '../../core/api/types';
import { buildDataplane, type Dataplane } from '../../core/dataplane/dataplane';
import { editKernelChanges, type EditKernelChanges } from '../../core/dataplane/kernelChangeGroups';
import type { EffectSummary } from '../worker/workerProtocol';
import { memoLast, memoLast2 } from './memo';

export interface EditEffect {
  changes: Change[];
  /** Refs of everything the edit touched, for the diagram's highlight. */
  changed: Set<string>;
  /** Warning keys ("CODE message") that the edit introduced. */
  newWarnings: Set<string>;
  /** The rolling updates the edit set off, step by step (none for an undo). */
  rollouts: RolloutReport[];
  /** Each node's route and kube-proxy rule changes, nodes alike together (or why they were not compared). */
  kernels: EditKernelChanges;
}

export const NO_EFFECT: EditEffect = {
  changes: [],
  changed: new Set(),
  newWarnings: new Set(),
  rollouts: [],
  kernels: { groups: [] },
};

/** Both sides' dataplanes: the one on screen is usually built already, the one before once more. */
const dataplanes = new WeakMap<RealizedCluster, Dataplane>();
function dataplaneFor(c: RealizedCluster): Dataplane {
  let dp = dataplanes.get(c);
  if (!dp) dataplanes.set(c, (dp = buildDataplane(c)));
  return dp;
}
export const effectOf = memoLast2((before: RealizedCluster, after: RealizedCluster): EditEffect => {
  const changes = diffClusters(before, after);
  return {
    changes,
    changed: new Set(changes.map((c) => c.ref)),
    newWarnings: newWarnings(before, after),
    rollouts: rolloutsOf(after),
    kernels: editKernelChanges(dataplaneFor(before), dataplaneFor(after)),
  };
});

/** A change the worker computed (capped), as the panels read it. */
export const fromWorker = memoLast((e: EffectSummary): EditEffect => ({
  changes:
    e.total > e.changes.length
      ? [...e.changes, { ref: 'cluster', kind: 'changed', message: `… and ${e.total - e.changes.length} more changes` }]
      : e.changes,
  changed: new Set(e.changed),
  newWarnings: new Set(e.newWarnings),
  rollouts: e.rollouts,
  kernels: e.kernels,
}));

export const withoutRollouts = memoLast((e: EditEffect): EditEffect =>
  e.rollouts.length ? { ...e, rollouts: [] } : e,
);
