import type { RealizedService } from '../../core/api/types';
import { nftServiceTrail } from '../../core/dataplane/nftServiceTrail';
import { dataplaneOf, useDerived } from '../state/derive';
import { Row } from './Row';
import { TableText } from '../panels/VirtualList';
import { ServiceEndpoints } from './ServiceEndpoints';

export function ServiceInspector({ service: s }: { service: RealizedService }) {
  const { cluster } = useDerived();
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
          k={s.clusterIPs && s.clusterIPs.length > 1 ? 'ClusterIPs' : 'ClusterIP'}
          v={s.headless ? 'None (headless: DNS returns the pod IPs)' : (s.clusterIP ?? 'none (see warnings)')}
          second={s.headless ? undefined : s.clusterIPs?.[1]}
        />
        {s.ipFamilyPolicy && <Row k="ipFamilyPolicy" v={s.ipFamilyPolicy} />}
        {s.ipFamilies && <Row k="ipFamilies" v={s.ipFamilies.join(', ')} />}
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
      <ServiceEndpoints service={s} />
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
