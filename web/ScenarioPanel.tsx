import { useState } from 'react';
import { EXAMPLES } from './scenarios';
import { useExplorer } from './store';

/** Load an example or edit the YAML; a scenario with errors is shown, never applied. */
export function ScenarioPanel() {
  const scenarioText = useExplorer((s) => s.scenarioText);
  const rejected = useExplorer((s) => s.rejected);
  const load = useExplorer((s) => s.loadScenarioText);
  const reset = useExplorer((s) => s.resetToDefault);
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? rejected?.text ?? scenarioText;
  const current = EXAMPLES.find((e) => e.text === scenarioText)?.file ?? '';

  return (
    <section className="scenario" aria-label="Scenario">
      <h2>Scenario</h2>
      <div className="scenario-row">
        <label>Example
          <select value={current} onChange={(e) => { const ex = EXAMPLES.find((x) => x.file === e.target.value); if (ex) { load(ex.text); setDraft(null); } }}>
            {current === '' && <option value="">(your own scenario)</option>}
            {EXAMPLES.map((e) => <option key={e.file} value={e.file}>{e.title}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => { reset(); setDraft(null); }}>Reset to default</button>
      </div>
      <details>
        <summary>Edit YAML</summary>
        <label className="yaml">Scenario YAML
          <textarea value={text} onChange={(e) => setDraft(e.target.value)} spellCheck={false} rows={14} aria-invalid={rejected !== null} />
        </label>
        <button type="button" onClick={() => { if (load(text, { asEdit: true })) setDraft(null); }}>Apply</button>
      </details>
      {rejected && (
        <div role="alert" className="errors">
          <p>Not applied: {rejected.source} has {rejected.errors.length === 1 ? 'an error' : `${rejected.errors.length} errors`}. The cluster shown is the last one that was valid.</p>
          <ul>
            {rejected.errors.slice(0, 20).map((e, i) => (
              <li key={i}><strong>{e.document}</strong>{e.path ? ` · ${e.path}` : ''}{e.value ? ` · "${e.value}"` : ''}: {e.message}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
