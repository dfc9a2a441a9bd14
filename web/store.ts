// The one store: what the user declared (the scenario text) and UI state.
// Everything derived (parsed scenario, realized cluster) comes from core via
// web/derive.ts, memoized on identity, never stored here.
import { create } from 'zustand';
import { DEFAULT_SCENARIO_YAML } from '../core/model/defaultScenario';
import { parseScenario } from '../core/model/parse';
import type { ScenarioIssue } from '../core/model/types';

/** What is selected: "node/NAME", "pod/NS/NAME", "svc/NS/NAME" or "cluster". */
export type SelectionRef = string | null;
export type Theme = 'light' | 'dark';

/** A trace the user asked for: refs as the CLI takes them. */
export interface TraceRequestUI {
  from: string;
  to: string;
  port?: number;
  protocol?: 'TCP' | 'UDP';
}

export interface ExplorerState {
  /** The last scenario text that parsed: the cluster on screen always comes from a good one. */
  scenarioText: string;
  /** Errors from the last rejected text, shown next to the editor; the cluster stays as it was. */
  rejected: { text: string; errors: ScenarioIssue[] } | null;
  selection: SelectionRef;
  theme: Theme;
  trace: TraceRequestUI | null;
  /** Index into the trace's steps (DNS hops, then the connection, then the reply). */
  traceStep: number;
  startTrace: (req: TraceRequestUI) => void;
  clearTrace: () => void;
  stepTo: (step: number) => void;
  loadScenarioText: (text: string) => boolean;
  resetToDefault: () => void;
  select: (ref: SelectionRef) => void;
  toggleTheme: () => void;
}

const prefersDark = () => typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches;

export const useExplorer = create<ExplorerState>((set) => ({
  scenarioText: DEFAULT_SCENARIO_YAML,
  rejected: null,
  selection: null,
  theme: prefersDark() ? 'dark' : 'light',
  trace: null,
  traceStep: 0,
  startTrace: (trace) => set({ trace, traceStep: 0 }),
  clearTrace: () => set({ trace: null, traceStep: 0 }),
  stepTo: (traceStep) => set({ traceStep }),
  loadScenarioText: (text) => {
    const r = parseScenario(text);
    if (!r.ok) {
      set({ rejected: { text, errors: r.errors } });
      return false;
    }
    set({ scenarioText: text, rejected: null, selection: null, trace: null, traceStep: 0 });
    return true;
  },
  resetToDefault: () => set({ scenarioText: DEFAULT_SCENARIO_YAML, rejected: null, selection: null, trace: null, traceStep: 0 }),
  select: (selection) => set({ selection }),
  toggleTheme: () => set((s) => ({ theme: s.theme === 'light' ? 'dark' : 'light' })),
}));
