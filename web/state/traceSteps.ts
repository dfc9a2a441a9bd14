// A trace as the stepper walks it: the DNS lookup's hops, then the request's, then the reply's.
import type { TraceOutcome } from '../../core/trace/trace';
import type { Hop } from '../../core/trace/types';

export type TracePhase = 'DNS lookup' | 'Request' | 'Reply';

/** One step of the animation: a hop, and which part of the story it belongs to. */
export interface TraceStep {
  phase: TracePhase;
  hop: Hop;
}

export function traceSteps(outcome: TraceOutcome): TraceStep[] {
  const steps: TraceStep[] = [];
  if (!outcome.ok) return steps;
  const r = outcome.result;
  if (r.dns) for (const hop of r.dns.query.hops) steps.push({ phase: 'DNS lookup', hop });
  for (const hop of r.hops) steps.push({ phase: 'Request', hop });
  if (r.reply) for (const hop of r.reply.hops) steps.push({ phase: 'Reply', hop });
  return steps;
}

/** Where a step parks: the first hop of that phase with that action; -1 when the trace has none. */
export function findStep(steps: TraceStep[], at: { phase: TracePhase; action: string }): number {
  return steps.findIndex((s) => s.phase === at.phase && s.hop.action === at.action);
}
