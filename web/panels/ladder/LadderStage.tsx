// The ladder draws over the diagram stage, the widest area on every screen; its code loads when first opened.
import { lazy, Suspense, useEffect } from 'react';
import { createPortal } from 'react-dom';
import { useLadder } from './ladderStore';

const LadderPanel = lazy(() => import('./LadderPanel'));
const STAGE_ID = 'diagram-stage';

/** Renders into the stage while the ladder is open; the page is marked so the stage keeps room for it. */
export function LadderStage() {
  const open = useLadder((s) => s.open);
  // Opened by a click, long after the stage was first drawn.
  const stage = open ? document.getElementById(STAGE_ID) : null;
  useEffect(() => {
    if (!open) return;
    document.documentElement.dataset.ladder = 'on';
    return () => void delete document.documentElement.dataset.ladder;
  }, [open]);
  return open && stage
    ? createPortal(
        <Suspense fallback={<p className="ladder-loading">Loading the ladder…</p>}>
          <LadderPanel />
        </Suspense>,
        stage,
      )
    : null;
}
