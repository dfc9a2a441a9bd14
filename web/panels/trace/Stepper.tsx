import { useExplorer } from '../../state/store';
import type { TraceStep } from '../../state/traceSteps';
import { useFocusPair } from './useFocusRescue';

/** Step back, Play/Pause, Step forward, the speed and where we are; focus stays on a working button at either end. */
export function Stepper({ steps, predict }: { steps: TraceStep[]; predict: boolean }) {
  const step = useExplorer((s) => s.traceStep);
  const stepTo = useExplorer((s) => s.stepTo);
  const playing = useExplorer((s) => s.playing);
  const togglePlay = useExplorer((s) => s.togglePlay);
  const speed = useExplorer((s) => s.playSpeed);
  const setSpeed = useExplorer((s) => s.setPlaySpeed);
  const setPrediction = useExplorer((s) => s.setPrediction);
  const total = steps.length;
  const current = steps[step];
  const atEnd = step >= total - 1;
  const [backRef, forwardRef] = useFocusPair(step === 0, atEnd);
  return (
    <div className="stepper">
      <button type="button" ref={backRef} onClick={() => stepTo(Math.max(0, step - 1))} disabled={step === 0}>
        Step back
      </button>
      <button type="button" onClick={() => togglePlay(total)}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        ref={forwardRef}
        onClick={() => (predict ? setPrediction({ awaiting: true }) : stepTo(Math.min(total - 1, step + 1)))}
        disabled={atEnd}
      >
        Step forward
      </button>
      <label className="speed">
        Speed
        <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          <option value={1800}>slow</option>
          <option value={900}>normal</option>
          <option value={350}>fast</option>
        </select>
      </label>
      <span aria-live="polite">
        Step {step + 1} of {total}
        {current ? ` · ${current.phase}` : ''}
      </span>
    </div>
  );
}
