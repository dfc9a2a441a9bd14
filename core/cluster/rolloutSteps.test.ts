// The Deployment controller's rollout decisions, pinned against upstream:
// pkg/controller/deployment/rolling.go (rolloutRolling: scale the new ReplicaSet up if it can, else the old
// ones down), util/deployment_util.go (NewRSNewReplicas, ResolveFenceposts and the examples in its comment,
// MaxUnavailable) and recreate.go (rolloutRecreate).
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STRATEGY,
  maxUnavailable,
  recreateSync,
  resolveFenceposts,
  rollingSync,
  scalingSync,
  type RsCount,
} from './rolloutSteps';
import type { DeploymentStrategy, IntOrPercent } from '../api/types';

const rolling = (maxSurge: IntOrPercent, maxUnavailable: IntOrPercent): DeploymentStrategy => ({
  type: 'RollingUpdate',
  maxSurge,
  maxUnavailable,
});

/** Runs syncs until none changes anything, every pod Ready at once: "new N" / "old N" per sync. */
function steps(s: DeploymentStrategy, desired: number, old = desired, notReady = 0): string[] {
  const n: RsCount = { replicas: 0, available: 0 };
  const o: RsCount = { replicas: old, available: old };
  const out: string[] = [];
  for (let guard = 0; guard < 100; guard++) {
    const a = s.type === 'Recreate' ? recreateSync(desired, n, [o], o.replicas) : rollingSync(s, desired, n, [o]);
    if (!a) return out;
    if (a.scale === 'new') {
      n.replicas = a.to;
      // The first `notReady` new pods never become Ready (a crash loop, no room on any node).
      n.available = Math.max(0, a.to - notReady);
    } else {
      o.replicas = a.to[0]!;
      o.available = Math.min(o.available, o.replicas);
    }
    out.push(`${a.scale} ${a.scale === 'new' ? a.to : a.to[0]}`);
  }
  throw new Error('no end');
}

describe('ResolveFenceposts and MaxUnavailable', () => {
  it('maxSurge rounds up, maxUnavailable rounds down; both 0 makes maxUnavailable 1', () => {
    expect(resolveFenceposts(DEFAULT_STRATEGY, 10)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(resolveFenceposts(DEFAULT_STRATEGY, 4)).toEqual({ maxSurge: 1, maxUnavailable: 1 });
    expect(resolveFenceposts(rolling('30%', '30%'), 3)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    // "2 desired, max unavailable 1%, surge 0%": both resolve to 0, so unavailable is 1.
    expect(resolveFenceposts(rolling('0%', '1%'), 2)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(resolveFenceposts(rolling(2, 5), 10)).toEqual({ maxSurge: 2, maxUnavailable: 5 });
  });

  it('MaxUnavailable is never more than the replicas, and 0 for Recreate or no replicas', () => {
    expect(maxUnavailable(rolling(0, 5), 3)).toBe(3);
    expect(maxUnavailable(rolling(1, 1), 0)).toBe(0);
    expect(maxUnavailable({ type: 'Recreate' }, 3)).toBe(0);
  });
});

describe('rolloutRolling, one sync at a time', () => {
  it('10 replicas at the default 25% / 25%: +3, old to 5, +5, old to 0, +2', () => {
    // maxSurge 3 (2.5 up) and maxUnavailable 2 (2.5 down): never more than 13 pods nor fewer than 8 available.
    expect(steps(DEFAULT_STRATEGY, 10)).toEqual(['new 3', 'old 5', 'new 8', 'old 0', 'new 10']);
  });

  it('maxSurge 0, maxUnavailable 1: an old pod goes before each new one comes', () => {
    expect(steps(rolling(0, 1), 3)).toEqual(['old 2', 'new 1', 'old 1', 'new 2', 'old 0', 'new 3']);
  });

  it("the examples in ResolveFenceposts' comment", () => {
    // 2 desired, max unavailable 1%, surge 0% - should scale old(-1), then new(+1), then old(-1), then new(+1)
    expect(steps(rolling('0%', '1%'), 2)).toEqual(['old 1', 'new 1', 'old 0', 'new 2']);
    // 1 desired, max unavailable 1%, surge 0% - should scale old(-1), then new(+1)
    expect(steps(rolling('0%', '1%'), 1)).toEqual(['old 0', 'new 1']);
    // 2 desired, max unavailable 25%, surge 1% - should scale new(+1), then old(-1), then new(+1), then old(-1)
    expect(steps(rolling('1%', '25%'), 2)).toEqual(['new 1', 'old 1', 'new 2', 'old 0']);
    // 2 desired, max unavailable 0%, surge 1% - the same
    expect(steps(rolling('1%', '0%'), 2)).toEqual(['new 1', 'old 1', 'new 2', 'old 0']);
    // 1 desired, max unavailable 25%, surge 1% - should scale new(+1), then old(-1)
    expect(steps(rolling('1%', '25%'), 1)).toEqual(['new 1', 'old 0']);
  });

  it('a percentage that rounds to a count: 30% of 5 is maxSurge 2, maxUnavailable 1', () => {
    expect(resolveFenceposts(rolling('30%', '30%'), 5)).toEqual({ maxSurge: 2, maxUnavailable: 1 });
    // 7 pods at most, 4 available at least: +2, then 3 old go (7 - 4), +3, the last 2 go.
    expect(steps(rolling('30%', '30%'), 5)).toEqual(['new 2', 'old 2', 'new 5', 'old 0']);
  });

  it('new pods that never become Ready stop the old ones from going (newRSUnavailablePodCount)', () => {
    // maxUnavailable 0: one surge pod, never Ready, and no old pod may go.
    expect(steps(rolling(1, 0), 3, 3, 1)).toEqual(['new 1']);
    // maxUnavailable 1: one old pod goes, its place is taken, then the rollout waits.
    expect(steps(rolling(1, 1), 3, 3, 3)).toEqual(['new 1', 'old 2', 'new 2']);
  });

  it('cleanupUnhealthyReplicas scales down old replicas that are not available first', () => {
    const n = { replicas: 1, available: 1 };
    // 4 old replicas, 2 available: maxScaledDown 5 - 3 - 0 = 2 go to the unhealthy ones; no available one goes.
    expect(rollingSync(DEFAULT_STRATEGY, 4, n, [{ replicas: 4, available: 2 }])).toEqual({ scale: 'old', to: [2] });
  });
});

describe('rolloutRecreate and the scaling event', () => {
  it('Recreate: every old pod goes, then every new pod comes', () => {
    expect(steps({ type: 'Recreate' }, 3)).toEqual(['old 0', 'new 3']);
    // The new ReplicaSet waits while an old pod still runs.
    expect(recreateSync(3, { replicas: 0, available: 0 }, [{ replicas: 0, available: 0 }], 1)).toBeUndefined();
  });

  it('replicas changed with the template: the only active ReplicaSet, the old one, takes the new count first', () => {
    const none = { replicas: 0, available: 0 };
    expect(scalingSync(6, none, [{ replicas: 4, available: 4 }])).toEqual({ scale: 'old', to: [6] });
    expect(scalingSync(4, none, [{ replicas: 4, available: 4 }])).toBeUndefined();
  });
});
