import { useEffect } from 'react';
import { useTrace } from '../../state/derive';
import { useExplorer } from '../../state/store';
import { typing } from '../../state/typing';

/**
 * The trace plays on its own, one step per `playSpeed` ms, and stops at the last; a shared
 * link's step past the end is brought back to the last step.
 */
export function usePlayback() {
  const t = useTrace();
  const total = t?.steps.length ?? 0;
  const step = useExplorer((s) => s.traceStep);
  const playing = useExplorer((s) => s.playing);
  const speed = useExplorer((s) => s.playSpeed);
  const stepTo = useExplorer((s) => s.stepTo);
  const setPlaying = useExplorer((s) => s.setPlaying);
  useEffect(() => {
    if (total > 0 && step > total - 1) stepTo(total - 1);
  }, [step, total, stepTo]);
  useEffect(() => {
    if (!playing) return;
    if (step >= total - 1) return setPlaying(false);
    const id = setTimeout(() => stepTo(step + 1), speed);
    return () => clearTimeout(id);
  }, [playing, step, total, stepTo, speed, setPlaying]);
}

/** While a trace is open: "." steps forward, "," back; in presenter mode Space plays and pauses. */
export function useStepKeys() {
  const t = useTrace();
  const total = t?.steps.length ?? 0;
  const presenter = useExplorer((s) => s.presenter);
  useEffect(() => {
    if (total === 0) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const s = useExplorer.getState();
      if (e.key === '.') s.stepTo(Math.min(total - 1, s.traceStep + 1));
      else if (e.key === ',') s.stepTo(Math.max(0, s.traceStep - 1));
      // On the projector Space is play/pause, even after a click left the focus on a button (Enter still presses it).
      else if (e.key === ' ' && presenter) s.togglePlay(total);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [total, presenter]);
}
