// The open trace as a ladder, or, with a trace pinned, the pinned and the current ladder side by side.
import { useEffect, useMemo, useRef } from 'react';
import { trace } from '../../../core/trace/trace';
import { dataplaneOf, useDerived, useScenarioText, useTrace } from '../../state/derive';
import { useExplorer } from '../../state/store';
import { traceSteps, type TraceStep } from '../../state/traceSteps';
import { ComparedLadders, DiffList, useComparison } from './ComparedLadders';
import { requestLabel, useLadder } from './ladderStore';
import { SingleLadder } from './SingleLadder';
import { useBoxWidth } from './useBoxWidth';

const NO_STEPS: TraceStep[] = [];

/** The ladder's bar (pin, unpin, back to the diagram) and the one or two ladders below it. */
export default function LadderPanel() {
  const t = useTrace();
  const req = useExplorer((s) => s.trace);
  const step = useExplorer((s) => s.traceStep);
  const stepTo = useExplorer((s) => s.stepTo);
  const startTrace = useExplorer((s) => s.startTrace);
  const { cluster } = useDerived();
  const text = useScenarioText();
  const { pinned, pin, unpin, setOpen } = useLadder();
  const box = useRef<HTMLDivElement>(null);
  const width = useBoxWidth(box);
  const heading = useRef<HTMLHeadingElement>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!useLadder.getState().focusPending) return;
    useLadder.getState().focusTaken();
    heading.current?.focus({ preventScroll: true });
    // On a phone the stage is above the trace panel: bring the ladder into view when it is out of sight.
    const top = panel.current?.getBoundingClientRect().top ?? 0;
    if (top < 0 || top > window.innerHeight * 0.6) panel.current?.scrollIntoView?.({ block: 'start' });
  }, []);

  // An edit clears the open trace; the pinned request is traced again in the scenario as it is now.
  const retraced = useMemo(() => {
    if (t || !pinned) return null;
    const outcome = trace(dataplaneOf(cluster), pinned.request);
    return { outcome, steps: traceSteps(outcome) };
  }, [t, pinned, cluster]);
  const shown = t ?? retraced;
  const steps = shown?.steps ?? NO_STEPS;
  const verdict = shown?.outcome.ok ? shown.outcome.result.verdict.toUpperCase() : '';
  const currentReq = req ?? pinned?.request ?? null;
  const pickCurrent = (i: number) => {
    if (!req && pinned) startTrace(pinned.request);
    stepTo(i);
  };
  const canPin = t !== null && t.outcome.ok && t.steps.length > 0;
  const doPin = () => {
    if (!t || !t.outcome.ok || !req) return;
    pin({
      request: req,
      scenarioText: text,
      steps: t.steps,
      verdict: t.outcome.result.verdict,
      reason: t.outcome.result.reason,
    });
  };
  const changedSince = pinned !== null && pinned.scenarioText !== text;
  const currentLabel = currentReq
    ? `${verdict} ${requestLabel(currentReq)}${changedSince ? ' (after the scenario changed)' : ''}`
    : 'no trace';
  const failed = t && !t.outcome.ok ? t.outcome.message : null;
  const comparison = useComparison(pinned?.steps ?? NO_STEPS, steps);

  return (
    <section
      ref={panel}
      className="ladder-panel"
      aria-labelledby="ladder-heading"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <header className="ladder-bar">
        <h2 id="ladder-heading" ref={heading} tabIndex={-1}>
          {pinned ? 'Compare traces' : 'Ladder'}
        </h2>
        <p className="ladder-hint">
          {pinned
            ? 'Change the trace, a what-if field or undo: the current side follows.'
            : 'Time runs down; one column per network namespace. Click a rung to go to that step.'}
        </p>
        <div className="ladder-actions">
          {pinned ? (
            <>
              {canPin && (
                <button type="button" onClick={doPin}>
                  Pin this trace instead
                </button>
              )}
              <button type="button" onClick={unpin}>
                Unpin
              </button>
            </>
          ) : (
            <button type="button" onClick={doPin} disabled={!canPin}>
              Pin for compare
            </button>
          )}
          <button type="button" onClick={() => setOpen(false)}>
            Back to the diagram
          </button>
        </div>
      </header>
      {pinned && !failed && <DiffList diffs={comparison.diffs} />}
      <div className="ladder-scroll" ref={box} role="region" aria-label="Ladder view" tabIndex={0}>
        {failed && <p className="ladder-empty">{failed}</p>}
        {!failed && steps.length === 0 && !pinned && <p className="ladder-empty">Trace a packet to see its ladder.</p>}
        {!failed && pinned && (
          <ComparedLadders
            aligned={comparison.aligned}
            pinned={pinned.steps}
            current={steps}
            width={width}
            step={req ? step : null}
            onPick={pickCurrent}
            pinnedLabel={`${pinned.verdict.toUpperCase()} ${requestLabel(pinned.request)}`}
            currentLabel={currentLabel}
          />
        )}
        {!failed && !pinned && steps.length > 0 && currentReq && (
          <SingleLadder
            steps={steps}
            width={width}
            current={step}
            onPick={stepTo}
            label={`Ladder of ${requestLabel(currentReq)}`}
          />
        )}
      </div>
    </section>
  );
}
