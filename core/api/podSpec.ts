// A pod's network-relevant spec: what a bare Pod or any controller's template declares.
import type { Labels, Protocol } from './meta';

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
}

/** A pod template or a bare Pod's essentials. */
export interface PodSpecLite {
  labels: Labels;
  ports: ContainerPort[];
  nodeName?: string;
  nodeSelector?: Labels;
  tolerations: { key?: string; operator?: 'Exists' | 'Equal'; value?: string; effect?: string }[];
  hostNetwork: boolean;
  /** spec.dnsPolicy; absent means ClusterFirst, the API server's default. */
  dnsPolicy?: DnsPolicy;
  dnsConfig?: PodDnsConfig;
}

/** core/v1 DNSPolicy: the four values the API server accepts. */
export type DnsPolicy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

/** spec.dnsConfig: appended to what the policy gives (kubelet appendDNSConfig); options as NAME or NAME:VALUE. */
export interface PodDnsConfig {
  nameservers: string[];
  searches: string[];
  options: { name: string; value?: string }[];
}
