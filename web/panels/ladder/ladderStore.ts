// The ladder's own UI state: whether it covers the stage, and the trace pinned for comparison.
// Kept beside the view (not in the main store) because the trace panel remounts on every scenario change.
import { create } from 'zustand';
import type { TraceRequestUI } from '../../state/store';
import type { TraceStep } from '../../state/traceSteps';

export interface PinnedTrace {
  request: TraceRequestUI;
  /** The scenario it was traced in: the current side says when that has changed since. */
  scenarioText: string;
  /** Core's steps as they were when pinned: an edit since does not change them. */
  steps: TraceStep[];
  verdict: string;
  reason: string;
}

interface LadderState {
  open: boolean;
  /** Set when the user opens the ladder: the panel takes the focus once (not when it remounts after an edit). */
  focusPending: boolean;
  pinned: PinnedTrace | null;
  setOpen: (open: boolean) => void;
  focusTaken: () => void;
  pin: (p: PinnedTrace) => void;
  unpin: () => void;
}

export const useLadder = create<LadderState>((set) => ({
  open: false,
  focusPending: false,
  pinned: null,
  setOpen: (open) => set({ open, focusPending: open }),
  focusTaken: () => set({ focusPending: false }),
  pin: (pinned) => set({ pinned, open: true }),
  unpin: () => set({ pinned: null }),
}));

/** "pod/default/web-1 → web.default.svc.cluster.local:80 TCP". */
export function requestLabel(r: TraceRequestUI): string {
  return `${r.from} → ${r.to}${r.port !== undefined ? `:${r.port}` : ''} ${r.protocol ?? 'TCP'}`;
}
