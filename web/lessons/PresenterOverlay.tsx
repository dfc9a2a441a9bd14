import { useTrace } from '../state/derive';
import { useExplorer } from '../state/store';
import { HopHeaders, hopTitle } from '../panels/trace/HopCard';
import { LESSONS, lessonById } from './lessons';
import { useFullscreen } from './useFullscreen';

/** Where the class is: every lesson step counted, the current one included. */
function lessonProgress(at: { id: string; step: number }) {
  const total = LESSONS.reduce((n, l) => n + l.steps.length, 0);
  let done = 0;
  for (const l of LESSONS) {
    if (l.id === at.id) return { value: done + at.step + 1, total };
    done += l.steps.length;
  }
  return { value: 0, total };
}

/**
 * Presenter mode's layer over the diagram (HTML, not part of the SVG): a progress bar, play
 * and full screen, and the current hop's headers large enough to read from the back row.
 */
export function PresenterOverlay() {
  const at = useExplorer((s) => s.lesson);
  const step = useExplorer((s) => s.traceStep);
  const playing = useExplorer((s) => s.playing);
  const togglePlay = useExplorer((s) => s.togglePlay);
  const t = useTrace();
  const full = useFullscreen();
  if (!at) return null;
  const lesson = lessonById(at.id)!;
  const progress = lessonProgress(at);
  const steps = t?.steps ?? [];
  const current = steps[step];
  return (
    <div className="presenter-overlay">
      <div className="presenter-bar">
        <div
          className="progress"
          role="progressbar"
          aria-label="Lesson progress"
          aria-valuemin={1}
          aria-valuemax={progress.total}
          aria-valuenow={progress.value}
          aria-valuetext={`${lesson.title}, step ${at.step + 1} of ${lesson.steps.length}; ${progress.value} of ${progress.total} in all`}
        >
          <span style={{ width: `${(100 * progress.value) / progress.total}%` }} />
        </div>
        <div className="presenter-buttons">
          {steps.length > 0 && (
            <button type="button" onClick={() => togglePlay(steps.length)} aria-keyshortcuts="Space">
              {playing ? 'Pause' : 'Play'}
            </button>
          )}
          {full.supported && (
            <button type="button" onClick={full.toggle} aria-pressed={full.on}>
              {full.on ? 'Leave full screen' : 'Full screen'}
            </button>
          )}
        </div>
      </div>
      {current && (
        <section className="presenter-hop" aria-label="Hop on the diagram" aria-live="polite" data-covers-stage>
          <p className="presenter-hop-where">
            {current.phase} · step {step + 1} of {steps.length} · {hopTitle(current.hop)}
          </p>
          <HopHeaders hop={current.hop} />
          {current.hop.outer && (
            <p className="mono presenter-outer">
              outer: {current.hop.outer.src} → {current.hop.outer.dst} {current.hop.outer.proto}
            </p>
          )}
        </section>
      )}
      {steps.length > 0 && (
        <div
          className="progress trace-progress"
          role="progressbar"
          aria-label="Trace progress"
          aria-valuemin={1}
          aria-valuemax={steps.length}
          aria-valuenow={step + 1}
        >
          <span style={{ width: `${(100 * (step + 1)) / steps.length}%` }} />
        </div>
      )}
    </div>
  );
}
