// The live cluster's history as the page follows it (liveHistory.ts), and what the worker is told of it:
// a big scenario's edit applies in the worker to the state on screen, named by the ids given here.
import { liveEdits, type LiveAsk, type PageLink } from '../worker/workerClient';
import { chainOf, LiveHistory, type LiveNode } from './liveHistory';
import { useExplorer } from './store';

/** The live cluster's history, following the store's (subscribed before derive.ts reads it). */
export const live = new LiveHistory(useExplorer.getState().scenarioText);
useExplorer.subscribe((s, was) => live.follow(s, was));

// An edit of the state on screen applies to it, in the worker too: the new state's id is reserved now.
liveEdits.of = (from) =>
  live.current.text === from && !useExplorer.getState().lesson
    ? { id: live.reserve(), base: chainOf(live.current), before: chainOf(live.current) }
    : undefined;

/** The live state a big text's node tables come from (none: the text as a new cluster). */
export function liveChainOf(text: string): PageLink[] | undefined {
  const node = bigState(text);
  return node?.base ? chainOf(node) : undefined;
}

/** The live state on screen for a big text: null outside the live history (a lesson, another text). */
export function bigState(text: string): LiveNode | null {
  return !useExplorer.getState().lesson && live.current.text === text ? live.current : null;
}

/** What the worker is asked about a big text: its live state (an id and the states it was made from) if any. */
export function liveAskOf(node: LiveNode | null, from: string | null): LiveAsk | undefined {
  if (!node?.base) return undefined;
  const before = live.previous && live.previous.text === from ? { before: chainOf(live.previous) } : {};
  return { id: node.id, base: chainOf(node.base), ...before };
}
