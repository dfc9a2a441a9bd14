import { useEffect, useMemo } from 'react';
import { dataplaneOf, useDerived, useTrace } from '../state/derive';
import { useExplorer } from '../state/store';
import { LESSONS, lessonById } from './lessons';

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/** The lesson URL fragment: `#lesson=services&step=3` (steps counted from 1). */
export function lessonHash(id: string, step: number): string {
  return `#lesson=${encodeURIComponent(id)}&step=${step + 1}`;
}

export function readLessonHash(hash: string): { id: string; step: number } | null {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const id = p.get('lesson');
  const lesson = id ? lessonById(id) : undefined;
  if (!lesson) return null;
  const n = Number(p.get('step') ?? '1');
  const step = Number.isInteger(n) ? Math.min(Math.max(n, 1), lesson.steps.length) - 1 : 0;
  return { id: lesson.id, step };
}

/** Opens a lesson from the URL on load and when the fragment changes. */
export function useLessonLinks() {
  const open = useExplorer((s) => s.openLesson);
  const showNotice = useExplorer((s) => s.showNotice);
  useEffect(() => {
    const read = () => {
      const at = readLessonHash(window.location.hash);
      if (at) return open(at);
      // A link to a lesson that does not exist says so, with the ones that do.
      const asked = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('lesson');
      if (asked !== null)
        showNotice(`There is no lesson "${asked}" (the lessons: ${LESSONS.map((l) => l.id).join(', ')}).`);
    };
    read();
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, [open, showNotice]);
}

export function LessonPicker() {
  const open = useExplorer((s) => s.openLesson);
  return (
    <label className="lesson-picker">
      Lessons
      <select value="" onChange={(e) => e.target.value && open({ id: e.target.value, step: 0 })}>
        <option value="">Choose a lesson…</option>
        {LESSONS.map((l, i) => (
          <option key={l.id} value={l.id}>
            {i + 1}. {l.title}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The lesson on screen: its text (numbers from core), previous/next, presenter mode. */
export function LessonPanel() {
  const at = useExplorer((s) => s.lesson)!;
  const openLesson = useExplorer((s) => s.openLesson);
  const exit = useExplorer((s) => s.exitLesson);
  const presenter = useExplorer((s) => s.presenter);
  const togglePresenter = useExplorer((s) => s.togglePresenter);
  const showLessonStep = useExplorer((s) => s.showLessonStep);
  const stepTo = useExplorer((s) => s.stepTo);
  const { cluster } = useDerived();
  const t = useTrace();
  const lesson = lessonById(at.id)!;
  const step = lesson.steps[at.step]!;
  const lessonIndex = LESSONS.indexOf(lesson);

  // Entering a step sets what it shows: the selection and the trace (and the trace step it is about).
  useEffect(() => {
    showLessonStep(step.select?.(cluster) ?? null, step.trace?.(cluster) ?? null);
    history.replaceState(null, '', lessonHash(at.id, at.step));
    // The step, not the cluster object, decides: the cluster is derived from the step's scenario.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [at.id, at.step]);
  useEffect(() => {
    if (!step.traceAt || !t) return;
    const i = t.steps.findIndex((s) => s.hop.action === step.traceAt);
    if (i >= 0) stepTo(i);
  }, [t, step.traceAt, stepTo]);

  const prev = () => {
    if (at.step > 0) openLesson({ id: at.id, step: at.step - 1 });
    else if (lessonIndex > 0) {
      const l = LESSONS[lessonIndex - 1]!;
      openLesson({ id: l.id, step: l.steps.length - 1 });
    }
  };
  const next = () => {
    if (at.step < lesson.steps.length - 1) openLesson({ id: at.id, step: at.step + 1 });
    else if (lessonIndex < LESSONS.length - 1) openLesson({ id: LESSONS[lessonIndex + 1]!.id, step: 0 });
  };
  const leave = () => {
    exit();
    history.replaceState(null, '', window.location.pathname + window.location.search);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown') next();
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') prev();
      else if (e.key === 'Escape') (presenter ? togglePresenter : leave)();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const paragraphs = useMemo(() => {
    try {
      return step.body({ cluster, dp: dataplaneOf(cluster), trace: t?.outcome ?? null });
    } catch (e) {
      return [`This step could not be computed for the scenario: ${(e as Error).message}`];
    }
  }, [step, cluster, t]);
  const first = lessonIndex === 0 && at.step === 0;
  const last = lessonIndex === LESSONS.length - 1 && at.step === lesson.steps.length - 1;
  return (
    <section className="lesson" aria-label="Lesson">
      <p className="lesson-where">
        Lesson {lessonIndex + 1} of {LESSONS.length}: {lesson.title} · step {at.step + 1} of {lesson.steps.length}
      </p>
      <h2>{step.title}</h2>
      {paragraphs.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
      <div className="lesson-nav">
        <button type="button" onClick={prev} disabled={first}>
          Previous
        </button>
        <button type="button" onClick={next} disabled={last}>
          Next
        </button>
        <button type="button" onClick={togglePresenter} aria-pressed={presenter}>
          {presenter ? 'Leave presenter mode' : 'Presenter mode'}
        </button>
        <button type="button" onClick={leave}>
          Exit lesson
        </button>
      </div>
      <p className="hint">
        Keys: → next, ← previous, Esc {presenter ? 'leaves presenter mode' : 'exits'}
        {presenter ? ', L toggles the laser pointer' : ''}.
      </p>
    </section>
  );
}

/** A red dot that follows the mouse, for pointing at the projector (presenter mode, L toggles it). */
export function LaserPointer() {
  const presenter = useExplorer((s) => s.presenter);
  useEffect(() => {
    if (!presenter) return;
    const dot = document.createElement('div');
    dot.className = 'laser';
    dot.setAttribute('aria-hidden', 'true');
    document.body.appendChild(dot);
    let on = true;
    const move = (e: MouseEvent) => {
      dot.style.transform = `translate(${e.clientX - 9}px, ${e.clientY - 9}px)`;
    };
    const key = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === 'l' && !typing(e.target)) {
        on = !on;
        dot.hidden = !on;
      }
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('keydown', key);
      dot.remove();
    };
  }, [presenter]);
  return null;
}
