import type { RealizedService } from '../../core/api/types';
import { nftServiceTrail } from '../../core/dataplane/nftServiceTrail';
import { dataplaneOf, useDerived } from '../state/derive';
import { useExplorer } from '../state/store';
import { Row } from './Row';
import { TableText, VirtualList } from '../panels/VirtualList';

export function ServiceInspector({ service: s }: { service: RealizedService }) {
  const { cluster } = useDerived();
  const select = useExplorer((st) => st.select);
  const dp = dataplaneOf(cluster);
  const rules = dp.services.rules.filter((r) => r.service === s);
  const node = cluster.nodes[0]?.name ?? '';
  const nftMode = cluster.cluster.kubeProxyMode === 'nftables';
  const dns = `${s.name}.${s.namespace}.svc.${cluster.cluster.clusterDomain}`;
  return (
    <>
      <dl>
        <Row k="type" v={s.type} />
        <Row
          k="ClusterIP"
          v={s.headless ? 'None (headless: DNS returns the pod IPs)' : (s.clusterIP ?? 'none (see warnings)')}
        />
        <Row k="DNS name" v={dns} />
        <Row
          k="selector"
          v={
            s.selector
              ? Object.entries(s.selector)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')
              : 'none (endpoints are managed by hand)'
          }
        />
        <Row
          k="ports"
          v={s.ports
            .map(
              (p) =>
                `${p.name ? `${p.name} ` : ''}${p.port}→${p.targetPort}/${p.protocol}${p.nodePort !== null ? ` (NodePort ${p.nodePort})` : ''}`,
            )
            .join(', ')}
        />
        {s.type !== 'ClusterIP' && <Row k="externalTrafficPolicy" v={s.externalTrafficPolicy} />}
        {s.sessionAffinity !== 'None' && <Row k="sessionAffinity" v={s.sessionAffinity} />}
      </dl>
      <h3>Endpoints ({s.endpoints.length})</h3>
      {s.endpoints.length === 0 ? (
        <p className="hint">
          {s.selector
            ? 'No ready pod matches the selector (or none declares its named targetPort): kube-proxy rejects connections to this Service.'
            : s.namespace === 'default' && s.name === 'kubernetes'
              ? 'No control-plane node, so no API server endpoint: kube-proxy rejects connections to this Service.'
              : 'No selector: Kubernetes creates no endpoints for this Service (they would be managed by hand), so kube-proxy rejects connections to it.'}
        </p>
      ) : (
        <VirtualList
          items={s.endpoints}
          rowHeight={40}
          rowLines={2}
          maxRows={8}
          label={`Endpoints of ${s.namespace}/${s.name}`}
          keyOf={(_, i) => i}
          render={(e) => (
            <button type="button" className="link endpoint" onClick={() => select(`pod/${e.namespace}/${e.pod}`)}>
              <span className="mono">
                {e.ip}:{e.port}/{e.protocol}
                {e.portName ? ` (${e.portName})` : ''}
              </span>
              <span className="hint">
                {e.pod} on {e.node}
              </span>
            </button>
          )}
        />
      )}
      {nftMode &&
        rules.map((r) => (
          <details key={r.spn + r.protocol}>
            <summary>
              kube-proxy (nftables) for {r.spn}/{r.protocol}
            </summary>
            <TableText
              label={`kube-proxy rules for ${r.spn}`}
              lines={nftServiceTrail(cluster, r, node, {
                viaNodePort: false,
                ...(r.endpoints[0] ? { endpoint: r.endpoints[0].address } : {}),
                masquerade: true,
              })}
            />
          </details>
        ))}
      {!nftMode &&
        rules.map((r) => {
          const t = dp.serviceTables(r, node);
          const chains = [
            r.svcChain,
            ...(r.extChain ? [r.extChain] : []),
            ...(r.svlChain ? [r.svlChain] : []),
            ...r.endpoints.map((e) => e.sepChain),
          ];
          return (
            <details key={r.spn + r.protocol}>
              <summary>
                kube-proxy chains for {r.spn}/{r.protocol}: <span className="mono">{r.svcChain}</span>
              </summary>
              <TableText
                label={`kube-proxy rules for ${r.spn}`}
                lines={['KUBE-SERVICES', 'KUBE-NODEPORTS', ...chains].flatMap((c) =>
                  t.nat
                    .rules(c)
                    .filter((l) =>
                      c !== 'KUBE-SERVICES' && c !== 'KUBE-NODEPORTS'
                        ? true
                        : l.includes(r.svcChain) || (r.extChain !== null && l.includes(r.extChain)),
                    ),
                )}
              />
            </details>
          );
        })}
    </>
  );
}
