import { useEffect, useState, type RefObject } from 'react';

/** The content width of a box (inside its padding), kept up to date as it resizes. */
export function useBoxWidth(ref: RefObject<HTMLElement | null>, fallback = 800): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const css = getComputedStyle(el);
      setWidth(Math.floor(el.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight)));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}
