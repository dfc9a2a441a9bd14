// `--from BEFORE` (repeatable, oldest first): a scenario applied to a live cluster, the result of applying
// each earlier file in turn, instead of to a new one. `trace` spells it `--history` (its --from is the packet's).
import { realize } from '../core/cluster/realize';
import { liveStateOf, type LiveState } from '../core/cluster/liveState';
import type { RealizedCluster, Scenario } from '../core/api/types';
import { loadScenario } from './args';

export const LIVE_OPTIONS = {
  from: { type: 'string', multiple: true },
  history: { type: 'string', multiple: true },
} as const;

/** The live cluster after applying `files` in order to a new cluster; undefined for none. */
export function liveHistory(files: readonly string[]): LiveState | undefined {
  let state: LiveState | undefined;
  for (const f of files) state = liveStateOf(realize(loadScenario(f), state));
  return state;
}

/** The history files a command was given: --from (where it means that) and --history. */
export function historyFiles(values: { from?: unknown; history?: unknown }, fromIsHistory = true): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return [...(fromIsHistory ? list(values.from) : []), ...list(values.history)];
}

/** The scenario realized as the next state of the live cluster its history made (a new cluster without one). */
export function realizeLive(
  file: string | undefined,
  history: readonly string[],
  scenario: Scenario = loadScenario(file),
): RealizedCluster {
  return realize(scenario, liveHistory(history));
}
