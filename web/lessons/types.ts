// What a lesson is: steps that each name a scenario, what to select, what to trace and
// which hop to park on; the text is a function of what core computed for that step.
import type { Dataplane } from '../../core/dataplane/dataplane';
import type { RealizedCluster } from '../../core/api/types';
import type { TraceOutcome } from '../../core/trace/trace';
import type { TraceRequestUI } from '../state/store';
import type { TracePhase, TraceStep } from '../state/traceSteps';

export interface Facts {
  cluster: RealizedCluster;
  dp: Dataplane;
  trace: TraceOutcome | null;
  /** The trace as the stepper walks it: what "Step 1 of N" counts. */
  steps: TraceStep[];
  /** The step the lesson parks on (its `traceAt`, else the first), as the screen shows it. */
  at: TraceStep | undefined;
  /** The cluster of `before`, when the step compares itself with one. */
  before: RealizedCluster | null;
  /** Refs the diagram marks as changed since `before`. */
  changed: string[];
}

export interface LessonStep {
  title: string;
  /** The scenario text for this step. */
  scenario: string;
  /** A scenario this step changes: the diagram marks what differs from it (new pods, say). */
  before?: string;
  /** What the diagram selects and the inspector explains: "node/…", "pod/…", "svc/…", "cluster". */
  select?: (c: RealizedCluster) => string | null;
  trace?: (c: RealizedCluster) => TraceRequestUI;
  /** Which trace step to show first: the first hop of this phase with this action. */
  traceAt?: { phase: TracePhase; action: string };
  /** Paragraphs; every number comes from `facts`. */
  body: (f: Facts) => string[];
}

export interface Lesson {
  id: string;
  title: string;
  steps: LessonStep[];
}
