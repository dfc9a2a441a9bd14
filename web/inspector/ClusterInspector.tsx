import { formatCount } from '../../core/ip/explain';
import { plan } from '../../core/plan/plan';
import { useDerived } from '../state/derive';
import { nodeMaskSizes, primaryFamily } from '../../core/api/familyFields';
import { CidrExplainer, CidrFacts } from './CidrExplainer';

export function ClusterInspector() {
  const { scenario, cluster } = useDerived();
  const c = cluster.cluster;
  const p = plan(scenario, cluster);
  // A dual-stack cluster's second family: IPv6, or IPv4 when IPv6 is listed first.
  const pod2 = c.podCIDRs?.[1];
  const svc2 = c.serviceCIDRs?.[1];
  const [mask, mask2] = nodeMaskSizes(c);
  const second = primaryFamily(c) === 'IPv6' ? 'IPv4' : 'IPv6';
  return (
    <>
      <h3>PodCIDR {c.podCIDR}</h3>
      <p className="hint">Every pod IP comes from here; each node gets one /{mask} of it.</p>
      <CidrFacts cidr={c.podCIDR} nodeMask={mask} />
      <h3>Service range {c.serviceCIDR}</h3>
      <CidrFacts cidr={c.serviceCIDR} />
      <h3>Node network {c.nodeSubnet}</h3>
      <CidrFacts cidr={c.nodeSubnet} />
      {pod2 && svc2 && (
        <>
          <h3>
            {second} PodCIDR {pod2}
          </h3>
          <p className="hint">
            The second family of this dual-stack cluster: every pod also gets an {second} address from here; each node
            gets one /{mask2} of it.
          </p>
          <CidrFacts cidr={pod2} nodeMask={mask2} />
          <h3>
            {second} Service range {svc2}
          </h3>
          <CidrFacts cidr={svc2} />
        </>
      )}
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
