import { useState } from 'react';
import { renderRouteTable } from '../../core/dataplane/dataplane';
import { nodeRoutes } from '../../core/dataplane/routes';
import { nodeRoutes6, renderRouteTable6 } from '../../core/dataplane/routes6';
import { TableText, VirtualList } from '../panels/VirtualList';
import type { RealizedNode } from '../../core/api/types';
import type { ScenarioIssue } from '../../core/api/types';
import { dataplaneOf, useDerived } from '../state/derive';
import { useExplorer } from '../state/store';
import { CidrFacts } from './CidrExplainer';
import { Ip6NatTable } from './Ip6NatTable';
import { Row } from './Row';
import { useNodeTable } from './useNodeTable';

export function NodeInspector({ node: n }: { node: RealizedNode }) {
  const { cluster } = useDerived();
  const applyEdit = useExplorer((s) => s.applyEdit);
  const select = useExplorer((s) => s.select);
  const [errors, setErrors] = useState<ScenarioIssue[]>([]);
  const dp = dataplaneOf(cluster);
  // The nat table holds a rule set per Service port (10,000 Services: tens of thousands of lines): built only when opened.
  const [natOpen, setNatOpen] = useState(false);
  const nftMode = cluster.cluster.kubeProxyMode === 'nftables';
  const table = useNodeTable(n.name, nftMode ? 'nft' : 'nat', natOpen);
  const cidr6 = n.podCIDRs?.[1];
  // An IPv6 single-stack node has no IPv4 routes or iptables: its primary fields are IPv6.
  const v4 = cluster.cluster.ipFamily !== 'ipv6';
  const routes6 = nodeRoutes6(cluster, n);
  const remove = () => {
    const r = applyEdit({ kind: 'removeNode', name: n.name });
    if (r.ok) select(null);
    else setErrors(r.errors);
  };
  return (
    <>
      <dl>
        <Row k="role" v={n.role} />
        <Row k="eth0" v={n.ip} second={n.ips?.[1]} />
        <Row
          k={n.podCIDRs && n.podCIDRs.length > 1 ? 'PodCIDRs' : 'PodCIDR'}
          v={n.podCIDR ?? 'none: the range allocator had no block left (CIDRNotAvailable); pods here cannot start'}
          second={n.podCIDRs?.[1]}
        />
        <Row k="cni0 (gateway)" v={n.gateway ?? '—'} second={n.gateways?.[1]} />
        <Row k="max pods" v={String(n.maxPods)} />
        <Row
          k="taints"
          v={n.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') || 'none'}
        />
      </dl>
      {n.podCIDR && (
        <details>
          <summary>PodCIDR {n.podCIDR} explained</summary>
          <CidrFacts cidr={n.podCIDR} />
        </details>
      )}
      {cidr6 && (
        <details>
          <summary>IPv6 PodCIDR {cidr6} explained</summary>
          <CidrFacts cidr={cidr6} />
        </details>
      )}
      {v4 && (
        <>
          <h3>Routes (ip route)</h3>
          <pre className="table-text mono" tabIndex={0} aria-label={`Route table of ${n.name}`}>
            {renderRouteTable(nodeRoutes(cluster, n))}
          </pre>
        </>
      )}
      {routes6 && (
        <>
          <h3>IPv6 routes (ip -6 route)</h3>
          <pre className="table-text mono" tabIndex={0} aria-label={`IPv6 route table of ${n.name}`}>
            {renderRouteTable6(routes6)}
          </pre>
        </>
      )}
      {v4 && (
        <details open={natOpen} onToggle={(e) => setNatOpen((e.target as HTMLDetailsElement).open)}>
          <summary>
            {nftMode
              ? "kube-proxy's nftables table (nft list table ip kube-proxy)"
              : 'nat table (iptables-save -t nat)'}
          </summary>
          {table.state === 'building' && (
            <p className="pending" role="status">
              Building the table: a rule set per Service port ({dp.services.rules.length.toLocaleString('en-US')}), in
              the background…
            </p>
          )}
          {table.state === 'failed' && (
            <p role="alert" className="field-error">
              {table.message}
            </p>
          )}
          {table.state === 'ready' && (
            <TableText label={`${nftMode ? 'nftables' : 'nat'} table of ${n.name}`} lines={table.lines} />
          )}
        </details>
      )}
      <Ip6NatTable node={n} />
      <h3>Pods ({n.pods.length})</h3>
      <VirtualList
        items={n.pods}
        rowHeight={26}
        maxRows={12}
        label={`Pods on ${n.name}`}
        keyOf={(p) => `${p.namespace}/${p.name}`}
        render={(p) => (
          <button type="button" className="link" onClick={() => select(`pod/${p.namespace}/${p.name}`)}>
            <span className="mono">{p.ip ?? 'no IP'}</span> {p.namespace}/{p.name}
          </button>
        )}
      />
      <button type="button" onClick={remove}>
        Remove {n.name} from the cluster
      </button>
      {errors.length > 0 && (
        <p role="alert" className="field-error">
          {errors.map((e) => e.message).join('; ')}
        </p>
      )}
    </>
  );
}
