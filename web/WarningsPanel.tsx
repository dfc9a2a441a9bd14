import { useMemo } from 'react';
import { plan } from '../core/plan/plan';
import { checkThreeRules } from '../core/trace/threeRules';
import { dataplaneOf, useDerived, useEditEffect } from './derive';
import { useExplorer } from './store';

/** What broke and why, what the last edit changed, and whether the three rules still hold. */
export function WarningsPanel() {
  const derived = useDerived();
  const { scenario, cluster } = derived;
  const effect = useEditEffect();
  const select = useExplorer((s) => s.select);
  // A big scenario's checks were already run by the worker.
  const rules = useMemo(() => derived.rules ?? checkThreeRules(dataplaneOf(cluster)), [derived.rules, cluster]);
  const breaks = useMemo(() => derived.breaksFirst ?? plan(scenario, cluster).breaksFirst, [derived.breaksFirst, scenario, cluster]);
  const broken = rules.filter((r) => !r.holds);
  return (
    <section className="warnings-panel" aria-label="Warnings">
      <h2>Warnings</h2>
      {cluster.warnings.length === 0 && broken.length === 0 ? (
        <p className="ok">No warnings: every pod has an IP, every Service has endpoints, and the three rules hold.</p>
      ) : (
        <ul className="warnings">
          {cluster.warnings.slice(0, 100).map((w, i) => {
            const isNew = effect.newWarnings.has(`${w.code} ${w.message}`);
            return (
              <li key={i} className={isNew ? 'new' : undefined}>
                {isNew && <span className="badge">new</span>}
                <strong>{w.code}</strong> {w.message}
                {w.subject && w.subject !== 'cluster' && (
                  <button type="button" className="link" onClick={() => select(w.subject!)} aria-label={`Show ${w.subject}`}>show</button>
                )}
              </li>
            );
          })}
          {cluster.warnings.length > 100 && <li>… and {cluster.warnings.length - 100} more warnings</li>}
          {broken.map((r) => (
            <li key={r.rule}><strong>ThreeRulesViolated</strong> {r.rule}: {r.counterexample ?? r.evidence}</li>
          ))}
        </ul>
      )}
      <p className="plan-line"><strong>Breaks first:</strong> {breaks.message}</p>
      <p className="plan-line"><strong>The three rules:</strong> {rules.map((r) => `${r.holds ? '✓' : '✗'} ${r.rule}`).join(' · ')} <span className="hint">({rules[0]?.evidence})</span></p>
      {effect.changes.length > 0 && (
        <details className="changes" open={effect.changes.length <= 8}>
          <summary>Changed by the last edit ({effect.changes.length})</summary>
          <ul>
            {effect.changes.slice(0, 200).map((c, i) => (
              <li key={i} className={c.kind}>{c.message}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
