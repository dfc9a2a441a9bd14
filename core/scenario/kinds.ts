// Which documents are modelled, under which apiVersion, and the parsing of the kinds beyond the
// first seven (DaemonSet, StatefulSet, Job, EndpointSlice, Endpoints).
import { parseDaemonSet, parseJob, parseStatefulSet } from './controllerDocs';
import { DocReader, isObj, show, type Obj } from './docReader';
import { parseEndpointSlice, parseEndpoints } from './endpointSliceDoc';
import { apiGroup } from './notModelled';
import type { ClusterSpec, Scenario } from '../api/types';

export const API_VERSIONS: Record<string, string> = {
  Namespace: 'v1',
  Node: 'v1',
  Pod: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  Job: 'batch/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Endpoints: 'v1',
};

/** A modelled kind under a group of its own (serving.knative.dev's Service) is some CRD's, not ours. */
export function isOurs(kind: string, apiVersion: unknown): boolean {
  const want = API_VERSIONS[kind];
  if (want === undefined) return false;
  const g = apiGroup(apiVersion);
  // extensions/v1beta1 served Deployments, DaemonSets, ReplicaSets and NetworkPolicies until 1.16.
  return apiVersion === undefined || g === apiGroup(want) || g === 'extensions';
}

/** The same object twice (same group, kind, namespace and name) is refused, as the API server's AlreadyExists. */
export function isDuplicate(r: DocReader, seen: Map<string, string>, d: Obj): boolean {
  const md = isObj(d.metadata) ? d.metadata : {};
  // The whole name: show() shortens long names, and two long names sharing 77 characters are not one object.
  const name = typeof md.name === 'string' ? md.name : show(md.name);
  const ns = typeof md.namespace === 'string' ? md.namespace : 'default';
  const key = `${apiGroup(d.apiVersion)}/${String(d.kind)}/${ns}/${name}`;
  const first = seen.get(key);
  if (first)
    r.error(
      'metadata.name',
      md.name,
      `Duplicate value: ${String(d.kind)} "${show(md.name)}" is already defined in ${first}`,
    );
  else seen.set(key, r.document);
  return first !== undefined;
}

export type Collected = Pick<Scenario, 'daemonSets' | 'statefulSets' | 'jobs' | 'endpointSlices' | 'notModelled'>;

export const collected = (): Collected => ({
  daemonSets: [],
  statefulSets: [],
  jobs: [],
  endpointSlices: [],
  notModelled: [],
});

const push = <T>(list: T[], item: T | undefined) => void (item && list.push(item));

/** DaemonSet, StatefulSet, Job, EndpointSlice and Endpoints documents into `out`. */
export function parseMoreKinds(r: DocReader, d: Obj, kind: string, out: Collected): void {
  if (kind === 'DaemonSet') push(out.daemonSets, parseDaemonSet(r, d));
  else if (kind === 'StatefulSet') push(out.statefulSets, parseStatefulSet(r, d));
  else if (kind === 'Job') push(out.jobs, parseJob(r, d));
  else if (kind === 'EndpointSlice') push(out.endpointSlices, parseEndpointSlice(r, d));
  else if (kind === 'Endpoints') out.endpointSlices.push(...parseEndpoints(r, d));
}

/** The most pods these controllers can make (a DaemonSet: one per node), for the size limit. */
export function controllerPodCount(c: Collected, cluster: ClusterSpec): number {
  let n = c.daemonSets.length * cluster.nodes.length;
  for (const s of c.statefulSets) n += s.replicas;
  for (const j of c.jobs) n += j.active;
  return n;
}
