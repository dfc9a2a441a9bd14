/**
 * Scrolls the ladder's own box (never the page) so that `el` stands below the sticky column titles:
 * the current rung stays in sight while the trace plays.
 */
export function keepInView(el: Element, margin = 8): void {
  const box = el.closest('.ladder-scroll');
  if (!box) return;
  const head = box.querySelector('.ladder-sticky')?.getBoundingClientRect().height ?? 0;
  const b = box.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  const top = b.top + head + margin;
  // A box taller than the window is only seen down to the window's bottom.
  const bottom = Math.min(b.bottom, window.innerHeight) - margin;
  if (r.top < top) box.scrollTop -= top - r.top;
  else if (r.bottom > bottom) box.scrollTop += Math.min(r.bottom - bottom, r.top - top);
}
