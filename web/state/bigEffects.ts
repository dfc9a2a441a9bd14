// What a step of a big scenario's live history changed, by the two states' ids. An edit's comes with its
// derived cluster; an undo or redo back to a state the page already holds asks the worker for the effect
// alone (both states are held there), so it lists what it changed as a small scenario's does.
import { create } from 'zustand';
import { askEffect } from '../worker/workerClient';
import type { EffectSummary } from '../worker/workerProtocol';
import { chainOf, type LiveNode } from './liveHistory';
import { lru } from './parseCache';

const effects = new Map<string, EffectSummary>();
const asked = new Set<string>();
const failed = new Set<string>();

/** Bumped when an effect arrives, so the panels re-read it. */
export const effectArrivals = create<{ n: number }>(() => ({ n: 0 }));

const keyOf = (beforeId: number, afterId: number) => `${beforeId}>${afterId}`;

/** The effect of going from live state `beforeId` to `afterId`, as the worker computed it. */
export function noteEffect(beforeId: number, afterId: number, effect: EffectSummary): void {
  const key = keyOf(beforeId, afterId);
  effects.delete(key);
  lru(effects, key, 8, () => effect);
  effectArrivals.setState((s) => ({ n: s.n + 1 }));
}

export function bigEffectOf(before: LiveNode, after: LiveNode): EffectSummary | undefined {
  return effects.get(keyOf(before.id, after.id));
}

/** After a lost worker is retried: what failed may be asked for again. */
export function retryFailedEffects(): void {
  failed.clear();
}

/** Asks the worker what going from `before` to `after` changed, once (the answer is kept by ids). */
export function askBigEffect(before: LiveNode, after: LiveNode): void {
  const key = keyOf(before.id, after.id);
  if (effects.has(key) || asked.has(key) || failed.has(key)) return;
  asked.add(key);
  void askEffect(chainOf(before), chainOf(after)).then((r) => {
    asked.delete(key);
    if (r.ok) noteEffect(before.id, after.id, r.effect);
    // Not asked again: the panel shows no list rather than asking in a loop.
    else failed.add(key);
  });
}
