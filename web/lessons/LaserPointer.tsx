import { useEffect } from 'react';
import { useExplorer } from '../state/store';
import { typing } from '../state/typing';

/** A red dot that follows the mouse, for pointing at the projector (presenter mode, L toggles it). Hidden until the pointer moves. */
export function LaserPointer() {
  const presenter = useExplorer((s) => s.presenter);
  useEffect(() => {
    if (!presenter) return;
    const dot = document.createElement('div');
    dot.className = 'laser';
    dot.setAttribute('aria-hidden', 'true');
    dot.hidden = true;
    document.body.appendChild(dot);
    let on = true;
    let moved = false;
    const move = (e: PointerEvent) => {
      dot.style.transform = `translate(${e.clientX - 9}px, ${e.clientY - 9}px)`;
      moved = true;
      dot.hidden = !on;
    };
    const key = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === 'l' && !typing(e.target)) {
        on = !on;
        dot.hidden = !(on && moved);
      }
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('keydown', key);
      dot.remove();
    };
  }, [presenter]);
  return null;
}
