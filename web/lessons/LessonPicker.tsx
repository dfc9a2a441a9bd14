import { useExplorer } from '../state/store';
import { LESSONS } from './lessons';

/** Opens a lesson; while one is open it shows which. */
export function LessonPicker() {
  const open = useExplorer((s) => s.openLesson);
  const current = useExplorer((s) => s.lesson?.id ?? '');
  return (
    <label className="lesson-picker">
      Lessons
      <select value={current} onChange={(e) => e.target.value && open({ id: e.target.value, step: 0 })}>
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
