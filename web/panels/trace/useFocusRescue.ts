import { useLayoutEffect, useRef } from 'react';

/**
 * Two neighbouring buttons (Step back / Step forward, Previous / Next): when one disables
 * itself while it has the focus (Step forward at the last hop), the focus would drop to the
 * page; it moves to the other one instead.
 */
export function useFocusPair(firstDisabled: boolean, secondDisabled: boolean) {
  const first = useRef<HTMLButtonElement>(null);
  const second = useRef<HTMLButtonElement>(null);
  // The one of the pair that last had the focus: newer Chromium moves the focus off a button to the body as soon as
  // it is disabled (while React commits), so by the effect below the focus may already be gone.
  const had = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    const els = [first.current, second.current];
    const on = (e: FocusEvent) => {
      had.current = e.currentTarget as HTMLElement;
    };
    for (const el of els) el?.addEventListener('focus', on);
    return () => {
      for (const el of els) el?.removeEventListener('focus', on);
    };
  }, []);
  // Right after the commit, before the browser's focus fixup moves the focus to the body (or just after it did).
  useLayoutEffect(() => {
    const lost = (el: HTMLElement | null) =>
      el !== null &&
      (document.activeElement === el ||
        (had.current === el && (document.activeElement === null || document.activeElement === document.body)));
    if (firstDisabled && lost(first.current)) second.current?.focus();
    if (secondDisabled && lost(second.current)) first.current?.focus();
  }, [firstDisabled, secondDisabled]);
  return [first, second] as const;
}
