import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { RealizedCluster, RealizedPod } from '../../core/api/types';
import { useDerived, useTrace } from '../state/derive';
import { useExplorer } from '../state/store';
import { firstPods } from '../../core/store/podQueries';

/** Options listed in the From menu and the To suggestions; bigger clusters type a ref. */
const MAX_OPTIONS = 300;

/** Suggestions shown under a From or To field. */
const MAX_SUGGESTIONS = 40;

/**
 * What the field could name, narrowed to what is typed: Service DNS names and
 * refs, nodes, and the pods the menu lists. A few dozen options, not one per
 * object: 10,000 Services would be 20,000 elements to build on every change.
 */
function Suggestions({
  id,
  typed,
  cluster,
  pods,
  active,
}: {
  id: string;
  typed: string;
  cluster: RealizedCluster;
  pods: RealizedPod[];
  active: boolean;
}) {
  const options = useMemo(() => {
    // Built only while its field has the focus: nobody sees the list otherwise.
    if (!active) return [];
    const q = typed.trim().toLowerCase();
    const out: string[] = [];
    const offer = (v: string) => {
      if (out.length < MAX_SUGGESTIONS && v !== typed && (q === '' || v.toLowerCase().includes(q))) out.push(v);
    };
    for (const s of cluster.services) {
      if (out.length >= MAX_SUGGESTIONS) break;
      offer(`${s.name}.${s.namespace}.svc.${cluster.cluster.clusterDomain}`);
      offer(`svc/${s.namespace}/${s.name}`);
    }
    for (const p of pods) offer(`pod/${p.namespace}/${p.name}`);
    for (const n of cluster.nodes) {
      if (out.length >= MAX_SUGGESTIONS) break;
      offer(`node/${n.name}`);
    }
    offer('external');
    return out;
  }, [typed, cluster, pods, active]);
  return (
    <datalist id={id}>
      {options.map((v) => (
        <option key={v} value={v} />
      ))}
    </datalist>
  );
}

/** Choose From/To/Port/Protocol, trace, then step through the hops. All facts come from core's trace. */
export function TracePanel({ lessonMode = false }: { lessonMode?: boolean }) {
  const { cluster } = useDerived();
  const startTrace = useExplorer((s) => s.startTrace);
  const stepTo = useExplorer((s) => s.stepTo);
  const clearTrace = useExplorer((s) => s.clearTrace);
  const step = useExplorer((s) => s.traceStep);
  const t = useTrace();
  // The menus list a few hundred pods; a big cluster's others are typed or found.
  const pods = useMemo(() => firstPods(cluster, MAX_OPTIONS + 1, (p) => p.ip !== null && !p.hostNetwork), [cluster]);
  const firstWeb = pods.find((p) => p.namespace === 'default') ?? pods[0];
  const [from, setFrom] = useState(firstWeb ? `pod/${firstWeb.namespace}/${firstWeb.name}` : 'external');
  const [to, setTo] = useState(() => {
    const svc = cluster.services.find((s) => s.namespace === 'default' && s.name !== 'kubernetes');
    return svc ? `${svc.name}.${svc.namespace}.svc.${cluster.cluster.clusterDomain}` : `svc/default/kubernetes`;
  });
  const [port, setPort] = useState('');
  const [focused, setFocused] = useState<'from' | 'to' | null>(null);
  const [protocol, setProtocol] = useState<'TCP' | 'UDP'>('TCP');
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(900);
  const [predict, setPredict] = useState(false);
  const prediction = useExplorer((s) => s.prediction);
  const setPrediction = useExplorer((s) => s.setPrediction);
  const total = t?.steps.length ?? 0;

  useEffect(() => {
    if (!playing || step >= total - 1) return;
    const id = setTimeout(() => {
      stepTo(step + 1);
      if (step + 1 >= total - 1) setPlaying(false);
    }, speed);
    return () => clearTimeout(id);
  }, [playing, step, total, stepTo, speed]);

  const [portError, setPortError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = port.trim();
    const n = Number(text);
    // The same rule as the API's port fields: a whole number from 1 to 65535, or empty for the destination's own port.
    if (text !== '' && (!/^\d+$/.test(text) || n < 1 || n > 65535)) {
      setPortError(
        `"${text}" is not a port: use a whole number from 1 to 65535, or leave it empty for the destination's own port`,
      );
      // The last trace's result would otherwise stay beside the new error, as if it answered this request.
      clearTrace();
      return;
    }
    setPortError(null);
    startTrace({ from, to, ...(text ? { port: n } : {}), protocol });
  };

  const current = t?.steps[step];
  return (
    <section className="trace" aria-label="Trace">
      <h2>Trace a packet</h2>
      {lessonMode && !t && <p className="hint">This step has no trace.</p>}
      {portError && (
        <p role="alert" id="trace-port-error" className="trace-error">
          {portError}
        </p>
      )}
      {!lessonMode && (
        <form onSubmit={submit} className="trace-form">
          <label>
            From
            {pods.length + cluster.nodes.length <= MAX_OPTIONS ? (
              <select value={from} onChange={(e) => setFrom(e.target.value)}>
                {pods.map((p) => (
                  <option key={`${p.namespace}/${p.name}`} value={`pod/${p.namespace}/${p.name}`}>
                    pod {p.name} ({p.ip})
                  </option>
                ))}
                {cluster.nodes.map((n) => (
                  <option key={n.name} value={`node/${n.name}`}>
                    node {n.name} ({n.ip})
                  </option>
                ))}
                <option value="external">external client</option>
              </select>
            ) : (
              // A big cluster: type a ref (pod/NS/NAME, node/NAME, an IP or "external") instead of scrolling 150,000 options.
              <input
                value={from}
                onChange={(e) => setFrom(e.target.value)}
                onFocus={() => setFocused('from')}
                list="trace-from-targets"
                spellCheck={false}
              />
            )}
          </label>
          <label>
            To
            <input
              value={to}
              onChange={(e) => setTo(e.target.value)}
              onFocus={() => setFocused('to')}
              list="trace-to-targets"
              spellCheck={false}
            />
          </label>
          <Suggestions id="trace-from-targets" typed={from} cluster={cluster} pods={pods} active={focused === 'from'} />
          <Suggestions id="trace-to-targets" typed={to} cluster={cluster} pods={pods} active={focused === 'to'} />
          <label>
            Port
            <input
              value={port}
              onChange={(e) => setPort(e.target.value)}
              inputMode="numeric"
              placeholder="auto"
              size={6}
              aria-invalid={portError !== null}
              aria-describedby={portError ? 'trace-port-error' : undefined}
            />
          </label>
          <label>
            Protocol
            <select value={protocol} onChange={(e) => setProtocol(e.target.value as 'TCP' | 'UDP')}>
              <option>TCP</option>
              <option>UDP</option>
            </select>
          </label>
          <button type="submit">Trace</button>
        </form>
      )}
      {t && !t.outcome.ok && (
        <p role="alert" className="trace-error">
          {t.outcome.message.replace(/^--(from|to): /, (_, w: string) => (w === 'from' ? 'From: ' : 'To: '))}
        </p>
      )}
      {t && t.outcome.ok && (
        <>
          <p className={`verdict verdict-${t.outcome.result.verdict}`} role="status">
            <strong>{t.outcome.result.verdict.toUpperCase()}</strong>: {t.outcome.result.reason}
            {t.outcome.result.dns && (
              <>
                {' '}
                (DNS: {t.outcome.result.dns.name} → {t.outcome.result.dns.answer.join(', ')})
              </>
            )}
          </p>
          {total > 0 && (
            <div className="stepper">
              <button type="button" onClick={() => stepTo(Math.max(0, step - 1))} disabled={step === 0}>
                Step back
              </button>
              <button
                type="button"
                onClick={() => (playing ? setPlaying(false) : (step >= total - 1 && stepTo(0), setPlaying(true)))}
              >
                {playing ? 'Pause' : 'Play'}
              </button>
              <button
                type="button"
                onClick={() => (predict ? setPrediction({ awaiting: true }) : stepTo(Math.min(total - 1, step + 1)))}
                disabled={step >= total - 1}
              >
                Step forward
              </button>
              <label className="speed">
                Speed
                <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
                  <option value={1800}>slow</option>
                  <option value={900}>normal</option>
                  <option value={350}>fast</option>
                </select>
              </label>
              <span aria-live="polite">
                Step {step + 1} of {total}
                {current ? ` · ${current.phase}` : ''}
              </span>
            </div>
          )}
          <label className="predict-toggle">
            <input
              type="checkbox"
              checked={predict}
              onChange={(e) => {
                setPredict(e.target.checked);
                setPrediction(null);
              }}
            />{' '}
            Predict the next hop
          </label>
          {prediction && (
            <p className="predict" role="status" aria-label="Prediction">
              {prediction.awaiting ? (
                'Where does the packet go next? Click the node or pod in the diagram.'
              ) : (
                <span className={prediction.result?.right ? 'right' : 'wrong'}>{prediction.result?.message}</span>
              )}
            </p>
          )}
          {current && (
            <article className="hop" aria-label="Current hop">
              <h3>
                {current.hop.action.toUpperCase()} · {current.hop.node} · {current.hop.namespace} · {current.hop.device}
              </h3>
              <p className="mono headers">
                <span className={current.hop.src !== current.hop.srcAfter ? 'changed' : ''}>{current.hop.src}</span> →{' '}
                <span className={current.hop.dst !== current.hop.dstAfter ? 'changed' : ''}>{current.hop.dst}</span>
                {(current.hop.src !== current.hop.srcAfter || current.hop.dst !== current.hop.dstAfter) && (
                  <>
                    {' '}
                    ⇒{' '}
                    <mark>
                      {current.hop.srcAfter} → {current.hop.dstAfter}
                    </mark>
                  </>
                )}
              </p>
              {current.hop.outer && (
                <p className="mono">
                  outer: {current.hop.outer.src} → {current.hop.outer.dst} {current.hop.outer.proto}
                </p>
              )}
              <p>{current.hop.explain}</p>
              {current.hop.rule && <pre className="rule">{current.hop.rule}</pre>}
            </article>
          )}
          <details className="hop-list">
            <summary>All {total} steps</summary>
            <ol>
              {t.steps.map((s, i) => {
                const nat = s.hop.src !== s.hop.srcAfter || s.hop.dst !== s.hop.dstAfter;
                return (
                  <li key={i} className={i === step ? 'current' : undefined}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => stepTo(i)}
                      aria-current={i === step ? 'step' : undefined}
                    >
                      {s.phase}: {s.hop.action} on {s.hop.node} {s.hop.device}
                      {nat ? ' (NAT)' : ''}
                    </button>
                  </li>
                );
              })}
            </ol>
          </details>
        </>
      )}
    </section>
  );
}
