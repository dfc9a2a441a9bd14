// The user's own saved work versus what is on screen: a shared link opened as a
// visit, and another tab's newer save. Both pause autosave (web/state/autosave.ts)
// until the user chooses, so nothing of theirs is overwritten without a word.
import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import type { Saved } from './persist';

/** Undo steps kept; older ones are dropped (the same bound as the store's). */
const HISTORY_LIMIT = 100;

interface ScenarioRead {
  scenarioText: string;
  past: string[];
  visiting: boolean;
  otherTab: Saved | null;
}

interface ScenarioWrite {
  scenarioText: string;
  past: string[];
  future: string[];
  changedFrom: string | null;
  rejected: null;
  selection: string | null;
  trace: null;
  traceStep: number;
  visiting: boolean;
  otherTab: Saved | null;
}

export interface SavedWorkState {
  /** A share link is on screen; the user's own saved scenario stays as it was until Keep this or Back to mine. */
  visiting: boolean;
  /** Another tab saved a different scenario: this tab stops autosaving until Load theirs or Keep mine. */
  otherTab: Saved | null;
  /** The shared cluster becomes the user's own (saved), their previous one an undo step. */
  keepShared: () => void;
  /** The user's own saved scenario and selection, exactly as they are in storage now. */
  backToMine: () => void;
  /** A storage event: another tab saved. */
  otherTabSaved: (theirs: Saved) => void;
  loadTheirs: () => void;
  /** This tab's scenario is saved over the other tab's (it will see the same banner). */
  keepMine: () => void;
}

type Set = (f: (s: ScenarioRead) => Partial<ScenarioWrite>) => void;

/** A fresh scenario on screen: no trace, nothing to compare against. */
const opened = (text: string, selection: string | null): Partial<ScenarioWrite> => ({
  scenarioText: text,
  selection,
  changedFrom: null,
  rejected: null,
  trace: null,
  traceStep: 0,
});

export function savedWorkSlice(set: Set, readOwnNow: () => Saved | null, visiting: boolean): SavedWorkState {
  return {
    visiting,
    otherTab: null,
    keepShared: () =>
      set((s) => ({
        visiting: false,
        past: [readOwnNow()?.scenario ?? DEFAULT_SCENARIO_YAML, ...s.past].slice(-HISTORY_LIMIT),
      })),
    backToMine: () =>
      set(() => {
        const own = readOwnNow();
        return {
          ...opened(own?.scenario ?? DEFAULT_SCENARIO_YAML, own?.selection ?? null),
          past: [],
          future: [],
          visiting: false,
        };
      }),
    // While visiting nothing is saved, and Back to mine reads storage afresh: no conflict to show.
    // A save that differs only in its selection is no conflict either: a click is not work.
    otherTabSaved: (theirs) =>
      set((s) => (s.visiting ? {} : { otherTab: theirs.scenario === s.scenarioText ? null : theirs })),
    loadTheirs: () =>
      set((s) => {
        if (!s.otherTab) return {};
        return {
          ...opened(s.otherTab.scenario, s.otherTab.selection),
          past: [...s.past, s.scenarioText].slice(-HISTORY_LIMIT),
          future: [],
          otherTab: null,
        };
      }),
    keepMine: () => set(() => ({ otherTab: null })),
  };
}
