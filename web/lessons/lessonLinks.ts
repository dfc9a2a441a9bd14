import { useEffect } from 'react';
import { useExplorer } from '../state/store';
import { LESSONS, lessonById } from './lessons';

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

/** The step before and after `at`, across lessons; null at either end. */
export function neighbours(at: { id: string; step: number }) {
  const i = LESSONS.findIndex((l) => l.id === at.id);
  const lesson = LESSONS[i]!;
  const prev =
    at.step > 0
      ? { id: at.id, step: at.step - 1 }
      : i > 0
        ? { id: LESSONS[i - 1]!.id, step: LESSONS[i - 1]!.steps.length - 1 }
        : null;
  const next =
    at.step < lesson.steps.length - 1
      ? { id: at.id, step: at.step + 1 }
      : i < LESSONS.length - 1
        ? { id: LESSONS[i + 1]!.id, step: 0 }
        : null;
  return { prev, next };
}
