import { formatCount } from '../../core/ip/explain';
import { plan } from '../../core/plan/plan';
import { useDerived } from '../state/derive';
import { CidrExplainer, CidrFacts } from './CidrExplainer';

export function ClusterInspector() {
  const { scenario, cluster } = useDerived();
  const c = cluster.cluster;
  const p = plan(scenario, cluster);
  return (
    <>
      <h3>PodCIDR {c.podCIDR}</h3>
      <p className="hint">Every pod IP comes from here; each node gets one /{c.nodeCIDRMaskSize} of it.</p>
      <CidrFacts cidr={c.podCIDR} nodeMask={c.nodeCIDRMaskSize} />
      <h3>Service range {c.serviceCIDR}</h3>
      <CidrFacts cidr={c.serviceCIDR} />
      <h3>Node network {c.nodeSubnet}</h3>
      <CidrFacts cidr={c.nodeSubnet} />
      <h3>Capacity</h3>
      <ul className="podlist">
        {p.limits.map((l) => (
          <li key={l.id}>
            {l.what}: {formatCount(l.used)} of {formatCount(l.capacity)}. <span className="hint">{l.because}</span>
          </li>
        ))}
      </ul>
      <h3>Try another CIDR</h3>
      <CidrExplainer initial={c.podCIDR} />
    </>
  );
}
