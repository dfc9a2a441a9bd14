// What a lesson step puts on screen, as one pure value: the selection, the trace and
// the step it parks on, the objects marked as changed, and the text. The panel, the
// diagram and the tests all read this one value, so the text and the screen agree.
import type { RealizedCluster } from '../../core/api/types';
import type { Dataplane } from '../../core/dataplane/dataplane';
import type { TraceOutcome } from '../../core/trace/trace';
import type { TraceRequestUI } from '../state/store';
import { findStep, type TraceStep } from '../state/traceSteps';
import type { Facts, LessonStep } from './types';

export interface LessonView {
  selection: string | null;
  trace: TraceRequestUI | null;
  /** The stepper's index the step opens at. */
  traceStep: number;
  /** The hop at `traceStep`, as the Current hop card shows it. */
  at: TraceStep | undefined;
  changed: string[];
  paragraphs: string[];
}

export interface LessonInputs {
  cluster: RealizedCluster;
  dp: Dataplane;
  trace: (req: TraceRequestUI) => { outcome: TraceOutcome; steps: TraceStep[] };
  /** The step's `before` scenario, realized; the changed refs between it and `cluster`. */
  before: { cluster: RealizedCluster; changed: string[] } | null;
}

export function lessonView(step: LessonStep, inputs: LessonInputs): LessonView {
  const { cluster, dp } = inputs;
  const req = step.trace?.(cluster) ?? null;
  const t = req ? inputs.trace(req) : null;
  const steps = t?.steps ?? [];
  const found = step.traceAt ? findStep(steps, step.traceAt) : 0;
  const traceStep = Math.max(0, found);
  const at = steps[traceStep];
  const facts: Facts = {
    cluster,
    dp,
    trace: t?.outcome ?? null,
    steps,
    at: found < 0 ? undefined : at,
    before: inputs.before?.cluster ?? null,
    changed: inputs.before?.changed ?? [],
  };
  let paragraphs: string[];
  try {
    paragraphs = step.body(facts);
  } catch (e) {
    paragraphs = [`This step could not be computed for the scenario: ${(e as Error).message}`];
  }
  return {
    selection: step.select?.(cluster) ?? null,
    trace: req,
    traceStep,
    at,
    changed: facts.changed,
    paragraphs,
  };
}
