import { renderRouteTable } from '../../core/dataplane/dataplane';
import { vethName } from '../../core/dataplane/devices';
import type { RealizedPod } from '../../core/api/types';
import { servicesOfPod } from '../../core/store/podQueries';
import { dataplaneOf, useDerived } from '../state/derive';
import { useExplorer } from '../state/store';
import { Row } from './Row';
import { Secondary } from './Secondary';
import { podIsolation } from '../../core/policy/clusterPolicies';

export function PodInspector({ pod: p }: { pod: RealizedPod }) {
  const { cluster } = useDerived();
  const select = useExplorer((s) => s.select);
  const routes = dataplaneOf(cluster).podRoutes(p);
  const iso = podIsolation(cluster, p);
  const services = servicesOfPod(cluster, p);
  return (
    <>
      <dl>
        <Row k="namespace" v={p.namespace} />
        <Row k={p.ips ? 'IPs' : 'IP'} v={p.ip ?? 'none'} second={p.ips?.[1]} />
        <Row k="node" v={p.node ?? 'not scheduled'} />
        <Row k="status" v={p.phase} />
        {p.reason && <Row k="why" v={p.reason} />}
        <Row k="owner" v={p.owner ?? 'none (a bare Pod)'} />
        <Row
          k="ports"
          v={
            p.ports.map((x) => `${x.name ? `${x.name} ` : ''}${x.containerPort}/${x.protocol}`).join(', ') ||
            'none declared'
          }
        />
        <Row
          k="labels"
          v={
            Object.entries(p.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ') || 'none'
          }
        />
        {!p.hostNetwork && p.ip !== null && <Row k="veth on node" v={vethName(p.namespace, p.name)} />}
      </dl>
      {p.hostNetwork ? (
        <p className="hint">hostNetwork: the pod uses its node's network namespace and address.</p>
      ) : (
        routes.length > 0 && (
          <>
            <h3>Routes inside the pod (ip route)</h3>
            <pre className="table-text mono" tabIndex={0} aria-label={`Route table of pod ${p.name}`}>
              {renderRouteTable(routes)}
            </pre>
          </>
        )
      )}
      {iso.selectedBy.length > 0 && (
        <>
          <h3>NetworkPolicies</h3>
          <p>
            {iso.ingress.length
              ? `Isolated for ingress by ${iso.ingress.join(', ')}: only what their rules allow gets in.`
              : 'Not isolated for ingress: anything may connect to it.'}{' '}
            {iso.egress.length
              ? `Isolated for egress by ${iso.egress.join(', ')}: it may only connect where their rules allow.`
              : 'Not isolated for egress.'}
          </p>
          <ul className="podlist">
            {iso.selectedBy.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
          <h3>The rules that apply</h3>
          <ul className="podlist rules" aria-label={`NetworkPolicy rules for pod ${p.name}`}>
            {iso.rules.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </>
      )}
      {services.length > 0 && (
        <>
          <h3>Behind Services</h3>
          <ul className="podlist">
            {services.map((s) => (
              <li key={`${s.namespace}/${s.name}`}>
                <button type="button" className="link" onClick={() => select(`svc/${s.namespace}/${s.name}`)}>
                  {s.namespace}/{s.name}{' '}
                  <span className="mono">
                    {s.clusterIP}
                    <Secondary text={s.clusterIPs?.[1]} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
