import { useMemo } from 'react';
import type { RealizedCluster, RealizedPod } from '../../../core/api/types';

/** Suggestions shown under a From or To field. */
const MAX_SUGGESTIONS = 40;

/**
 * What the field could name, narrowed to what is typed: Service DNS names and
 * refs, nodes, and the pods the menu lists. A few dozen options, not one per
 * object: 10,000 Services would be 20,000 elements to build on every change.
 */
export function Suggestions({
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
