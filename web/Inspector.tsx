import type { ReactNode } from 'react';
import type { RealizedCluster } from '../core/model/types';
import { useExplorer } from './store';

function Row({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

/** Explains the selected object; every value comes from the realized cluster. */
export function Inspector({ cluster }: { cluster: RealizedCluster }) {
  const selection = useExplorer((s) => s.selection);
  const select = useExplorer((s) => s.select);
  if (!selection) {
    return (
      <aside className="inspector" aria-label="Inspector">
        <h2>Inspector</h2>
        <p className="hint">Select a node or a pod in the diagram (click, or Tab and Enter) to see it explained.</p>
      </aside>
    );
  }
  const [kind, ...rest] = selection.split('/');
  let body: ReactNode = null;
  let title = selection;
  if (kind === 'node') {
    const n = cluster.nodes.find((x) => x.name === rest[0]);
    if (n) {
      title = `Node ${n.name}`;
      body = (
        <>
          <dl>
            <Row k="role" v={n.role} />
            <Row k="eth0" v={n.ip} />
            <Row k="PodCIDR" v={n.podCIDR ?? 'none: the range allocator had no block left'} />
            <Row k="cni0 (gateway)" v={n.gateway ?? '—'} />
            <Row k="max pods" v={String(n.maxPods)} />
            <Row k="taints" v={n.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') || 'none'} />
          </dl>
          <h3>Pods ({n.pods.length})</h3>
          <ul className="podlist">
            {n.pods.map((p) => (
              <li key={`${p.namespace}/${p.name}`}>
                <span className="mono">{p.ip ?? 'no IP'}</span> {p.namespace}/{p.name}
              </li>
            ))}
          </ul>
        </>
      );
    }
  } else if (kind === 'pod') {
    const p = cluster.pods.find((x) => x.namespace === rest[0] && x.name === rest[1]);
    if (p) {
      title = `Pod ${p.name}`;
      body = (
        <dl>
          <Row k="namespace" v={p.namespace} />
          <Row k="IP" v={p.ip ?? 'none'} />
          <Row k="node" v={p.node ?? 'not scheduled'} />
          <Row k="status" v={p.phase} />
          {p.reason && <Row k="why" v={p.reason} />}
          <Row k="owner" v={p.owner ?? 'none (a bare Pod)'} />
          <Row k="ports" v={p.ports.map((x) => `${x.name ? `${x.name} ` : ''}${x.containerPort}/${x.protocol}`).join(', ') || 'none declared'} />
          <Row k="labels" v={Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'} />
        </dl>
      );
    }
  }
  return (
    <aside className="inspector" aria-label="Inspector">
      <h2>{title}</h2>
      {body ?? <p>That object is no longer in the cluster.</p>}
      <button type="button" onClick={() => select(null)}>Close</button>
    </aside>
  );
}
