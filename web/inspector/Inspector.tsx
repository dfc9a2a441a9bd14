import { useEffect, useRef, type ReactNode } from 'react';
import type { RealizedCluster } from '../../core/api/types';
import { ClusterInspector } from './ClusterInspector';
import { NodeInspector } from './NodeInspector';
import { PodInspector } from './PodInspector';
import { ServiceInspector } from './ServiceInspector';
import { useExplorer } from '../state/store';
import { podBySelection } from '../../core/trace/refs';

/** Explains the selected object; every value comes from core. */
export function Inspector({ cluster }: { cluster: RealizedCluster }) {
  const selection = useExplorer((s) => s.selection);
  const select = useExplorer((s) => s.select);
  const box = useRef<HTMLElement>(null);
  const lesson = useExplorer((s) => s.lesson !== null);
  // A selection made in the diagram or by Find shows its inspector even when the side panel is scrolled away
  // from it: the side panel scrolls, never the window (the lesson text and the diagram stay where they are).
  useEffect(() => {
    const el = box.current;
    const side = el?.closest<HTMLElement>('.side');
    if (!selection || !el || !side || lesson) return;
    const r = el.getBoundingClientRect();
    const s = side.getBoundingClientRect();
    if (r.top < s.top || r.top > s.bottom - 80) side.scrollTop += r.top - s.top;
  }, [selection, lesson]);
  if (!selection) {
    return (
      <aside className="inspector" aria-label="Inspector">
        <h2>Inspector</h2>
        <p className="hint">
          Select a node, a pod or a Service in the diagram (click, or Tab and Enter) to see it explained, or{' '}
          <button type="button" className="link" onClick={() => select('cluster')}>
            explain the cluster's ranges
          </button>
          .
        </p>
      </aside>
    );
  }
  const [kind, ...rest] = selection.split('/');
  let body: ReactNode = null;
  let title = selection;
  if (kind === 'cluster') {
    title = `Cluster ${cluster.cluster.name}`;
    body = <ClusterInspector />;
  } else if (kind === 'node') {
    const n = cluster.nodes.find((x) => x.name === rest[0]);
    if (n) {
      title = `Node ${n.name}`;
      body = <NodeInspector key={n.name} node={n} />;
    }
  } else if (kind === 'pod') {
    const p = podBySelection(cluster, selection);
    if (p) {
      title = `Pod ${p.name}`;
      body = <PodInspector pod={p} />;
    }
  } else if (kind === 'svc') {
    const s = cluster.services.find((x) => x.namespace === rest[0] && x.name === rest[1]);
    if (s) {
      title = `Service ${s.namespace}/${s.name}`;
      body = <ServiceInspector service={s} />;
    }
  }
  return (
    <aside className="inspector" aria-label="Inspector" ref={box}>
      <h2>{title}</h2>
      {body ?? <p>That object is no longer in the cluster.</p>}
      <button type="button" onClick={() => select(null)}>
        Close
      </button>
    </aside>
  );
}
