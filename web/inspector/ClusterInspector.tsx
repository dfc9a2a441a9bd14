import { formatCount } from '../../core/ip/explain';
import { plan } from '../../core/plan/plan';
import { useDerived } from '../state/derive';
import { CidrExplainer, CidrFacts } from './CidrExplainer';

export function ClusterInspector() {
  const { scenario, cluster } = useDerived();
  const c = cluster.cluster;
  const p = plan(scenario, cluster);
  const pod6 = c.podCIDRs?.[1];
  const svc6 = c.serviceCIDRs?.[1];
  return (
    <>
      <h3>PodCIDR {c.podCIDR}</h3>
      <p className="hint">Every pod IP comes from here; each node gets one /{c.nodeCIDRMaskSize} of it.</p>
      <CidrFacts cidr={c.podCIDR} nodeMask={c.nodeCIDRMaskSize} />
      <h3>Service range {c.serviceCIDR}</h3>
      <CidrFacts cidr={c.serviceCIDR} />
      <h3>Node network {c.nodeSubnet}</h3>
      <CidrFacts cidr={c.nodeSubnet} />
      {pod6 && svc6 && (
        <>
          <h3>IPv6 PodCIDR {pod6}</h3>
          <p className="hint">
            The second family of this dual-stack cluster: every pod also gets an IPv6 address from here; each node gets
            one /{c.nodeCIDRMaskSizeIPv6} of it.
          </p>
          <CidrFacts cidr={pod6} nodeMask={c.nodeCIDRMaskSizeIPv6} />
          <h3>IPv6 Service range {svc6}</h3>
          <CidrFacts cidr={svc6} />
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
