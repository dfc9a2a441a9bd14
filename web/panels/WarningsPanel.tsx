import { useMemo } from 'react';
import { plan } from '../../core/plan/plan';
import { checkThreeRules } from '../../core/trace/threeRules';
import { dataplaneOf, useDerived, useEditEffect } from '../state/derive';
import { useExplorer } from '../state/store';
import type { Warning } from '../../core/api/types';
import { VirtualList } from './VirtualList';
import { RolloutSteps } from './RolloutSteps';
import { KernelChanges } from './KernelChanges';

/** Up to this many warnings (or changes) are listed whole; more are windowed, two lines each. */
const PLAIN_WARNINGS = 50;

function WarningLine({ w, isNew }: { w: Warning; isNew: boolean }) {
  const select = useExplorer((s) => s.select);
  return (
    <div className={`warning${isNew ? ' new' : ''}`} title={`${w.code}: ${w.message}`}>
      {isNew && <span className="badge">new</span>}
      <strong>{w.code}</strong> {w.message}
      {w.subject && w.subject !== 'cluster' && (
        <>
          {' '}
          <button type="button" className="link" onClick={() => select(w.subject!)} aria-label={`Show ${w.subject}`}>
            show
          </button>
        </>
      )}
    </div>
  );
}

/** What broke and why, what the last edit changed, and whether the three rules still hold. */
export function WarningsPanel() {
  const derived = useDerived();
  const { scenario, cluster } = derived;
  const effect = useEditEffect();
  // A big scenario's checks were already run by the worker.
  const rules = useMemo(() => derived.rules ?? checkThreeRules(dataplaneOf(cluster)), [derived.rules, cluster]);
  const breaks = useMemo(
    () => derived.breaksFirst ?? plan(scenario, cluster).breaksFirst,
    [derived.breaksFirst, scenario, cluster],
  );
  const broken = rules.filter((r) => !r.holds);
  return (
    <section className="warnings-panel" aria-label="Warnings" id="warnings" tabIndex={-1}>
      <h2>Warnings</h2>
      {cluster.warnings.length === 0 && broken.length === 0 ? (
        <p className="ok">
          No warnings: every pod has an IP, every Service with a selector has endpoints, and the three rules hold.
        </p>
      ) : (
        <>
          {broken.length > 0 && (
            <ul className="warnings">
              {broken.map((r) => (
                <li key={r.rule}>
                  <strong>ThreeRulesViolated</strong> {r.rule}: {r.counterexample ?? r.evidence}
                </li>
              ))}
            </ul>
          )}
          {cluster.warnings.length > 0 && cluster.warnings.length <= PLAIN_WARNINGS && (
            <ul className="warnings">
              {cluster.warnings.map((w, i) => (
                <li key={i}>
                  <WarningLine w={w} isNew={effect.newWarnings.has(`${w.code} ${w.message}`)} />
                </li>
              ))}
            </ul>
          )}
          {cluster.warnings.length > PLAIN_WARNINGS && (
            // Windowed: 10,000 Services without endpoints are 10,000 warnings. Two lines each; the full text is its title.
            <VirtualList
              items={cluster.warnings}
              rowHeight={44}
              rowLines={2}
              maxRows={8}
              label="Warnings"
              className="warnings"
              keyOf={(_, i) => i}
              render={(w) => <WarningLine w={w} isNew={effect.newWarnings.has(`${w.code} ${w.message}`)} />}
            />
          )}
        </>
      )}
      <p className="plan-line">
        <strong>Breaks first:</strong> {breaks.message}
      </p>
      <p className="plan-line">
        <strong>The three rules:</strong> {rules.map((r) => `${r.holds ? '✓' : '✗'} ${r.rule}`).join(' · ')}{' '}
        <span className="hint">({rules[0]?.evidence})</span>
      </p>
      {effect.changes.length > 0 && (
        // Open when short, or when it holds a rollout's steps (those collapse on their own when long).
        <details className="changes" open={effect.changes.length <= 8 || effect.rollouts.length > 0}>
          <summary>Changed by the last edit ({effect.changes.length})</summary>
          {effect.changes.length <= PLAIN_WARNINGS ? (
            // It scrolls past 14rem: focusable, so a keyboard can scroll it too.
            <ul tabIndex={0} aria-label="Changed by the last edit">
              {effect.changes.map((c, i) => (
                <li key={i} className={c.kind}>
                  {c.message}
                </li>
              ))}
            </ul>
          ) : (
            <VirtualList
              items={effect.changes}
              rowHeight={22}
              maxRows={12}
              label="Changed by the last edit"
              keyOf={(_, i) => i}
              render={(c) => (
                <span className={c.kind} title={c.message}>
                  {c.message}
                </span>
              )}
            />
          )}
          <KernelChanges kernels={effect.kernels} />
          <RolloutSteps rollouts={effect.rollouts} />
        </details>
      )}
    </section>
  );
}
