// Scenario text -> Scenario. Multi-document YAML (JSON is YAML too, read by the same
// reader at every size), limits against hostile input, every problem a located error; never throws.
import { stringify } from 'yaml';
import { formatIp, parseIp } from '../ip/cidr';
import { dnsServiceIp, kubernetesServiceIp } from '../ipam/serviceIps';
import { parseClusterDoc } from './clusterDoc';
import { DocReader, isObj, show, type Obj } from './docReader';
import { parseNodeDoc } from './nodeDoc';
import { readDocuments } from './readText';
import { checkNodeAddresses, recordOrigin, type NodeOrigins } from './nodeUniqueness';
import { parseNetworkPolicy } from './parsePolicy';
import type { NetworkPolicy } from '../api/networkPolicy';
import { parseNamespace, parsePod, parseService, parseWorkload } from './objectDocs';
import { isClusterScoped, readNotModelled } from './notModelled';
import { API_VERSIONS, collected, controllerPodCount, isDuplicate, isOurs, parseMoreKinds } from './kinds';
import type { NamespaceDecl, PodDecl, Scenario, ScenarioIssue, ServiceDecl, WorkloadDecl } from '../api/types';

/** Larger scenarios are refused before parsing (a 5,000-node cluster exported is about 6 MB). */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;
export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioIssue[] };

const fail = (document: string, path: string, value: string, message: string): ParseResult => ({
  ok: false,
  errors: [{ document, path, value, message }],
});

export function parseScenario(text: string): ParseResult {
  if (typeof text !== 'string') return fail('scenario', '', show(text), 'a scenario must be YAML or JSON text');
  if (text.length > MAX_SCENARIO_BYTES) {
    return fail(
      'scenario',
      '',
      `${text.length.toLocaleString('en-US')} characters`,
      `the scenario is too large; the limit is ${MAX_SCENARIO_BYTES.toLocaleString('en-US')} bytes`,
    );
  }
  const read = readDocuments(text);
  if (!read.ok) return read;
  let docs = read.docs;
  // A JSON array of documents, or a `kind: List`, is a list of documents.
  if (docs.length === 1 && Array.isArray(docs[0])) docs = docs[0] as unknown[];
  docs = docs.flatMap((d) => (isObj(d) && d.kind === 'List' && Array.isArray(d.items) ? d.items : [d]));
  if (docs.length === 0) {
    // kind's config loader fails the same way on an empty file ("unknown apiVersion: ").
    return fail(
      'scenario',
      '',
      '',
      'the scenario is empty: kind refuses an empty config; give a Cluster document (kind: Cluster, apiVersion: kind.x-k8s.io/v1alpha4) or at least one Kubernetes object',
    );
  }
  return parseDocuments(docs);
}

function describe(i: number, d: unknown): string {
  if (!isObj(d)) return `document ${i + 1}`;
  const kind = typeof d.kind === 'string' ? d.kind : undefined;
  const m = isObj(d.metadata) ? d.metadata : {};
  const name =
    typeof m.name === 'string' ? m.name : typeof d.name === 'string' && kind === 'Cluster' ? d.name : undefined;
  const ns = typeof m.namespace === 'string' ? m.namespace : 'default';
  const namespaced = kind && !['Cluster', 'Namespace', 'Node'].includes(kind) && !isClusterScoped(kind);
  return `document ${i + 1} (${kind ?? 'no kind'}${name ? ` ${namespaced ? `${ns}/` : ''}${name}` : ''})`;
}

/** Already-parsed documents (plain JS values) -> Scenario. */
export function parseDocuments(input: unknown[]): ParseResult {
  const docs = Array.isArray(input) ? input : [input];
  const errors: ScenarioIssue[] = [];
  const warnings: ScenarioIssue[] = [];
  const clusterAt = docs.findIndex((d) => isObj(d) && d.kind === 'Cluster');
  const r0 = new DocReader(clusterAt >= 0 ? describe(clusterAt, docs[clusterAt]) : 'defaults', errors, warnings);
  if (clusterAt > 0) r0.error('kind', 'Cluster', 'the Cluster document must come first');
  const cluster = parseClusterDoc(r0, clusterAt >= 0 ? (docs[clusterAt] as Obj) : undefined);
  const origins = clusterNodeOrigins(cluster, clusterAt >= 0 ? docs[clusterAt] : undefined, r0.document);

  const namespaces: NamespaceDecl[] = [];
  const workloads: WorkloadDecl[] = [];
  const pods: PodDecl[] = [];
  const services: ServiceDecl[] = [];
  const networkPolicies: NetworkPolicy[] = [];
  const more = collected();
  const seen = new Map<string, string>();
  const serviceDocs = new Map<ServiceDecl, string>();
  const workloadDocs = new Map<WorkloadDecl, string>();

  docs.forEach((d, i) => {
    if (i === clusterAt) return;
    const r = new DocReader(describe(i, d), errors, warnings);
    if (!isObj(d))
      return r.error('', d, 'a document must be a Kubernetes object (a mapping with apiVersion, kind and metadata)');
    const kind = d.kind;
    if (kind === 'Cluster') return r.error('kind', kind, 'only one Cluster document is allowed');
    if (typeof kind !== 'string' || kind === '')
      return r.error('kind', kind, 'Required value: every document needs a kind');
    if (kind === 'List') return r.error('items', d.items, 'must be a list of Kubernetes objects');
    if (!isOurs(kind, d.apiVersion)) {
      const n = readNotModelled(r, d, kind);
      if (n && !isDuplicate(r, seen, d)) more.notModelled.push(n);
      return;
    }
    const apiVersion = API_VERSIONS[kind]!;
    if (d.apiVersion !== apiVersion)
      return r.error('apiVersion', d.apiVersion, `a ${kind} must have apiVersion ${apiVersion}`);
    if (isDuplicate(r, seen, d)) return;
    switch (kind) {
      case 'Namespace': {
        const n = parseNamespace(r, d);
        if (n) namespaces.push(n);
        break;
      }
      case 'Node':
        parseNodeDoc(r, d, cluster, origins);
        break;
      case 'Pod': {
        const p = parsePod(r, d);
        if (p) pods.push(p);
        break;
      }
      case 'Deployment':
      case 'ReplicaSet': {
        const w = parseWorkload(r, d, kind);
        if (w) {
          workloads.push(w);
          workloadDocs.set(w, r.document);
        }
        break;
      }
      case 'Service': {
        const s = parseService(r, d, cluster.serviceSubnet, cluster.secondary);
        if (s) {
          services.push(s);
          serviceDocs.set(s, r.document);
        }
        break;
      }
      case 'NetworkPolicy': {
        const np = parseNetworkPolicy(r, d);
        if (np) networkPolicies.push(np);
        break;
      }
      default:
        parseMoreKinds(r, d, kind, more);
    }
  });
  checkNodeAddresses(cluster, origins, errors);
  checkServiceAddresses(services, serviceDocs, cluster.serviceSubnet, errors);
  checkSize(cluster.nodes.length, workloads, pods.length + controllerPodCount(more, cluster), workloadDocs, errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    scenario: {
      documents: docs,
      cluster,
      namespaces,
      workloads,
      pods,
      services,
      networkPolicies,
      ...more,
      warnings,
    },
  };
}

/** Where the Cluster document pinned each node's ip and podCIDR ("nodes[2].ip"), for uniqueness errors. */
function clusterNodeOrigins(cluster: Scenario['cluster'], doc: unknown, document: string): NodeOrigins {
  const origins: NodeOrigins = new Map();
  const raw = isObj(doc) && Array.isArray(doc.nodes) ? doc.nodes : [];
  const at = raw.flatMap((n, i) => (isObj(n) ? [i] : [])); // parseNodes skips what is not an object
  cluster.nodes.forEach((n, k) => {
    const path = `nodes[${at[k] ?? k}]`;
    if (n.ip !== undefined) recordOrigin(origins, n.name, 'ip', { document, path: `${path}.ip` });
    if (n.podCIDR !== undefined) recordOrigin(origins, n.name, 'podCIDR', { document, path: `${path}.podCIDR` });
  });
  return origins;
}

/** Beyond these the explorer refuses a scenario rather than hang: twice Kubernetes' own limits (5,000 nodes, 150,000 pods). */
export const MAX_NODES = 10_000;
export const MAX_PODS = 300_000;

function checkSize(
  nodes: number,
  workloads: WorkloadDecl[],
  barePods: number,
  docs: Map<WorkloadDecl, string>,
  errors: ScenarioIssue[],
): void {
  if (nodes > MAX_NODES) {
    errors.push({
      document: 'scenario',
      path: 'nodes',
      value: nodes.toLocaleString('en-US'),
      message: `too many nodes: the explorer models at most ${MAX_NODES.toLocaleString('en-US')} (Kubernetes supports 5,000 per cluster)`,
    });
  }
  const total = workloads.reduce((a, w) => a + w.replicas, barePods);
  if (total > MAX_PODS) {
    const biggest = workloads.reduce((a, w) => (w.replicas > a.replicas ? w : a), workloads[0]!);
    errors.push({
      document: docs.get(biggest) ?? 'scenario',
      path: 'spec.replicas',
      value: String(biggest.replicas),
      message: `${total.toLocaleString('en-US')} pods in all: the explorer models at most ${MAX_PODS.toLocaleString('en-US')} (Kubernetes supports 150,000 per cluster)`,
    });
  }
}

/** Requested ClusterIPs and NodePorts must be unique (the allocator's "already allocated"). */
function checkServiceAddresses(
  services: ServiceDecl[],
  docs: Map<ServiceDecl, string>,
  subnet: Scenario['cluster']['serviceSubnet'],
  errors: ScenarioIssue[],
): void {
  // An IPv6 single-stack cluster has no IPv4 range (its IPv6 ClusterIPs are checked by the IPv6 allocator).
  const ips = new Map<string, string>(
    subnet
      ? [
          [formatIp(kubernetesServiceIp(subnet)), 'default/kubernetes'],
          [formatIp(dnsServiceIp(subnet)), 'kube-system/kube-dns'],
        ]
      : [],
  );
  const ports = new Map<number, string>();
  for (const s of services) {
    const id = `${s.namespace}/${s.name}`;
    if (id === 'default/kubernetes' || id === 'kube-system/kube-dns') continue;
    if (s.clusterIP && s.clusterIP !== 'None' && parseIp(s.clusterIP).ok) {
      const ip = formatIp((parseIp(s.clusterIP) as { value: number }).value);
      const owner = ips.get(ip);
      if (owner)
        errors.push({
          document: docs.get(s)!,
          path: 'spec.clusterIP',
          value: s.clusterIP,
          message: `provided IP is already allocated (to Service ${owner})`,
        });
      else ips.set(ip, id);
    }
    s.ports.forEach((p, i) => {
      if (!p.nodePort) return;
      const owner = ports.get(p.nodePort);
      // One Service may use a nodePort for TCP and for UDP (its own duplicates are checked per protocol).
      if (owner && owner !== id)
        errors.push({
          document: docs.get(s)!,
          path: `spec.ports[${i}].nodePort`,
          value: String(p.nodePort),
          message: `provided port is already allocated (to Service ${owner})`,
        });
      else ports.set(p.nodePort, id);
    });
  }
}

/** Scenario -> multi-document YAML of its documents; parse(export(s)) gives s back. */
export function exportScenario(s: Pick<Scenario, 'documents'>): string {
  return s.documents.map((d) => stringify(d, { aliasDuplicateObjects: false, lineWidth: 0 })).join('---\n');
}
