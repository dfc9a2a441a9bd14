// kube-proxy's view of Services: one entry per Service port, with its chain
// names and endpoints in the order kube-proxy writes them. Built once per
// cluster and indexed, so a packet's lookup is a Map get, not a rule scan.
import { clusterIp, endpointsIn } from '../api/familyFields';
import type { Protocol, RealizedCluster, RealizedEndpoint, RealizedService, RealizedServicePort } from '../api/types';
import type { IpFamilyName } from '../ip/anyIp';
import { extChain, sepChain, servicePortName, svcChain, svlChain } from './kubeProxyChains';

export interface EndpointRule {
  endpoint: RealizedEndpoint;
  /** "ip:port" ("[ip]:port" for IPv6), as kube-proxy prints an endpoint (net.JoinHostPort). */
  address: string;
  readonly sepChain: string;
  /** The statistic probability printed for this endpoint's jump, or null for the last (unconditional) one. */
  probability: string | null;
}

export interface ServicePortRule {
  service: RealizedService;
  port: RealizedServicePort;
  /** The proxier's family: kube-proxy runs one per family, each seeing only that family's ClusterIP and endpoints. */
  family: IpFamilyName;
  /** The Service's ClusterIP in this family (spec.clusterIPs' entry of that family). */
  clusterIP: string;
  /** "namespace/name:port" (ServicePortName.String()). */
  spn: string;
  protocol: Protocol;
  readonly svcChain: string;
  readonly extChain: string | null;
  readonly svlChain: string | null;
  readonly endpoints: EndpointRule[];
}

/**
 * The probability kube-proxy asks for (fmt "%0.10f" of 1/n), as iptables-save
 * prints it back: xt_statistic stores lround(p * 2^31) and prints it "%.11f".
 */
const probabilities = new Map<number, string>();

export function statisticProbability(n: number): string {
  let p = probabilities.get(n);
  if (p === undefined) {
    const asked = Number((1 / n).toFixed(10));
    const stored = Math.round(asked * 0x80000000);
    probabilities.set(n, (p = (stored / 0x80000000).toFixed(11)));
  }
  return p;
}

/** An endpoint's rule; its KUBE-SEP name (a sha256) is computed on first use: 150,000 endpoints, few traced. */
class LazyEndpointRule implements EndpointRule {
  private name: string | undefined;
  constructor(
    readonly endpoint: RealizedEndpoint,
    readonly address: string,
    readonly probability: string | null,
    private readonly spn: string,
    private readonly protocol: Protocol,
  ) {}
  get sepChain(): string {
    return (this.name ??= sepChain(this.spn, this.protocol, this.address));
  }
}

/** net.JoinHostPort: an IPv6 endpoint is written in brackets, in its comment, its DNAT and its KUBE-SEP hash alike. */
const hostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

export function endpointRules(spn: string, protocol: Protocol, endpoints: RealizedEndpoint[]): EndpointRule[] {
  const n = endpoints.length;
  return endpoints.map(
    (e, i) =>
      new LazyEndpointRule(e, hostPort(e.ip, e.port), i < n - 1 ? statisticProbability(n - i) : null, spn, protocol),
  );
}

export interface ServiceRuleIndex {
  /** The family of the proxier these rules belong to (iptables for IPv4, ip6tables for IPv6). */
  family: IpFamilyName;
  rules: ServicePortRule[];
  /** "clusterIP|PROTO|port" -> rule. */
  byClusterIp: Map<string, ServicePortRule>;
  /** "PROTO|nodePort" -> rule. */
  byNodePort: Map<string, ServicePortRule>;
}

export const clusterIpKey = (ip: string, protocol: string, port: number) => `${ip}|${protocol.toUpperCase()}|${port}`;
export const nodePortKey = (protocol: string, port: number) => `${protocol.toUpperCase()}|${port}`;

/**
 * One Service port as kube-proxy sees it. Its chain names (sha256) and
 * endpoint rules are computed on first use: a 10,000-Service cluster has
 * 150,000 endpoints, and a trace looks at one Service.
 */
class LazyServicePortRule implements ServicePortRule {
  private svc: string | undefined;
  private ext: string | null | undefined;
  private svl: string | null | undefined;
  private eps: EndpointRule[] | undefined;
  readonly spn: string;
  readonly protocol: Protocol;
  constructor(
    readonly service: RealizedService,
    readonly port: RealizedServicePort,
    readonly family: IpFamilyName,
    readonly clusterIP: string,
  ) {
    this.spn = servicePortName(service.namespace, service.name, port.name);
    this.protocol = port.protocol;
  }
  get svcChain(): string {
    return (this.svc ??= svcChain(this.spn, this.protocol));
  }
  get extChain(): string | null {
    if (this.ext === undefined) this.ext = this.port.nodePort !== null ? extChain(this.spn, this.protocol) : null;
    return this.ext;
  }
  get svlChain(): string | null {
    if (this.svl === undefined) {
      const local = this.service.externalTrafficPolicy === 'Local' || this.service.internalTrafficPolicy === 'Local';
      this.svl = local ? svlChain(this.spn, this.protocol) : null;
    }
    return this.svl;
  }
  get endpoints(): EndpointRule[] {
    if (!this.eps) {
      const { name, protocol } = this.port;
      const all = endpointsIn(this.service, this.family);
      this.eps = endpointRules(
        this.spn,
        protocol,
        all.filter((e) => e.portName === name && e.protocol === protocol),
      );
    }
    return this.eps;
  }
}

/**
 * The Service's ClusterIP as one family's proxier sees it: spec.clusterIPs' entry of that family
 * (ServiceChangeTracker keeps only Services with a ClusterIP of its family). Asked only of a Service not headless.
 */
const clusterIpOf = (s: RealizedService, family: IpFamilyName): string | null => clusterIp(s, family) ?? null;

/** kube-proxy's Service ports for one family's proxier; IPv4 (the primary) unless asked. */
export function buildServiceRules(c: RealizedCluster, family: IpFamilyName = 'IPv4'): ServiceRuleIndex {
  const rules: ServicePortRule[] = [];
  const byClusterIp = new Map<string, ServicePortRule>();
  const byNodePort = new Map<string, ServicePortRule>();
  // kube-proxy skips headless Services and ones without a ClusterIP.
  for (const service of c.services) {
    const ip = service.headless ? null : clusterIpOf(service, family);
    if (ip === null) continue;
    for (const port of service.ports) {
      const rule = new LazyServicePortRule(service, port, family, ip);
      rules.push(rule);
      byClusterIp.set(clusterIpKey(ip, port.protocol, port.port), rule);
      if (port.nodePort !== null) byNodePort.set(nodePortKey(port.protocol, port.nodePort), rule);
    }
  }
  return { family, rules, byClusterIp, byNodePort };
}
