import { useLayoutEffect, useRef } from 'react';

/**
 * Two neighbouring buttons (Step back / Step forward, Previous / Next): when one disables
 * itself while it has the focus (Step forward at the last hop), the focus would drop to the
 * page; it moves to the other one instead.
 */
export function useFocusPair(firstDisabled: boolean, secondDisabled: boolean) {
  const first = useRef<HTMLButtonElement>(null);
  const second = useRef<HTMLButtonElement>(null);
  // Right after the commit, before the browser's focus fixup moves the focus to the body.
  useLayoutEffect(() => {
    if (firstDisabled && document.activeElement === first.current) second.current?.focus();
    if (secondDisabled && document.activeElement === second.current) first.current?.focus();
  }, [firstDisabled, secondDisabled]);
  return [first, second] as const;
}
