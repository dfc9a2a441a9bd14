// Documents the network model does not read (ConfigMaps, RBAC, Ingresses, CRDs, ...): accepted
// as a cluster accepts them when well-formed, and listed as not modelled; never an error.
import { DocReader, isObj, show, type Obj } from './docReader';
import type { NotModelledDecl } from '../api/types';

/** Built-in kinds that live outside namespaces (kubectl api-resources --namespaced=false). */
const CLUSTER_SCOPED = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'GatewayClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'PersistentVolume',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export const isClusterScoped = (kind: string): boolean => CLUSTER_SCOPED.has(kind);

/** What a reader might expect from a kind that the model leaves out, in a line. */
const NOTES: Record<string, string> = {
  HorizontalPodAutoscaler: 'no autoscaler runs: its target keeps the replicas it declares',
  Ingress: 'no Ingress controller is modelled: no proxy routes to its backends',
  Gateway: 'no Gateway controller is modelled: no proxy routes to its backends',
  HTTPRoute: 'no Gateway controller is modelled: no proxy routes to its backends',
  GRPCRoute: 'no Gateway controller is modelled: no proxy routes to its backends',
  PodDisruptionBudget: 'it limits voluntary evictions, and nothing is evicted here',
  CustomResourceDefinition: 'its custom objects are accepted and not modelled',
};

/**
 * A document of a kind the model does not read, if it is a well-formed Kubernetes object
 * (apiVersion, kind and metadata.name); otherwise an error naming what is missing.
 */
export function readNotModelled(r: DocReader, doc: Obj, kind: string): NotModelledDecl | undefined {
  const apiVersion = doc.apiVersion;
  if (typeof apiVersion !== 'string' || apiVersion === '')
    return void r.error(
      'apiVersion',
      apiVersion,
      `Required value: every Kubernetes object needs an apiVersion (a ${kind} is accepted and listed as not modelled)`,
    );
  const md = doc.metadata;
  if (!isObj(md)) return void r.error('metadata', md, 'Required value: metadata.name is required');
  if (typeof md.name !== 'string' || md.name === '')
    return void r.error('metadata.name', md.name, 'Required value: name or generateName is required');
  if (md.namespace !== undefined && typeof md.namespace !== 'string')
    return void r.error('metadata.namespace', md.namespace, 'must be a string');
  const namespace = md.namespace ?? (isClusterScoped(kind) ? undefined : 'default');
  const note = NOTES[kind];
  return {
    apiVersion,
    kind,
    ...(namespace !== undefined ? { namespace } : {}),
    name: md.name,
    ...(note ? { note } : {}),
  };
}

/** "networking.k8s.io" for "networking.k8s.io/v1", "" for the core group's "v1". */
export function apiGroup(apiVersion: unknown): string {
  const v = typeof apiVersion === 'string' ? apiVersion : show(apiVersion);
  const slash = v.indexOf('/');
  return slash < 0 ? '' : v.slice(0, slash);
}
