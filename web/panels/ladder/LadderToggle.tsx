import './ladder.css';
import { useLadder } from './ladderStore';

/** The trace panel's switch between the diagram and the ladder, and what is pinned. */
export function LadderToggle({ hasTrace }: { hasTrace: boolean }) {
  const open = useLadder((s) => s.open);
  const setOpen = useLadder((s) => s.setOpen);
  const pinned = useLadder((s) => s.pinned);
  if (!hasTrace && !pinned) return null;
  return (
    <p className="ladder-toggle">
      <button type="button" aria-pressed={open} onClick={() => setOpen(!open)}>
        Ladder view
      </button>
      {pinned && <span className="ladder-pinned">Pinned for compare</span>}
    </p>
  );
}
