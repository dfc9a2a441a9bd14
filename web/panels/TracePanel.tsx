import { useState } from 'react';
import { useDerived, useTrace } from '../state/derive';
import { useExplorer } from '../state/store';
import { TraceForm } from './trace/TraceForm';
import { Stepper } from './trace/Stepper';
import { HopCard, HopList } from './trace/HopCard';
import { LadderStage } from './ladder/LadderStage';
import { LadderToggle } from './ladder/LadderToggle';

/** Choose From/To/Port/Protocol, trace, then step through the hops. All facts come from core's trace. */
export function TracePanel({ lessonMode = false }: { lessonMode?: boolean }) {
  const { cluster } = useDerived();
  const stepTo = useExplorer((s) => s.stepTo);
  const step = useExplorer((s) => s.traceStep);
  const t = useTrace();
  const [predict, setPredict] = useState(false);
  const [portError, setPortError] = useState<string | null>(null);
  const prediction = useExplorer((s) => s.prediction);
  const setPrediction = useExplorer((s) => s.setPrediction);
  // A lesson step without a trace shows no trace card at all.
  if (lessonMode && !t) return null;
  const total = t?.steps.length ?? 0;
  const current = t?.steps[step];
  return (
    <section className="trace" aria-label="Trace">
      <h2>Trace a packet</h2>
      {portError && (
        <p role="alert" id="trace-port-error" className="trace-error">
          {portError}
        </p>
      )}
      {!lessonMode && <TraceForm cluster={cluster} portError={portError} setPortError={setPortError} />}
      {t && !t.outcome.ok && (
        <p role="alert" className="trace-error">
          {t.outcome.message.replace(/^--(from|to): /, (_, w: string) => (w === 'from' ? 'From: ' : 'To: '))}
        </p>
      )}
      {t && t.outcome.ok && (
        <>
          <p className={`verdict verdict-${t.outcome.result.verdict}`} role="status">
            <strong>{t.outcome.result.verdict.toUpperCase()}</strong>: {t.outcome.result.reason}
            {t.outcome.result.dns && (
              <>
                {' '}
                (DNS: {t.outcome.result.dns.name} → {t.outcome.result.dns.answer.join(', ')})
              </>
            )}
          </p>
          {total > 0 && <Stepper steps={t.steps} predict={predict} />}
          {total > 0 && <LadderToggle hasTrace />}
          <label className="predict-toggle">
            <input
              type="checkbox"
              checked={predict}
              onChange={(e) => {
                setPredict(e.target.checked);
                setPrediction(null);
              }}
            />{' '}
            Predict the next hop
          </label>
          {prediction && (
            <p className="predict" role="status" aria-label="Prediction">
              {prediction.awaiting ? (
                'Where does the packet go next? Click the node or pod in the diagram.'
              ) : (
                <span className={prediction.result?.right ? 'right' : 'wrong'}>{prediction.result?.message}</span>
              )}
            </p>
          )}
          {current && <HopCard hop={current.hop} />}
          <HopList steps={t.steps} step={step} onPick={stepTo} />
        </>
      )}
      {/* The ladder draws over the stage; after an edit cleared the trace, a pinned one keeps its toggle. */}
      {!(t?.outcome.ok && total > 0) && <LadderToggle hasTrace={false} />}
      <LadderStage />
    </section>
  );
}
