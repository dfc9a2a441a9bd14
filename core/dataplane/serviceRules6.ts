// kube-proxy's IPv6 proxier sees each Service through its IPv6 half (the ServiceChangeTracker and
// EndpointsChangeTracker of NewProxier(v1.IPv6Protocol, ...) keep only that family): the IPv6
// entry of spec.clusterIPs and the IPv6 EndpointSlice's endpoints. The same index builder then
// gives the IPv6 table's Service ports.
import type { RealizedCluster, RealizedService } from '../api/types';
import { buildServiceRules, type ServiceRuleIndex } from './serviceRules';

/** A Service as the IPv6 proxier sees it; null when it has no IPv6 ClusterIP (kube-proxy skips headless ones anyway). */
export function ipv6View(s: RealizedService): RealizedService | null {
  const at = s.ipFamilies?.indexOf('IPv6') ?? -1;
  const ip = at >= 0 ? s.clusterIPs?.[at] : undefined;
  if (ip === undefined || s.headless) return null;
  return {
    namespace: s.namespace,
    name: s.name,
    type: s.type,
    clusterIP: ip,
    headless: false,
    ports: s.ports,
    // A getter, not a copy: a packed cluster's Service computes its endpoints on first use.
    get endpoints() {
      return s.secondaryEndpoints ?? [];
    },
    externalTrafficPolicy: s.externalTrafficPolicy,
    internalTrafficPolicy: s.internalTrafficPolicy,
    sessionAffinity: s.sessionAffinity,
    sessionAffinityTimeout: s.sessionAffinityTimeout,
  };
}

/** The IPv6 Service ports of a dual-stack cluster (none in a single-stack one). */
export function buildServiceRules6(c: RealizedCluster): ServiceRuleIndex {
  const services = c.cluster.ipFamily === 'dual' ? c.services.flatMap((s) => ipv6View(s) ?? []) : [];
  return buildServiceRules({ ...c, services });
}
