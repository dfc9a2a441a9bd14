// The two halves of the data flow:
//   Scenario  — what the user declared (kind Cluster config + Kubernetes manifests),
//               plain data that round-trips through YAML exactly;
//   Realized  — what Kubernetes and the CNI would have made of it.
import type { Cidr } from '../ip/types';
import type { Cidr6 } from '../ip/cidr6';
import type { NetworkPolicy } from './networkPolicy';
import type { LabelSelector, Labels, Protocol } from './meta';
import type { ContainerPort, DnsPolicy, PodDnsConfig, PodSpecLite } from './podSpec';
import type {
  DaemonSetDecl,
  DeploymentStrategy,
  EndpointSliceDecl,
  JobDecl,
  NotModelledDecl,
  StatefulSetDecl,
} from './controllers';

export type * from './meta';
export type * from './podSpec';
export type * from './controllers';

/** An error (or warning) with a location, as STYLE.md asks. */
export interface ScenarioIssue {
  /** Human name of the document, e.g. "document 2 (Service default/web)". */
  document: string;
  /** Dotted path inside the document, e.g. "spec.ports[0].port". */
  path: string;
  /** The offending value, rendered as text ("" when absent). */
  value: string;
  message: string;
}

export type CniMode = 'host-gw' | 'vxlan';
/** kube-proxy's modes this explorer models; ipvs is refused when a scenario is parsed. */
export type KubeProxyMode = 'iptables' | 'nftables';
export type NodeRole = 'control-plane' | 'worker';
/** kind's networking.ipFamily. */
export type ClusterIpFamily = 'ipv4' | 'ipv6' | 'dual';
/** A Service's or an EndpointSlice's address family, as the Kubernetes API spells it. */
export type IpFamily = 'IPv4' | 'IPv6';
export type IpFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

/**
 * A cluster's IPv6 ranges: a dual-stack cluster's second family (IPv4 is the primary, listed first as kind orders
 * them), or an IPv6 single-stack cluster's only one.
 */
export interface SecondaryFamilySpec {
  family: 'IPv6';
  /** The second entry of networking.podSubnet: kube-controller-manager's second --cluster-cidr. */
  podSubnet: Cidr6;
  /** The second entry of networking.serviceSubnet: the API server's second --service-cluster-ip-range. */
  serviceSubnet: Cidr6;
  /** kube-controller-manager --node-cidr-mask-size-ipv6 (default 64). */
  nodeCIDRMaskSize: number;
  /** The node network's IPv6 subnet: kind's Docker network gets a ULA /64 derived from its name. */
  nodeSubnet: Cidr6;
  /** A dual-stack cluster whose ranges list IPv6 first: IPv6 is its primary family (kind's order). */
  primary?: true;
}
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One entry of the Cluster document's `nodes:` list, after defaults. */
export interface NodeSpec {
  name: string;
  role: NodeRole;
  /** Explicit node IP; undefined means "next free address as kind's Docker network does". */
  ip?: string;
  labels: Labels;
  /** undefined = the default (kind taints control-plane nodes NoSchedule when workers exist). */
  taints?: Taint[];
  /** kubelet --max-pods; default 110. */
  maxPods: number;
  /** A pinned PodCIDR (a node that already has spec.podCIDR); undefined = allocate. */
  podCIDR?: string;
}

/** The Cluster document after parsing and defaults. */
export interface ClusterSpec {
  name: string;
  /** The IPv4 ranges; absent in an IPv6 single-stack cluster (ipFamily ipv6), whose ranges are in `secondary`. */
  podSubnet?: Cidr;
  serviceSubnet?: Cidr;
  nodeSubnet: Cidr;
  /** The node mask of the primary family (in an IPv6 single-stack cluster, the IPv6 one). */
  nodeCIDRMaskSize: number;
  cni: CniMode;
  kubeProxyMode: KubeProxyMode;
  /** kubelet --cluster-domain; default cluster.local. */
  clusterDomain: string;
  nodes: NodeSpec[];
  /** kind's networking.ipFamily; absent means ipv4. */
  ipFamily?: ClusterIpFamily;
  /** Present in a dual-stack or IPv6 single-stack cluster: the IPv6 ranges. */
  secondary?: SecondaryFamilySpec;
}

export interface PodDecl {
  kind: 'Pod';
  namespace: string;
  name: string;
  spec: PodSpecLite;
}

/** Deployment or ReplicaSet: N replicas of a template. */
export interface WorkloadDecl {
  kind: 'Deployment' | 'ReplicaSet';
  namespace: string;
  name: string;
  replicas: number;
  selector: LabelSelector;
  template: PodSpecLite;
  /** A Deployment's spec.strategy; undefined: the default (RollingUpdate, 25% / 25%). */
  strategy?: DeploymentStrategy;
}

export interface ServicePortDecl {
  name?: string;
  protocol: Protocol;
  port: number;
  /** A number, or the name of a container port. Defaults to `port`. */
  targetPort: number | string;
  nodePort?: number;
}

export interface ServiceDecl {
  namespace: string;
  name: string;
  type: ServiceType;
  /** undefined = allocate; 'None' = headless; otherwise the requested address. */
  clusterIP?: string;
  /** undefined = no selector: no endpoints are computed. */
  selector?: Labels;
  ports: ServicePortDecl[];
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  sessionAffinity: 'None' | 'ClientIP';
  /** ClientIP affinity's timeoutSeconds (default 10800); absent for None. */
  sessionAffinityTimeout?: number;
  /** spec.ipFamilyPolicy and spec.ipFamilies as given (the API server defaults them; core/cluster/serviceFamilies.ts). */
  ipFamilyPolicy?: IpFamilyPolicy;
  ipFamilies?: IpFamily[];
  /** spec.clusterIPs as given; its first entry equals clusterIP. */
  clusterIPs?: string[];
}

export interface NamespaceDecl {
  name: string;
  labels: Labels;
}

/**
 * A parsed scenario. `documents` are the raw documents exactly as given, so
 * export -> parse is the identity; the typed fields are what realize reads.
 */
export interface Scenario {
  documents: unknown[];
  cluster: ClusterSpec;
  namespaces: NamespaceDecl[];
  workloads: WorkloadDecl[];
  pods: PodDecl[];
  services: ServiceDecl[];
  /** NetworkPolicies, validated as the API server would (core/policy/parsePolicy.ts). */
  networkPolicies: NetworkPolicy[];
  daemonSets: DaemonSetDecl[];
  statefulSets: StatefulSetDecl[];
  jobs: JobDecl[];
  /** EndpointSlices given by hand: kube-proxy reads them for the Service their kubernetes.io/service-name label names. */
  endpointSlices: EndpointSliceDecl[];
  /** Well-formed objects accepted but not modelled (ConfigMaps, RBAC, Ingresses, CRDs, ...), in document order. */
  notModelled: NotModelledDecl[];
  /** Non-fatal remarks from parsing, e.g. a CIDR given with host bits set. */
  warnings: ScenarioIssue[];
}

// ---------------------------------------------------------------- realized

export interface Warning {
  code: string;
  message: string;
  /** What it is about, for the UI to highlight: "node/NAME", "pod/NS/NAME", "svc/NS/NAME", "cluster". */
  subject?: string;
}

export type PodPhase = 'Running' | 'Pending';

export interface RealizedPod {
  namespace: string;
  name: string;
  /** Owning workload as "Deployment/NS/NAME", or undefined for a bare Pod. */
  owner?: string;
  labels: Labels;
  ports: ContainerPort[];
  hostNetwork: boolean;
  /** As declared; absent means ClusterFirst. */
  dnsPolicy?: DnsPolicy;
  dnsConfig?: PodDnsConfig;
  node: string | null;
  ip: string | null;
  /**
   * status.podIPs in a dual-stack cluster: the primary family's address, then the IPv6 one; in an IPv6 single-stack
   * cluster the one IPv6 address (also in `ip`); absent in an IPv4 one. Read the IPv6 entry with ipv6Entry().
   */
  ips?: string[];
  phase: PodPhase;
  /** Why it is Pending, in the words the real component would use. */
  reason?: string;
}

export interface RealizedNode {
  name: string;
  role: NodeRole;
  ip: string;
  podCIDR: string | null;
  /** The cni0 bridge address: the first usable address of podCIDR. */
  gateway: string | null;
  /** spec.podCIDRs in a dual-stack cluster (primary first; empty when none was allocated); [podCIDR] in IPv6-only; absent in IPv4-only. */
  podCIDRs?: string[];
  /** cni0's address in each family, in podCIDRs' order; absent in IPv4-only. */
  gateways?: string[];
  /** The node's InternalIPs in a dual-stack cluster (IPv4, then IPv6); [ip] in IPv6-only; absent in IPv4-only. */
  ips?: string[];
  labels: Labels;
  taints: Taint[];
  maxPods: number;
  /** Running or scheduled pods on this node, in IP order (hostNetwork pods last). */
  pods: RealizedPod[];
}

export interface RealizedServicePort {
  name: string;
  protocol: Protocol;
  port: number;
  targetPort: number | string;
  nodePort: number | null;
}

export interface RealizedEndpoint {
  ip: string;
  port: number;
  /** The service port this endpoint serves ("" for an unnamed single port). */
  portName: string;
  protocol: Protocol;
  node: string;
  pod: string;
  namespace: string;
  /** The endpoint's hostname (a StatefulSet pod under its governing Service): CoreDNS answers HOSTNAME.SERVICE.NS.svc. */
  hostname?: string;
  /** The EndpointSlice addressType it is listed under; absent means IPv4. */
  family?: IpFamily;
}

export interface RealizedService {
  namespace: string;
  name: string;
  type: ServiceType;
  /** null when headless or when allocation failed (see warnings). */
  clusterIP: string | null;
  headless: boolean;
  selector?: Labels;
  ports: RealizedServicePort[];
  endpoints: RealizedEndpoint[];
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  sessionAffinity: 'None' | 'ClientIP';
  /** Seconds a client sticks to its endpoint under ClientIP affinity; null for None. */
  sessionAffinityTimeout: number | null;
  /** Dual-stack and IPv6-only clusters: spec.ipFamilyPolicy, spec.ipFamilies and spec.clusterIPs after the API server's defaults. */
  ipFamilyPolicy?: IpFamilyPolicy;
  ipFamilies?: IpFamily[];
  clusterIPs?: string[];
  /**
   * The IPv6 EndpointSlice's endpoints of a Service with IPv6 among its ipFamilies (endpoints holds the IPv4 ones;
   * in an IPv6-only cluster both hold the IPv6 ones).
   */
  secondaryEndpoints?: RealizedEndpoint[];
}

export interface RealizedClusterInfo {
  name: string;
  podCIDR: string;
  serviceCIDR: string;
  nodeSubnet: string;
  nodeCIDRMaskSize: number;
  cni: CniMode;
  kubeProxyMode: KubeProxyMode;
  clusterDomain: string;
  /** kube-dns ClusterIP (the service range's tenth address). */
  dnsIP: string;
  /**
   * kind's ipFamily when not ipv4, with the ranges of each family (primary first) and the IPv6 node mask. In an
   * IPv6-only cluster the fields above hold the IPv6 ranges, and these lists one entry each.
   */
  ipFamily?: ClusterIpFamily;
  podCIDRs?: string[];
  serviceCIDRs?: string[];
  /** The nodes' network of each family (kind's Docker network "kind"), primary first. */
  nodeSubnets?: string[];
  nodeCIDRMaskSizeIPv6?: number;
}

export interface RealizedCluster {
  cluster: RealizedClusterInfo;
  /** The scenario's NetworkPolicies and namespaces (for namespaceSelector), as the API holds them. */
  policies: NetworkPolicy[];
  namespaces: NamespaceDecl[];
  nodes: RealizedNode[];
  /** Every pod, including Pending ones with node or ip null. */
  pods: RealizedPod[];
  services: RealizedService[];
  warnings: Warning[];
  /** The scenario's objects that were accepted but not modelled; absent on a cluster built by hand. */
  notModelled?: NotModelledDecl[];
}
