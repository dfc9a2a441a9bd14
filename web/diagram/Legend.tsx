import type { RealizedCluster } from '../../core/api/types';

/** What the shapes and colours mean; workload colours come from the diagram's own palette. */
export function Legend({ cluster, colors }: { cluster: RealizedCluster; colors: Map<string, string> }) {
  const workloads = [...colors.entries()].slice(0, 8);
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <span className="sw sw-node" /> node (eth0 on the node network)
      </li>
      <li>
        <span className="sw sw-bridge" /> cni0 bridge, the pods' gateway
      </li>
      <li>
        <span className="sw sw-route" /> route the CNI added ({cluster.cluster.cni})
      </li>
      <li>
        <span className="sw sw-svc" /> Service → endpoint pods
      </li>
      <li>
        <span className="sw sw-active" /> packet's current hop
      </li>
      <li>
        <span className="sw sw-changed" /> changed by the last edit
      </li>
      {workloads.map(([k, c]) => (
        <li key={k}>
          <span className="sw" style={{ background: c }} /> {k.split('/').slice(-1)[0]} pods
        </li>
      ))}
    </ul>
  );
}
