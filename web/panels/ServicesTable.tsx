import { useState } from 'react';
import type { RealizedCluster } from '../../core/api/types';
import { useExplorer } from '../state/store';
import { Secondary } from '../inspector/Secondary';

const ROW = 34;
const VISIBLE = 12;

/** Every Service, virtualised: 10,000 rows scroll, only the dozen on screen are in the page. */
export function ServicesTable({ cluster }: { cluster: RealizedCluster }) {
  const select = useExplorer((s) => s.select);
  const [top, setTop] = useState(0);
  const all = cluster.services;
  const first = Math.max(0, Math.floor(top / ROW) - 2);
  const last = Math.min(all.length, first + VISIBLE + 4);
  return (
    <section aria-label="Services">
      <h2>Services ({all.length.toLocaleString('en-US')})</h2>
      <div
        className="vscroll"
        style={{ maxHeight: ROW * (VISIBLE + 1) }}
        onScroll={(e) => setTop((e.target as HTMLDivElement).scrollTop)}
      >
        <table>
          <thead>
            <tr>
              <th>Service</th>
              <th>{cluster.cluster.ipFamily === 'dual' ? 'ClusterIPs' : 'ClusterIP'}</th>
              <th>Ports</th>
              <th>Endpoint pods</th>
            </tr>
          </thead>
          <tbody>
            {first > 0 && <tr aria-hidden="true" style={{ height: first * ROW }} />}
            {all.slice(first, last).map((s) => (
              <tr key={`${s.namespace}/${s.name}`} style={{ height: ROW }}>
                <td>
                  <button type="button" className="link" onClick={() => select(`svc/${s.namespace}/${s.name}`)}>
                    {s.namespace}/{s.name}
                  </button>
                </td>
                <td className="mono">
                  {s.headless ? 'None (headless)' : (s.clusterIP ?? 'none')}
                  <Secondary text={s.headless ? undefined : s.clusterIPs?.[1]} />
                </td>
                <td className="mono">
                  {s.ports
                    .map((p) => `${p.port}${p.nodePort !== null ? `:${p.nodePort}` : ''}/${p.protocol}`)
                    .join(', ')}
                </td>
                <td>{new Set(s.endpoints.map((e) => e.ip)).size}</td>
              </tr>
            ))}
            {last < all.length && <tr aria-hidden="true" style={{ height: (all.length - last) * ROW }} />}
          </tbody>
        </table>
      </div>
    </section>
  );
}
