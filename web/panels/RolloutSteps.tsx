import { rolloutText, STEP_ASSUMPTION, stepPodText, type RolloutReport } from '../../core/cluster/rolloutReport';

/** Steps listed open up to this many; a longer rollout starts collapsed. */
const OPEN_STEPS = 6;

function Rollout({ r }: { r: RolloutReport }) {
  // The heading is core's own first line, so the app and `k8snet diff` say the same thing.
  const title = rolloutText(r)[0]!;
  return (
    <details className="rollout" open={r.steps.length <= OPEN_STEPS}>
      <summary>{title}</summary>
      {/* It scrolls when long: focusable, so a keyboard can scroll it too. */}
      <ol tabIndex={0} aria-label={`Steps of ${r.kind} ${r.namespace}/${r.name}`}>
        {r.steps.map((s, i) => (
          <li key={i}>
            {s.action}
            <ul>
              {s.created.map((p) => (
                <li key={`+${p.name}`} className="added">
                  + {stepPodText(p)}
                </li>
              ))}
              {s.createdCount > s.created.length && (
                <li className="added">+ … and {s.createdCount - s.created.length} more pods</li>
              )}
              {s.terminated.map((p) => (
                <li key={`-${p.name}`} className="removed">
                  - {stepPodText(p)}
                </li>
              ))}
              {s.terminatedCount > s.terminated.length && (
                <li className="removed">- … and {s.terminatedCount - s.terminated.length} more pods</li>
              )}
            </ul>
          </li>
        ))}
      </ol>
      {r.stalled && <p className="rollout-stalled">Stalled: {r.stalled}</p>}
    </details>
  );
}

/** The rolling updates the last edit set off, each as the steps its controller takes. */
export function RolloutSteps({ rollouts }: { rollouts: RolloutReport[] }) {
  if (rollouts.length === 0) return null;
  return (
    <div className="rollouts" role="group" aria-label="Rollouts of the last edit">
      {rollouts.map((r) => (
        <Rollout key={`${r.kind}/${r.namespace}/${r.name}`} r={r} />
      ))}
      <p className="hint">{STEP_ASSUMPTION}.</p>
    </div>
  );
}
