import { useEffect, useState } from 'react';

/** The page in full screen (Fullscreen API), and whether it is; false where the browser refuses. */
export function useFullscreen() {
  const [on, setOn] = useState(() => typeof document !== 'undefined' && document.fullscreenElement !== null);
  useEffect(() => {
    const sync = () => setOn(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', sync);
    return () => document.removeEventListener('fullscreenchange', sync);
  }, []);
  const toggle = () => {
    // A refusal (no user gesture, an iframe without allowfullscreen) leaves the page as it was.
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };
  return { on, toggle, supported: typeof document !== 'undefined' && document.fullscreenEnabled };
}
