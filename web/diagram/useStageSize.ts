// The room the diagram has: the stage's width, and the window's height below the
// stage's top, so the whole cluster is drawn without scrolling the page.
import { useEffect, useState } from 'react';

export interface StageSize {
  width: number;
  height: number;
}

const MIN_H = 320;
const BOTTOM = 14;

export function useStageSize(ref: React.RefObject<HTMLElement | null>): StageSize {
  const [size, setSize] = useState<StageSize>({ width: 1000, height: 600 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      const top = r.top + window.scrollY;
      const height = Math.max(MIN_H, Math.floor(window.innerHeight - top - BOTTOM));
      const width = Math.floor(r.width);
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    ro.observe(document.documentElement);
    window.addEventListener('resize', measure);
    return () => {
      ro.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref]);
  return size;
}
