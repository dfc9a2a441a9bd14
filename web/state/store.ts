// The one store: what the user declared (the scenario text), its history, and
// UI state. Everything derived (parsed scenario, realized cluster) comes from
// core via web/state/derive.ts, memoized on identity, never stored here.
import { create } from 'zustand';
import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import { editScenario, type ScenarioEdit } from '../../core/scenario/edit';
import { parseCached as parseScenario } from './parseCache';
import type { ScenarioIssue } from '../../core/api/types';
import { readOwn, startup, type Opening, type Shared } from './persist';
import { savedWorkSlice, type SavedWorkState } from './savedWork';
import { prefsSlice, type PrefsState, type ThemeChoice } from './prefs';
import { askWorker, isBig, liveEdits, lostListeners, workerAvailable } from '../worker/workerClient';
import { GENERATE_JSON_ABOVE, generateScenarioText, type GenerateOptions } from '../../core/scenario/generate';

/** What is selected: "node/NAME", "pod/NS/NAME", "svc/NS/NAME" or "cluster". */
export type SelectionRef = string | null;
export type Theme = ThemeChoice;

/** A trace the user asked for: refs as the CLI takes them. */
export interface TraceRequestUI {
  from: string;
  to: string;
  port?: number;
  protocol?: 'TCP' | 'UDP';
  /** A dual-stack cluster's packet family (core's TraceRequest.family); absent: the destination's, else IPv4. */
  family?: 'IPv4' | 'IPv6';
}

export interface LessonAt {
  id: string;
  /** 0-based. */
  step: number;
}

/** "Predict the next hop": waiting for a click, then the verdict on it. */
export interface Prediction {
  awaiting: boolean;
  result?: { right: boolean; message: string };
}

export type EditOutcome = { ok: true } | { ok: false; errors: ScenarioIssue[] };

/** Undo steps kept; older ones are dropped. */
const HISTORY_LIMIT = 100;

export interface ExplorerState extends SavedWorkState, PrefsState {
  /** The last scenario text that parsed: the cluster on screen always comes from a good one. */
  scenarioText: string;
  /** Earlier and undone texts, for Undo and Redo. */
  past: string[];
  future: string[];
  /** The text before the latest edit, undo or redo: what the highlight compares against (null after loading a new scenario). */
  changedFrom: string | null;
  /** Errors from the last rejected text, shown next to the editor; the cluster stays as it was. */
  rejected: { text: string; errors: ScenarioIssue[]; source: string } | null;
  /** A what-if edit of a big scenario the worker refused (shown above the what-if fields). */
  editRejected: ScenarioIssue[] | null;
  /** The worker is validating or editing a big scenario. */
  working: boolean;
  /** The background worker was given up for lost (why), until the user retries. */
  backgroundLost: string | null;
  /** Bumped by Retry: derive.ts asks the worker again for what failed. */
  backgroundRetries: number;
  /** A big link or saved scenario the worker is opening; nothing is autosaved meanwhile. */
  opening: Opening | null;
  /** A message for the user about startup (a bad link, unreadable saved state). */
  notice: string | null;
  selection: SelectionRef;
  trace: TraceRequestUI | null;
  /** Index into the trace's steps (DNS hops, then the connection, then the reply). */
  traceStep: number;
  /** A lesson on screen: its step's scenario replaces the user's on screen, never in storage. */
  lesson: LessonAt | null;
  /** What the user had selected and traced before the lesson, restored on leaving. */
  beforeLesson: { selection: SelectionRef; trace: TraceRequestUI | null; traceStep: number } | null;
  presenter: boolean;
  /** The stepper plays the trace, one step every `playSpeed` ms. */
  playing: boolean;
  playSpeed: number;
  prediction: Prediction | null;
  openLesson: (at: LessonAt) => void;
  exitLesson: () => void;
  togglePresenter: () => void;
  /** Play from where the trace is (from the start when at its last step), or pause. */
  togglePlay: (total: number) => void;
  setPlaying: (playing: boolean) => void;
  setPlaySpeed: (ms: number) => void;
  setPrediction: (p: Prediction | null) => void;
  startTrace: (req: TraceRequestUI) => void;
  clearTrace: () => void;
  stepTo: (step: number) => void;
  /** Replaces the scenario (editor, import, example); false when it was rejected. `asEdit` highlights what changed; `source` names the input in errors. */
  loadScenarioText: (text: string, opts?: { asEdit?: boolean; source?: string }) => boolean;
  /** A generated cluster: a big one is generated and derived in the worker, so the page never waits for 5 MB of text. */
  generateCluster: (o: GenerateOptions) => void;
  /** One what-if change; errors come back to the field and nothing is applied. */
  applyEdit: (edit: ScenarioEdit) => EditOutcome;
  /** Input refused before parsing (a file over the size limit): shown like any rejected scenario. */
  refuse: (source: string, errors: ScenarioIssue[]) => void;
  undo: () => void;
  redo: () => void;
  resetToDefault: () => void;
  dismissNotice: () => void;
  /** A message for the user (a lab script refused, a scenario the worker could not compute). */
  showNotice: (message: string) => void;
  /** The worker stopped answering or died: say so, with Retry, never an endless spinner. */
  backgroundStopped: (reason: string) => void;
  retryBackground: () => void;
  /** A lesson step opens on what it is about: its selection, its trace, at the hop it is about. */
  showLessonStep: (selection: SelectionRef, trace: TraceRequestUI | null, traceStep: number) => void;
  /** The student's guess at the next hop, judged: the trace moves on to that hop. */
  answerPrediction: (result: { right: boolean; message: string }) => void;
  select: (ref: SelectionRef) => void;
}

const prefersDark = () => typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches;
export const storage = () => (typeof window !== 'undefined' ? window.localStorage : undefined);
/** What start-up found; a big input is parsed by the worker afterwards (web/state/opening.ts). */
export const opened = startup(typeof window !== 'undefined' ? window.location.hash : '', storage(), isBig);

/** A trace request's optional fields, present only when set (a share link carries only what was chosen). */
const portAndProtocol = (t: Omit<TraceRequestUI, 'from' | 'to'>) => ({
  ...(t.port !== undefined ? { port: t.port } : {}),
  ...(t.protocol ? { protocol: t.protocol } : {}),
  ...(t.family ? { family: t.family } : {}),
});

/** What a share link carries: the scenario, the selection, and the trace at its current step. */
export function sharedStateOf(s: ExplorerState): Shared {
  return {
    scenario: s.scenarioText,
    selection: s.selection,
    trace: s.trace ? { from: s.trace.from, to: s.trace.to, ...portAndProtocol(s.trace), step: s.traceStep } : null,
  };
}

/** The scenario changes; the old text becomes an undo step. Trace and rejected input are cleared. */
function transition(s: ExplorerState, text: string, changedFrom: string | null): Partial<ExplorerState> {
  if (text === s.scenarioText) return { rejected: null };
  return {
    scenarioText: text,
    past: [...s.past, s.scenarioText].slice(-HISTORY_LIMIT),
    future: [],
    changedFrom,
    rejected: null,
    trace: null,
    traceStep: 0,
  };
}

export const useExplorer = create<ExplorerState>((set, get) => ({
  ...savedWorkSlice(set, () => readOwn(storage()), opened.visiting && !opened.pending),
  ...prefsSlice(set, storage, prefersDark() === true),
  scenarioText: opened.saved?.scenario ?? DEFAULT_SCENARIO_YAML,
  past: [],
  future: [],
  changedFrom: null,
  rejected: null,
  editRejected: null,
  working: false,
  backgroundLost: null,
  backgroundRetries: 0,
  opening: opened.pending ? { from: opened.pending.from, bytes: opened.pending.scenario.length, failed: null } : null,
  notice: opened.notice,
  selection: opened.saved?.selection ?? null,
  trace: opened.trace ? { from: opened.trace.from, to: opened.trace.to, ...portAndProtocol(opened.trace) } : null,
  traceStep: opened.trace?.step ?? 0,
  lesson: null,
  beforeLesson: null,
  presenter: false,
  playing: false,
  playSpeed: 900,
  prediction: null,
  openLesson: (at) =>
    set((s) => ({
      lesson: at,
      beforeLesson: s.beforeLesson ?? { selection: s.selection, trace: s.trace, traceStep: s.traceStep },
      prediction: null,
      playing: false,
    })),
  exitLesson: () =>
    set((s) => ({
      lesson: null,
      presenter: false,
      prediction: null,
      playing: false,
      beforeLesson: null,
      ...(s.beforeLesson ?? { selection: null, trace: null, traceStep: 0 }),
    })),
  togglePresenter: () => set((s) => ({ presenter: !s.presenter })),
  togglePlay: (total) =>
    set((s) =>
      s.playing ? { playing: false } : { playing: true, traceStep: s.traceStep >= total - 1 ? 0 : s.traceStep },
    ),
  setPlaying: (playing) => set({ playing }),
  setPlaySpeed: (playSpeed) => set({ playSpeed }),
  setPrediction: (prediction) => set({ prediction }),
  startTrace: (trace) => set({ trace, traceStep: 0, prediction: null, playing: false }),
  clearTrace: () => set({ trace: null, traceStep: 0, playing: false }),
  stepTo: (traceStep) => set({ traceStep }),
  loadScenarioText: (text, opts) => {
    if (isBig(text)) {
      // Megabytes of scenario: validated (and derived) in the worker; the page stays responsive.
      set({ working: true });
      const from = opts?.asEdit ? get().scenarioText : undefined;
      void askWorker({ text }, undefined, from, from !== undefined ? liveEdits.of(from) : undefined).then((r) => {
        if (!r.ok)
          return set({ working: false, rejected: { text, errors: r.errors, source: opts?.source ?? 'the scenario' } });
        set((s) => ({
          ...transition(s, text, opts?.asEdit ? s.scenarioText : null),
          ...(opts?.asEdit ? {} : { selection: null }),
          working: false,
        }));
      });
      return true;
    }
    const r = parseScenario(text);
    if (!r.ok) {
      set({ rejected: { text, errors: r.errors, source: opts?.source ?? 'the scenario' } });
      return false;
    }
    set((s) => ({
      ...transition(s, text, opts?.asEdit ? s.scenarioText : null),
      ...(opts?.asEdit ? {} : { selection: null }),
    }));
    return true;
  },
  generateCluster: (o) => {
    const source = 'the generated cluster';
    if (o.nodes <= GENERATE_JSON_ABOVE || !workerAvailable())
      return void get().loadScenarioText(generateScenarioText(o), { source });
    set({ working: true });
    void askWorker({ generate: o }).then((r) => {
      if (!r.ok) return set((s) => ({ working: false, rejected: { text: s.scenarioText, errors: r.errors, source } }));
      set((s) => ({ ...transition(s, r.text, null), selection: null, working: false }));
    });
  },
  applyEdit: (edit) => {
    const current = get().scenarioText;
    if (isBig(current)) {
      set({ working: true, editRejected: null });
      void askWorker({ text: current }, edit, current, liveEdits.of(current)).then((r) => {
        if (!r.ok) return set({ working: false, editRejected: r.errors });
        set((s) => ({ ...transition(s, r.text, s.scenarioText), working: false }));
      });
      return { ok: true };
    }
    const e = editScenario(current, edit);
    if (!e.ok) return { ok: false, errors: [{ document: 'scenario', path: '', value: '', message: e.message }] };
    const r = parseScenario(e.text);
    if (!r.ok) return { ok: false, errors: r.errors };
    set((s) => transition(s, e.text, s.scenarioText));
    return { ok: true };
  },
  refuse: (source, errors) => set((s) => ({ rejected: { text: s.scenarioText, errors, source } })),
  undo: () =>
    set((s) => {
      const prev = s.past[s.past.length - 1];
      if (prev === undefined) return {};
      return {
        scenarioText: prev,
        past: s.past.slice(0, -1),
        future: [s.scenarioText, ...s.future],
        changedFrom: s.scenarioText,
        rejected: null,
        trace: null,
        traceStep: 0,
      };
    }),
  redo: () =>
    set((s) => {
      const next = s.future[0];
      if (next === undefined) return {};
      return {
        scenarioText: next,
        past: [...s.past, s.scenarioText],
        future: s.future.slice(1),
        changedFrom: s.scenarioText,
        rejected: null,
        trace: null,
        traceStep: 0,
      };
    }),
  resetToDefault: () => set((s) => ({ ...transition(s, DEFAULT_SCENARIO_YAML, null), selection: null, notice: null })),
  dismissNotice: () => set({ notice: null }),
  showNotice: (notice) => set({ notice }),
  backgroundStopped: (reason) => set({ backgroundLost: reason, working: false }),
  retryBackground: () => set((s) => ({ backgroundLost: null, backgroundRetries: s.backgroundRetries + 1 })),
  showLessonStep: (selection, trace, traceStep) =>
    set({ selection, trace, traceStep, prediction: null, playing: false }),
  answerPrediction: (result) => set((s) => ({ prediction: { awaiting: false, result }, traceStep: s.traceStep + 1 })),
  select: (selection) => set({ selection }),
}));

lostListeners.add((reason) => useExplorer.getState().backgroundStopped(reason));
