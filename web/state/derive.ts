// Derived state: core computes it from the store's scenario text, memoized
// on the text's identity so every component shares one realized cluster.
import { create } from 'zustand';
import { useExplorer, type ExplorerState } from './store';
import type { Plan } from '../../core/plan/plan';
import type { RuleCheck } from '../../core/trace/threeRules';
import { askWorker, derivedListeners, isBig } from '../worker/workerClient';
import type { EffectSummary, ScenarioTotals } from '../worker/workerProtocol';
import { lessonById, type LessonStep } from '../lessons/lessons';
import { lessonView, type LessonView } from '../lessons/view';
import { lru, parseCached } from './parseCache';
import { realize } from '../../core/cluster/realize';
import type { RealizedCluster, Scenario } from '../../core/api/types';
import { primaryFamily } from '../../core/api/familyFields';
import { buildDataplane, type Dataplane } from '../../core/dataplane/dataplane';
import { trace, type TraceOutcome } from '../../core/trace/trace';
import type { Hop } from '../../core/trace/types';
import { requestFamily } from '../../core/trace/traceFamily';
import type { IpFamilyName } from '../../core/ip/anyIp';
import type { TraceRequestUI } from './store';
import { traceSteps, type TraceStep } from './traceSteps';

export type { TraceStep };
import { issueLine } from '../../core/scenario/issueLine';
import { clusterOf, type LiveNode } from './liveHistory';
import { bigState, live, liveAskOf } from './liveView';
import { memoLast, memoLast2 } from './memo';
import { effectOf, fromWorker, NO_EFFECT, withoutRollouts, type EditEffect } from './editEffect';
import { askBigEffect, bigEffectOf, effectArrivals, noteEffect, retryFailedEffects } from './bigEffects';

export type { EditEffect };

export interface Derived {
  /** For a big scenario derived in the worker, only its first workloads and Services (see `totals`). */
  scenario: Scenario;
  totals?: ScenarioTotals;
  cluster: RealizedCluster;
  /** Checks the worker already ran for a big scenario (the warnings panel computes them itself otherwise). */
  rules?: RuleCheck[];
  breaksFirst?: Plan['breaksFirst'];
  /** What the change from `effect.from` did, when the worker computed it. */
  effect?: EffectSummary & { from: string };
}

/** Bumped when the worker delivers, so components re-read the cache. */
const arrivals = create<{ n: number }>(() => ({ n: 0 }));
const requested = new Set<string>();
/** Big texts the worker could not derive. */
const failed = new Set<string>();

/** Parsed and realized as new clusters, for the last few texts: an undo, or the "before" of an edit, costs nothing. */
const derivedCache = new Map<string, Derived>();
/** Big scenarios' live states the worker derived, by state id (a text realized from the state before it). */
const liveCache = new Map<string, Derived>();
/** The latest the worker delivered: what stays on screen while a big one is computed. */
let latest: Derived | undefined;

derivedListeners.add((r, before) => {
  const key = r.liveId !== undefined ? String(r.liveId) : r.text;
  requested.delete(key);
  const cache = r.liveId !== undefined ? liveCache : derivedCache;
  cache.delete(key);
  if (r.liveId !== undefined) live.settle(r.liveId, r.text);
  if (r.liveId !== undefined && r.beforeLiveId !== undefined && r.effect)
    noteEffect(r.beforeLiveId, r.liveId, r.effect);
  latest = lru(cache, key, 3, () => ({
    scenario: r.scenario,
    totals: r.totals,
    cluster: r.cluster,
    rules: r.rules,
    breaksFirst: r.breaksFirst,
    ...(r.effect && before !== undefined ? { effect: { ...r.effect, from: before } } : {}),
  }));
  arrivals.setState((s) => ({ n: s.n + 1 }));
  askStepEffect(useExplorer.getState());
});

/**
 * The live step on screen when it is a big one: the state before it and the state it is (outside lessons,
 * when the store's "before" is that state's text). Its effect is the worker's, by the two states' ids.
 */
function bigStep(s: Pick<ExplorerState, 'lesson' | 'changedFrom'>, text: string) {
  const node = s.lesson ? null : bigState(text);
  const prev = live.previous;
  if (!node || !prev || prev.text !== s.changedFrom || !(isBig(text) || isBig(prev.text))) return undefined;
  return { before: prev, after: node };
}

/** An undo or redo to a big state the page holds: its effect is asked for alone (an edit's comes with its cluster). */
function askStepEffect(s: ExplorerState): void {
  const text = scenarioTextOf(s);
  const step = bigStep(s, text);
  if (step && bigDerived(text)) askBigEffect(step.before, step.after);
}

/** A big text's cluster, when derived: the live state's when it is one, else the text's as a new cluster. */
function bigDerived(text: string): Derived | undefined {
  const node = bigState(text);
  return node?.base ? liveCache.get(String(node.id)) : derivedCache.get(text);
}

function requestFromWorker(text: string): void {
  const node = bigState(text);
  const key = node?.base ? String(node.id) : text;
  if (requested.has(key) || failed.has(key)) return;
  requested.add(key);
  const from = useExplorer.getState().changedFrom;
  void askWorker({ text }, undefined, from ?? undefined, liveAskOf(node, from)).then((r) => {
    if (r.ok) return;
    // Nothing will arrive for this text: say why, and stop showing it as in progress (it is not asked for again).
    failed.add(key);
    useExplorer.getState().showNotice(`The scenario could not be computed: ${r.errors[0]?.message ?? 'unknown error'}`);
    arrivals.setState((s) => ({ n: s.n + 1 }));
  });
}

function derive(text: string): Derived {
  return lru(derivedCache, text, 3, () => deriveUncached(text));
}

function deriveUncached(text: string): Derived {
  const p = parseCached(text);
  // The store only keeps text that parsed; this guard is for a corrupted store.
  if (!p.ok) throw new Error(`the scenario does not parse: ${p.errors[0]?.message ?? 'unknown error'}`);
  return { scenario: p.scenario, cluster: realize(p.scenario) };
}

/** The current text's and the text before an edit both stay in derive's small cache. */
export const deriveFromText = derive;
const derivePrevious = derive;

const liveDerivedOf = new WeakMap<LiveNode, Derived>();
/** A state of the live cluster with its scenario; undefined for a big one (the worker derives those). */
function liveDerived(node: LiveNode | null): Derived | undefined {
  if (!node || isBig(node.text) || (node.base && isBig(node.base.text))) return undefined;
  let d = liveDerivedOf.get(node);
  if (!d) {
    const cluster = clusterOf(node, (text) => derive(text).cluster);
    d = cluster === derive(node.text).cluster ? derive(node.text) : { scenario: derive(node.text).scenario, cluster };
    liveDerivedOf.set(node, d);
  }
  return d;
}

/** The scenario on screen: the lesson step's while a lesson is open, else the user's. */
export function scenarioTextOf(s: Pick<ExplorerState, 'scenarioText' | 'lesson'>): string {
  return s.lesson ? (lessonById(s.lesson.id)?.steps[s.lesson.step]?.scenario ?? s.scenarioText) : s.scenarioText;
}

export function useScenarioText(): string {
  return useExplorer(scenarioTextOf);
}

let retriesSeen = 0;

/** A big text on screen that is not derived yet goes to the worker (outside render: a store subscription). */
function askForBigText(s: ExplorerState): void {
  if (s.backgroundRetries !== retriesSeen) {
    // Retry after a lost worker: what failed is asked for again.
    retriesSeen = s.backgroundRetries;
    failed.clear();
    retryFailedEffects();
    arrivals.setState((a) => ({ n: a.n + 1 }));
  }
  const text = scenarioTextOf(s);
  if (isBig(text) && !bigDerived(text) && shownAny()) requestFromWorker(text);
  askStepEffect(s);
}

/** Something is on screen already (the first big text is derived here, with nothing else to show meanwhile). */
const shownAny = () => derivedCache.size > 0 || liveCache.size > 0;
useExplorer.subscribe(askForBigText);

/** True while a big scenario is being derived in the worker (the cluster shown is the previous one). */
export function usePending(): boolean {
  const text = useScenarioText();
  arrivals((s) => s.n);
  const node = bigState(text);
  return isBig(text) && !bigDerived(text) && shownAny() && !failed.has(node?.base ? String(node.id) : text);
}

export function useDerived(): Derived {
  const text = useScenarioText();
  arrivals((s) => s.n);
  const lesson = useExplorer((s) => s.lesson !== null);
  if (isBig(text)) {
    const shown = bigDerived(text) ?? latest ?? [...derivedCache.values()].pop();
    if (shown) return shown;
  }
  // Outside a lesson the cluster is the live one the edits made.
  const livePart = !lesson && live.current.text === text ? liveDerived(live.current) : undefined;
  // Small texts, and the very first big one (nothing to show meanwhile), are derived here.
  return livePart ?? deriveFromText(text);
}

export function useEditEffect(): EditEffect {
  const derived = useDerived();
  const { cluster } = derived;
  const userFrom = useExplorer((s) => s.changedFrom);
  // A lesson step that changes a scenario marks what it changed; other lesson steps mark nothing.
  const lessonBefore = useExplorer((s) => (s.lesson ? (lessonStepOf(s.lesson)?.before ?? null) : undefined));
  const from = lessonBefore === undefined ? userFrom : lessonBefore;
  const lesson = useExplorer((s) => s.lesson);
  const step = bigStep({ lesson, changedFrom: userFrom }, useScenarioText());
  effectArrivals((s) => s.n);
  if (from === null) return NO_EFFECT;
  // A big scenario's effect was computed in the worker, next to both clusters: a live step's by its states' ids.
  // Until it arrives nothing is listed (a text's own effect may have been from another state).
  if (lessonBefore === undefined && step) {
    const e = bigEffectOf(step.before, step.after);
    return e ? fromWorker(e) : NO_EFFECT;
  }
  if (derived.effect && derived.effect.from === from) return fromWorker(derived.effect);
  if (isBig(from)) return NO_EFFECT;
  // The live cluster before the edit (or the undo): what it changed in the running cluster.
  const before = lessonBefore === undefined && live.previous?.text === from ? liveDerived(live.previous) : undefined;
  const effect = effectOf((before ?? derivePrevious(from)).cluster, cluster);
  // A rollout belongs to the edit that made this state: an undo back to it does not run it again.
  return before && live.current.base === live.previous ? effect : withoutRollouts(effect);
}

export const dataplaneOf = memoLast((c: RealizedCluster): Dataplane => buildDataplane(c));

export interface DerivedTrace {
  outcome: TraceOutcome;
  steps: TraceStep[];
  /** The family the packet travels in (core's choice: the one asked for, else the destination's, else the primary). */
  family: IpFamilyName;
}

const traceOf = memoLast2((dp: Dataplane, req: TraceRequestUI): DerivedTrace => {
  const outcome = trace(dp, req);
  const choice = requestFamily(dp, req);
  return { outcome, steps: traceSteps(outcome), family: choice.ok ? choice.family : primaryFamily(dp.cluster.cluster) };
});

export function useTrace(): DerivedTrace | null {
  const { cluster } = useDerived();
  const req = useExplorer((s) => s.trace);
  return req ? traceOf(dataplaneOf(cluster), req) : null;
}

/** Where a trace step happens, as a selection ref: the pod it is in, else its node. */
export function hopRef(hop: Hop): string | null {
  if (hop.namespace.startsWith('pod ')) return `pod/${hop.namespace.slice(4)}`;
  return hop.node === 'external' ? null : `node/${hop.node}`;
}

/** "Predict the next hop": is the clicked object where the next step happens? */
export function judgePrediction(guess: string, next: TraceStep): { right: boolean; message: string } {
  const want = hopRef(next.hop);
  const where = want?.startsWith('pod/')
    ? `pod ${want.slice(4)}`
    : want
      ? `node ${want.slice(5)}`
      : 'outside the cluster';
  const right = guess === want;
  return { right, message: `${right ? 'Right' : 'Not quite'}: the packet goes to ${where}. ${next.hop.explain}` };
}

const lessonStepOf = (at: { id: string; step: number }): LessonStep | undefined => lessonById(at.id)?.steps[at.step];

/** Each lesson step's view, computed once: lesson scenarios are fixed texts. */
const lessonViews = new WeakMap<LessonStep, LessonView>();
export function lessonViewOf(step: LessonStep): LessonView {
  const known = lessonViews.get(step);
  if (known) return known;
  const { cluster } = derive(step.scenario);
  const dp = dataplaneOf(cluster);
  const before = step.before === undefined ? null : derive(step.before).cluster;
  const view = lessonView(step, {
    cluster,
    dp,
    trace: (req) => traceOf(dp, req),
    before: before && { cluster: before, changed: [...effectOf(before, cluster).changed] },
  });
  lessonViews.set(step, view);
  return view;
}

/** The open lesson step's view, or null outside lessons. */
export function useLessonView(): LessonView | null {
  const step = useExplorer((s) => (s.lesson ? lessonStepOf(s.lesson) : undefined));
  return step ? lessonViewOf(step) : null;
}

/** The rejected text's errors, each with the line it points at (null when core cannot place it). */
const rejectedLinesOf = memoLast((r: ExplorerState['rejected']): (number | null)[] =>
  r ? r.errors.map((e) => issueLine(r.text, e)) : [],
);

export function useRejectedLines(): (number | null)[] {
  return rejectedLinesOf(useExplorer((s) => s.rejected));
}
