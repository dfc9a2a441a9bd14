// The room the diagram has: the stage's width, and the window's height below the
// stage's top, so the whole cluster is drawn without scrolling the page.
import { useEffect, useState } from 'react';

export interface StageSize {
  width: number;
  height: number;
}

const MIN_H = 320;
/** Up to this window width the layout is the phone's (web/phone.css). */
const PHONE_MAX_W = 600;
const PHONE_SHARE = 0.78;
const BOTTOM = 14;

export function useStageSize(ref: React.RefObject<HTMLElement | null>): StageSize {
  const [size, setSize] = useState<StageSize>({ width: 1000, height: 600 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let covered: Element | null = null;
    const measure = () => {
      const r = el.getBoundingClientRect();
      const top = r.top + window.scrollY;
      // An overlay laid over the stage's foot (presenter mode's hop headers) is room the diagram does not have.
      const cover = document.querySelector('[data-covers-stage]');
      if (cover !== covered) {
        if (covered) ro.unobserve(covered);
        if (cover) ro.observe(cover);
        covered = cover;
      }
      const under = cover ? cover.getBoundingClientRect().height + 8 : 0;
      // A phone's page is one scrolling column: the diagram gets most of a screen, drawn tall to match.
      const narrow = window.innerWidth < PHONE_MAX_W;
      const room = narrow ? window.innerHeight * PHONE_SHARE : window.innerHeight - top - BOTTOM - under;
      const height = Math.max(MIN_H, Math.floor(room));
      const width = Math.floor(r.width);
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    };
    const ro = new ResizeObserver(() => measure());
    measure();
    ro.observe(el);
    ro.observe(document.documentElement);
    window.addEventListener('resize', measure);
    // The overlay comes and goes with the trace: re-measure only when it does.
    const mo = new MutationObserver(() => {
      if (document.querySelector('[data-covers-stage]') !== covered) measure();
    });
    mo.observe(document.body, { childList: true, subtree: true });
    return () => {
      mo.disconnect();
      ro.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref]);
  return size;
}
