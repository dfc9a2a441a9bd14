import { warningKey } from '../../core/cluster/diff';
import { useDerived, useEditEffect } from '../state/derive';
import './editWarnings.css';

/** New warnings listed beside the What-if panel before "and N more". */
const SHOWN = 3;

/** Brings the Warnings panel into view and moves the focus there. */
export function goToWarnings(): void {
  const panel = document.getElementById('warnings');
  if (!panel) return;
  const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  panel.scrollIntoView({ block: 'start', behavior: reduced ? 'auto' : 'smooth' });
  panel.focus({ preventScroll: true });
}

/** The warnings the last edit introduced, where the edit was made; the Warnings panel has them all. */
export function EditWarnings() {
  const { cluster } = useDerived();
  const { newWarnings } = useEditEffect();
  if (newWarnings.size === 0) return null;
  const fresh = cluster.warnings.filter((w) => newWarnings.has(warningKey(w)));
  if (fresh.length === 0) return null;
  return (
    <section className="edit-warnings" aria-label="What the last edit broke">
      <p>
        <strong>
          The last edit brought {fresh.length} new {fresh.length === 1 ? 'warning' : 'warnings'}
        </strong>
      </p>
      <ul>
        {fresh.slice(0, SHOWN).map((w, i) => (
          <li key={i}>
            <strong>{w.code}</strong> {w.message}
          </li>
        ))}
      </ul>
      {fresh.length > SHOWN && <p className="hint">and {fresh.length - SHOWN} more</p>}
      <a
        href="#warnings"
        onClick={(e) => {
          e.preventDefault();
          goToWarnings();
        }}
      >
        Show in Warnings
      </a>
    </section>
  );
}
