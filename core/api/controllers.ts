// The pod controllers beyond Deployment and ReplicaSet, EndpointSlices given by hand, and the
// documents accepted without being modelled, as the scenario declares them.
import type { LabelSelector, Protocol } from './meta';
import type { PodSpecLite } from './podSpec';

/** One pod on every eligible node (pkg/controller/daemon). */
export interface DaemonSetDecl {
  kind: 'DaemonSet';
  namespace: string;
  name: string;
  selector: LabelSelector;
  template: PodSpecLite;
  /** spec.updateStrategy; undefined: the default (RollingUpdate, maxUnavailable 1). */
  updateStrategy?: DaemonSetUpdateStrategy;
}

/** Pods with stable names NAME-0..N-1 and, through their governing Service, stable DNS names. */
export interface StatefulSetDecl {
  kind: 'StatefulSet';
  namespace: string;
  name: string;
  replicas: number;
  selector: LabelSelector;
  template: PodSpecLite;
  /** spec.serviceName: the governing Service; each pod's hostname is its name, its subdomain this. */
  serviceName?: string;
  /** podManagementPolicy: OrderedReady (default) creates pod i+1 only once pod i runs; Parallel creates all. */
  podManagementPolicy: 'OrderedReady' | 'Parallel';
  /** spec.ordinals.start (default 0). */
  ordinalsStart: number;
  /** spec.updateStrategy; undefined: the default (RollingUpdate, partition 0). */
  updateStrategy?: StatefulSetUpdateStrategy;
}

/** A Job's active pods: min(parallelism, completions), none while suspended (pkg/controller/job). */
export interface JobDecl {
  kind: 'Job';
  namespace: string;
  name: string;
  /** The pods the Job controller keeps running at once. */
  active: number;
  /** completionMode Indexed: pods are NAME-INDEX-xxxxx. */
  indexed: boolean;
  template: PodSpecLite;
}

export interface EndpointSlicePort {
  /** "" when unnamed: it serves the Service's unnamed port. */
  name: string;
  protocol: Protocol;
  port: number;
}

export interface EndpointSliceEndpoint {
  /** kube-proxy uses the first address only. */
  addresses: string[];
  /** conditions.ready; unset counts as ready. */
  ready: boolean;
  nodeName?: string;
  hostname?: string;
  /** targetRef.name when targetRef.kind is Pod. */
  pod?: string;
}

/** A discovery.k8s.io/v1 EndpointSlice given in the scenario (for a Service without a selector). */
export interface EndpointSliceDecl {
  namespace: string;
  name: string;
  /** The kubernetes.io/service-name label: the Service it belongs to; undefined = none. */
  serviceName?: string;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  ports: EndpointSlicePort[];
  endpoints: EndpointSliceEndpoint[];
  /** Mirrored from a v1 Endpoints object of this name (one slice per subset). */
  mirrored?: boolean;
}

/** A well-formed object accepted as given: it exists in the cluster but does not shape the network model. */
export interface NotModelledDecl {
  apiVersion: string;
  kind: string;
  /** undefined when the object is not namespaced or names no namespace. */
  namespace?: string;
  name: string;
  /** Why it is not modelled, when there is more to say than its kind. */
  note?: string;
}

/** An IntOrString that is a count or a percentage of the replicas ("25%"), as validated by the API server. */
export type IntOrPercent = number | `${number}%`;

/** spec.strategy of a Deployment (apps/v1 defaults: RollingUpdate, maxSurge 25%, maxUnavailable 25%). */
export type DeploymentStrategy =
  { type: 'Recreate' } | { type: 'RollingUpdate'; maxSurge: IntOrPercent; maxUnavailable: IntOrPercent };

/** spec.updateStrategy of a DaemonSet (apps/v1 defaults: RollingUpdate, maxUnavailable 1, maxSurge 0). */
export type DaemonSetUpdateStrategy =
  { type: 'OnDelete' } | { type: 'RollingUpdate'; maxSurge: IntOrPercent; maxUnavailable: IntOrPercent };

/** spec.updateStrategy of a StatefulSet (apps/v1 defaults: RollingUpdate, partition 0). */
export type StatefulSetUpdateStrategy = { type: 'OnDelete' } | { type: 'RollingUpdate'; partition: number };
