// NetworkPolicy (networking.k8s.io/v1) after parsing and the API server's
// defaults (pkg/apis/networking/v1/defaults.go). Plain data: field names follow
// the API so a reader can hold it next to `kubectl get netpol -o yaml`.
import type { AnyCidr } from '../ip/anyIp';
import type { LabelSelector, Protocol } from './meta';

export type PolicyType = 'Ingress' | 'Egress';

export interface IPBlock {
  /** As written, e.g. "172.17.0.0/16" or "2001:db8::/64". */
  cidr: string;
  except: string[];
  /** Parsed forms of cidr and except, for matching: IPv4 or IPv6, except always of cidr's family. */
  range: AnyCidr;
  exceptRanges: AnyCidr[];
}

/** A peer: podSelector and/or namespaceSelector (both = AND), or an ipBlock alone. */
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  /** Defaults to TCP (SetDefaults_NetworkPolicyPort). */
  protocol: Protocol;
  /** A number, or a container port name; absent = every port. */
  port?: number | string;
  /** With a numeric port: the range port..endPort, inclusive. */
  endPort?: number;
}

export interface NetworkPolicyIngressRule {
  /** Empty = every port. */
  ports: NetworkPolicyPort[];
  /** Empty = every source. */
  from: NetworkPolicyPeer[];
}

export interface NetworkPolicyEgressRule {
  ports: NetworkPolicyPort[];
  /** Empty = every destination. */
  to: NetworkPolicyPeer[];
}

export interface NetworkPolicy {
  namespace: string;
  name: string;
  /** `{}` selects every pod in the policy's namespace. */
  podSelector: LabelSelector;
  policyTypes: PolicyType[];
  ingress: NetworkPolicyIngressRule[];
  egress: NetworkPolicyEgressRule[];
}
