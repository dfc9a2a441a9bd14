// kube-proxy's view of Services: one entry per Service port, with its chain
// names and endpoints in the order kube-proxy writes them. Built once per
// cluster and indexed, so a packet's lookup is a Map get, not a rule scan.
import type { Protocol, RealizedCluster, RealizedEndpoint, RealizedService, RealizedServicePort } from '../model/types';
import { extChain, sepChain, servicePortName, svcChain, svlChain } from './kubeProxyChains';

export interface EndpointRule {
  endpoint: RealizedEndpoint;
  /** "ip:port", as kube-proxy prints an endpoint. */
  address: string;
  readonly sepChain: string;
  /** The statistic probability printed for this endpoint's jump, or null for the last (unconditional) one. */
  probability: string | null;
}

export interface ServicePortRule {
  service: RealizedService;
  port: RealizedServicePort;
  /** "namespace/name:port" (ServicePortName.String()). */
  spn: string;
  protocol: Protocol;
  svcChain: string;
  extChain: string | null;
  svlChain: string | null;
  endpoints: EndpointRule[];
}

/**
 * The probability kube-proxy asks for (fmt "%0.10f" of 1/n), as iptables-save
 * prints it back: xt_statistic stores lround(p * 2^31) and prints it "%.11f".
 */
export function statisticProbability(n: number): string {
  const asked = Number((1 / n).toFixed(10));
  const stored = Math.round(asked * 0x80000000);
  return (stored / 0x80000000).toFixed(11);
}

/** An endpoint's rule; its KUBE-SEP name (a sha256) is computed on first use: 150,000 endpoints, few traced. */
class LazyEndpointRule implements EndpointRule {
  private name: string | undefined;
  constructor(readonly endpoint: RealizedEndpoint, readonly address: string, readonly probability: string | null, private readonly spn: string, private readonly protocol: Protocol) {}
  get sepChain(): string {
    return (this.name ??= sepChain(this.spn, this.protocol, this.address));
  }
}

export function endpointRules(spn: string, protocol: Protocol, endpoints: RealizedEndpoint[]): EndpointRule[] {
  const n = endpoints.length;
  return endpoints.map((e, i) => new LazyEndpointRule(e, `${e.ip}:${e.port}`, i < n - 1 ? statisticProbability(n - i) : null, spn, protocol));
}

export interface ServiceRuleIndex {
  rules: ServicePortRule[];
  /** "clusterIP|PROTO|port" -> rule. */
  byClusterIp: Map<string, ServicePortRule>;
  /** "PROTO|nodePort" -> rule. */
  byNodePort: Map<string, ServicePortRule>;
}

export const clusterIpKey = (ip: string, protocol: string, port: number) => `${ip}|${protocol.toUpperCase()}|${port}`;
export const nodePortKey = (protocol: string, port: number) => `${protocol.toUpperCase()}|${port}`;

export function buildServiceRules(c: RealizedCluster): ServiceRuleIndex {
  const rules: ServicePortRule[] = [];
  const byClusterIp = new Map<string, ServicePortRule>();
  const byNodePort = new Map<string, ServicePortRule>();
  // kube-proxy skips headless Services and ones without a ClusterIP.
  const services = c.services.filter((s) => !s.headless && s.clusterIP !== null);
  for (const service of services) {
    for (const port of service.ports) {
      const spn = servicePortName(service.namespace, service.name, port.name);
      const eps = service.endpoints.filter((e) => e.portName === port.name && e.protocol === port.protocol);
      const local = service.externalTrafficPolicy === 'Local' || service.internalTrafficPolicy === 'Local';
      const rule: ServicePortRule = {
        service,
        port,
        spn,
        protocol: port.protocol,
        svcChain: svcChain(spn, port.protocol),
        extChain: port.nodePort !== null ? extChain(spn, port.protocol) : null,
        svlChain: local ? svlChain(spn, port.protocol) : null,
        endpoints: endpointRules(spn, port.protocol, eps),
      };
      rules.push(rule);
      byClusterIp.set(clusterIpKey(service.clusterIP!, port.protocol, port.port), rule);
      if (port.nodePort !== null) byNodePort.set(nodePortKey(port.protocol, port.nodePort), rule);
    }
  }
  return { rules, byClusterIp, byNodePort };
}
