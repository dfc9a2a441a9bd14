import type { Hop } from '../../../core/trace/types';

const rewrote = (h: Hop) => h.src !== h.srcAfter || h.dst !== h.dstAfter;

/** The packet's headers at a hop, with what NAT rewrote marked. */
export function HopHeaders({ hop }: { hop: Hop }) {
  return (
    <p className="mono headers">
      <span className={hop.src !== hop.srcAfter ? 'changed' : ''}>{hop.src}</span> →{' '}
      <span className={hop.dst !== hop.dstAfter ? 'changed' : ''}>{hop.dst}</span>
      {rewrote(hop) && (
        <>
          {' '}
          ⇒{' '}
          <mark>
            {hop.srcAfter} → {hop.dstAfter}
          </mark>
        </>
      )}
    </p>
  );
}

export const hopTitle = (hop: Hop) => `${hop.action.toUpperCase()} · ${hop.node} · ${hop.namespace} · ${hop.device}`;

/** The current hop: what happened where, the headers, and the rule that decided. */
export function HopCard({ hop }: { hop: Hop }) {
  return (
    <article className="hop" aria-label="Current hop">
      <h3>{hopTitle(hop)}</h3>
      <HopHeaders hop={hop} />
      {hop.outer && (
        <p className="mono">
          outer: {hop.outer.src} → {hop.outer.dst} {hop.outer.proto}
        </p>
      )}
      <p>{hop.explain}</p>
      {hop.rule && <pre className="rule">{hop.rule}</pre>}
    </article>
  );
}

/** Every step, each a button that jumps there. */
export function HopList({
  steps,
  step,
  onPick,
}: {
  steps: { phase: string; hop: Hop }[];
  step: number;
  onPick: (i: number) => void;
}) {
  return (
    <details className="hop-list">
      <summary>All {steps.length} steps</summary>
      <ol>
        {steps.map((s, i) => (
          <li key={i} className={i === step ? 'current' : undefined}>
            <button
              type="button"
              className="link"
              onClick={() => onPick(i)}
              aria-current={i === step ? 'step' : undefined}
            >
              {s.phase}: {s.hop.action} on {s.hop.node} {s.hop.device}
              {rewrote(s.hop) ? ' (NAT)' : ''}
            </button>
          </li>
        ))}
      </ol>
    </details>
  );
}
