import { useMemo, useState } from 'react';
import { clusterPolicyContext } from '../../core/policy/clusterPolicies';
import { policySummary } from '../../core/scenario/parsePolicy';
import { reachMatrix, targetText, type ReachCell } from '../../core/policy/reach';
import { useDerived } from '../state/derive';
import { podCount } from '../../core/store/podQueries';

/** Who can connect to whom under the NetworkPolicies: a matrix from core, each cell explaining itself. */
export function ReachPanel() {
  const { cluster } = useDerived();
  const [port, setPort] = useState('');
  const [cell, setCell] = useState<ReachCell | null>(null);
  const n = Number(port);
  const m = useMemo(
    () =>
      cluster.policies.length === 0 || podCount(cluster) > 2000
        ? null
        : reachMatrix(
            clusterPolicyContext(cluster),
            cluster,
            port && Number.isInteger(n) && n > 0 && n < 65536 ? { port: n } : {},
          ),
    [cluster, port, n],
  );
  return (
    <section className="reach" aria-label="Reachability">
      <h2>Reachability (NetworkPolicy)</h2>
      {cluster.policies.length === 0 ? (
        <p className="hint">
          No NetworkPolicies: no pod is isolated, every pod may connect to every pod. Load a "NetworkPolicy" example to
          see isolation.
        </p>
      ) : !m ? (
        <p className="hint">
          Too many pods for a matrix here; use <code>k8snet reach</code>.
        </p>
      ) : (
        <>
          <ul className="podlist">
            {cluster.policies.map((p) => (
              <li key={`${p.namespace}/${p.name}`}>{policySummary(p)}</li>
            ))}
          </ul>
          <label className="reach-port">
            Port{' '}
            <input
              value={port}
              onChange={(e) => setPort(e.target.value)}
              placeholder="declared ports"
              inputMode="numeric"
            />
          </label>
          <div className="reach-scroll">
            <table>
              <thead>
                <tr>
                  <th>from \ to</th>
                  {m.targets.map((t, j) => (
                    <th key={j} className="mono">
                      {targetText(t, m.workloads.find((w) => w.id === t.workload)?.label ?? t.workload)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {m.workloads.map((w, i) => (
                  <tr key={w.id}>
                    <th>{w.label}</th>
                    {m.cells[i]!.map((c, j) => (
                      <td key={j}>
                        <button
                          type="button"
                          className={`cell ${c.state}`}
                          aria-pressed={cell === c}
                          onClick={() => setCell(c)}
                          aria-label={`${w.label} to ${targetText(c.to, m.workloads.find((x) => x.id === c.to.workload)?.label ?? '')}: ${c.state}`}
                        >
                          {c.state === 'allowed' ? '✓' : c.state === 'denied' ? '✗' : '~'}
                        </button>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {cell && (
            <p role="status" className="reach-why">
              <strong>{cell.state}</strong> ({cell.allowedPairs} of {cell.pairs} pod pairs): {cell.verdict.reason}
            </p>
          )}
        </>
      )}
    </section>
  );
}
