// The nft rules one Service port's packet meets on a node, for the Service inspector's table.
import type { RealizedCluster } from '../api/types';
import { kubeProxyNftables, nftNames } from './kubeProxyNftables';
import type { ServicePortRule } from './serviceRules';

/**
 * The nft rules one Service port's packet meets on a node, in order, each
 * prefixed with its chain (or map): what the Service inspector shows in nftables mode.
 */
export function nftServiceTrail(
  c: RealizedCluster,
  rule: ServicePortRule,
  node: string,
  o: { viaNodePort: boolean; endpoint?: string; masquerade: boolean; policyChain?: 'cluster' | 'local' },
): string[] {
  const t = kubeProxyNftables(
    c,
    { family: rule.family, rules: [rule], byClusterIp: new Map(), byNodePort: new Map() },
    node,
  );
  const names = nftNames(rule.service.namespace, rule.service.name, rule.protocol, rule.port.name);
  const chain = (n: string) => t.chains.find((x) => x.name === n)?.rules ?? [];
  const map = (n: string) => t.maps.find((m) => m.name === n)!.elements;
  const out: string[] = [];
  if (o.viaNodePort) {
    out.push(`services: ${chain('services')[1]}`);
    const el = map('service-nodeports')[0] ?? map('no-endpoint-nodeports')[0];
    if (el) out.push(`map ${map('service-nodeports').length ? 'service-nodeports' : 'no-endpoint-nodeports'}: ${el}`);
    if (map('service-nodeports').length) for (const r of chain(names.external)) out.push(`${names.external}: ${r}`);
  } else {
    const el = map('service-ips')[0];
    if (el) out.push(`services: ${chain('services')[0]}`, `map service-ips: ${el}`);
    else {
      out.push(
        `service-endpoints-check: ${chain('service-endpoints-check')[0]}`,
        `map no-endpoint-services: ${map('no-endpoint-services')[0]}`,
      );
      if (map('no-endpoint-services')[0]?.endsWith('goto reject-chain'))
        out.push(`reject-chain: ${chain('reject-chain')[0]}`);
    }
  }
  if (o.endpoint === undefined) return out;
  const policy = o.policyChain === 'local' ? names.local : names.cluster;
  for (const r of chain(policy)) {
    if (r.endsWith('jump mark-for-masquerade') && !o.masquerade) continue;
    out.push(`${policy}: ${r}`);
  }
  const ep = names.endpoint(o.endpoint);
  for (const r of chain(ep)) {
    if (r.endsWith('jump mark-for-masquerade') && !o.masquerade) continue;
    out.push(`${ep}: ${r}`);
  }
  return out;
}
