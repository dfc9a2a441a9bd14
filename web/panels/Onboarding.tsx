// The first-run welcome: three things to try, each leading to its control. A modal dialog
// over the page, so the diagram keeps its size; dismissed once, it stays away (kept in prefs).
import { useEffect, useRef } from 'react';
import { useExplorer } from '../state/store';
import { Term } from './Glossary';

/** The control each suggestion leads to. */
const TARGETS = {
  lessons: '.lesson-picker select',
  trace: '.trace-form select',
  whatIf: '.whatif input',
} as const;

export function Onboarding() {
  const show = useExplorer((s) => !s.onboarded && s.lesson === null);
  const dismiss = useExplorer((s) => s.dismissOnboarding);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (show && d && !d.open) d.showModal();
  }, [show]);
  if (!show) return null;
  // Close first: while the dialog is modal the rest of the page cannot take the focus.
  const goTo = (target: keyof typeof TARGETS) => {
    dialog.current?.close();
    dismiss();
    const el = document.querySelector<HTMLElement>(TARGETS[target]);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };
  return (
    <dialog ref={dialog} className="onboarding" aria-labelledby="onboarding-title" onClose={dismiss}>
      <h2 id="onboarding-title">New here? Three things to try</h2>
      <ol>
        <li>
          <strong>Pick a lesson</strong> from the Lessons menu: each step sets up the cluster and explains what you see.
          <button type="button" onClick={() => goTo('lessons')}>
            Open the Lessons menu
          </button>
        </li>
        <li>
          <strong>Trace a packet</strong>: choose From and To, press Trace, then step hop by hop through the{' '}
          <Term name="veth" />, the <Term name="cni0" /> bridge and <Term name="kube-proxy" />
          &apos;s NAT.
          <button type="button" onClick={() => goTo('trace')}>
            Go to the trace form
          </button>
        </li>
        <li>
          <strong>Break something</strong>: under What if, shrink the <Term name="PodCIDR" /> or add nodes, and watch
          the warnings say what broke and why.
          <button type="button" onClick={() => goTo('whatIf')}>
            Go to What if
          </button>
        </li>
      </ol>
      <p className="hint">
        Words with a dotted underline explain themselves on hover or focus; the Glossary in the header lists them all.
      </p>
      <button type="button" className="onboarding-close" onClick={() => dialog.current?.close()}>
        Got it, hide this
      </button>
    </dialog>
  );
}
