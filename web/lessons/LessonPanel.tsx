import { useEffect } from 'react';
import { useLessonView } from '../state/derive';
import { useExplorer } from '../state/store';
import { typing } from '../state/typing';
import { useFocusPair } from '../panels/trace/useFocusRescue';
import { LESSONS, lessonById } from './lessons';
import { lessonHash, neighbours } from './lessonLinks';

/** The lesson on screen: its text (numbers from core), previous/next, presenter mode. */
export function LessonPanel() {
  const at = useExplorer((s) => s.lesson)!;
  const openLesson = useExplorer((s) => s.openLesson);
  const exit = useExplorer((s) => s.exitLesson);
  const presenter = useExplorer((s) => s.presenter);
  const togglePresenter = useExplorer((s) => s.togglePresenter);
  const showLessonStep = useExplorer((s) => s.showLessonStep);
  const view = useLessonView()!;
  const lesson = lessonById(at.id)!;
  const step = lesson.steps[at.step]!;
  const lessonIndex = LESSONS.indexOf(lesson);
  const { prev, next } = neighbours(at);
  const [prevRef, nextRef] = useFocusPair(prev === null, next === null);

  // Entering a step sets what it shows: the selection, the trace, and the hop it is about.
  useEffect(() => {
    showLessonStep(view.selection, view.trace, view.traceStep);
    history.replaceState(null, '', lessonHash(at.id, at.step));
  }, [view, at.id, at.step, showLessonStep]);

  const leave = () => {
    exit();
    history.replaceState(null, '', window.location.pathname + window.location.search);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown') {
        if (next) openLesson(next);
      } else if (e.key === 'ArrowLeft' || e.key === 'PageUp') {
        if (prev) openLesson(prev);
      } else if (e.key === 'Escape') (presenter ? togglePresenter : leave)();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section className="lesson" aria-label="Lesson">
      <p className="lesson-where">
        Lesson {lessonIndex + 1} of {LESSONS.length}: {lesson.title} · step {at.step + 1} of {lesson.steps.length}
      </p>
      <h2>{step.title}</h2>
      {view.paragraphs.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
      <div className="lesson-nav">
        <button type="button" ref={prevRef} onClick={() => prev && openLesson(prev)} disabled={prev === null}>
          Previous
        </button>
        <button type="button" ref={nextRef} onClick={() => next && openLesson(next)} disabled={next === null}>
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
        Keys: → next, ← previous, Esc {presenter ? 'leaves presenter mode' : 'exits'}; with a trace, . and , step
        {presenter ? ', Space plays, L toggles the laser pointer' : ''}.
      </p>
    </section>
  );
}
