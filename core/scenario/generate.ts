// Generators for large what-if clusters ("5,000 nodes, 30 pods each").
import { stringify } from 'yaml';
import { MAX_PODS } from './parse';
// They produce ordinary scenario documents, so the result can be exported,
// edited and re-imported like any hand-written scenario.

export interface GenerateOptions {
  nodes: number;
  podsPerNode: number;
  /** One Deployment + Service per this many pods. */
  podsPerService: number;
  podSubnet?: string;
  nodeCIDRMaskSize?: number;
  cni?: 'host-gw' | 'vxlan';
  name?: string;
  /**
   * 'dual': kind's ipFamily dual with an IPv6 /48 beside the IPv4 podSubnet (65,536 /64 node ranges) and
   * PreferDualStack Services; 'ipv6': that IPv6 /48 and a /108 service range alone.
   */
  ipFamily?: 'ipv4' | 'ipv6' | 'dual';
}

export function generateDocuments(o: GenerateOptions): unknown[] {
  const dual = o.ipFamily === 'dual';
  const v6only = o.ipFamily === 'ipv6';
  const nodes = Array.from({ length: o.nodes }, (_, i) =>
    i === 0 ? { role: 'control-plane', taints: [] } : { role: 'worker' },
  );
  const cluster = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: o.name ?? `gen-${o.nodes}`,
    networking: {
      ...(o.ipFamily && o.ipFamily !== 'ipv4' ? { ipFamily: o.ipFamily } : {}),
      podSubnet: v6only ? 'fd00:10::/48' : `${o.podSubnet ?? '10.0.0.0/10'}${dual ? ',fd00:10::/48' : ''}`,
      serviceSubnet: v6only ? 'fd00:10:96::/108' : `10.96.0.0/12${dual ? ',fd00:10:96::/108' : ''}`,
      // (An IPv6 single-stack cluster's nodes are on kind's IPv6 network: no IPv4 node network to give.)
      ...(v6only ? {} : { nodeSubnet: '172.16.0.0/16' }),
      // IPv6 single-stack: the plain node mask is the IPv6 one (kube-controller-manager's default /64).
      nodeCIDRMaskSize: o.nodeCIDRMaskSize ?? (v6only ? 64 : 24),
      cni: o.cni ?? 'host-gw',
      kubeProxyMode: 'iptables',
    },
    nodes,
  };
  const docs: unknown[] = [cluster];
  const total = o.nodes * o.podsPerNode;
  const apps = Math.ceil(total / o.podsPerService);
  for (let i = 0; i < apps; i++) {
    const name = `app-${i}`;
    const labels = { app: name };
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas: Math.min(o.podsPerService, total - i * o.podsPerService),
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 8080, name: 'http' }] }] },
        },
      },
    });
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: {
        ...(dual ? { ipFamilyPolicy: 'PreferDualStack' } : {}),
        selector: labels,
        ports: [{ port: 80, targetPort: 'http' }],
      },
    });
  }
  return docs;
}

/** Above this many nodes the generator writes JSON (a YAML subset) so that a 5,000-node cluster parses in milliseconds. */
export const GENERATE_JSON_ABOVE = 200;

/** The generated cluster as scenario text, ready to load, export or edit: YAML, or for big clusters a JSON list of documents. */
export function generateScenarioText(o: GenerateOptions): string {
  const docs = generateDocuments(o);
  if (o.nodes > GENERATE_JSON_ABOVE) return `[\n${docs.map((d) => JSON.stringify(d)).join(',\n')}\n]\n`;
  const head = `# Generated: ${o.nodes} nodes, ${o.podsPerNode} pods per node, one Deployment and Service per ${o.podsPerService} pods.\n`;
  return head + docs.map((d) => stringify(d, { flowCollectionPadding: false })).join('---\n');
}

export const GENERATE_LIMITS = { nodes: 5000, podsPerNode: 110, podsPerService: 1 } as const;

/** A user's generator request checked: every field named with its problem. */
export function checkGenerateOptions(o: GenerateOptions): string[] {
  const errs: string[] = [];
  const show = (n: number) => (Number.isNaN(n) ? 'not a number' : `"${n}"`);
  if (!Number.isInteger(o.nodes) || o.nodes < 1 || o.nodes > GENERATE_LIMITS.nodes)
    errs.push(
      `nodes: ${show(o.nodes)}: must be a whole number from 1 to ${GENERATE_LIMITS.nodes} (Kubernetes supports at most 5,000 nodes)`,
    );
  if (!Number.isInteger(o.podsPerNode) || o.podsPerNode < 0 || o.podsPerNode > GENERATE_LIMITS.podsPerNode)
    errs.push(
      `pods per node: ${show(o.podsPerNode)}: must be a whole number from 0 to 110 (kubelet's default maxPods)`,
    );
  if (!Number.isInteger(o.podsPerService) || o.podsPerService < 1)
    errs.push(`pods per Service: ${show(o.podsPerService)}: must be a whole number of at least 1`);
  if (errs.length === 0 && o.nodes * o.podsPerNode > MAX_PODS) {
    errs.push(
      `${(o.nodes * o.podsPerNode).toLocaleString('en-US')} pods in all: the explorer models at most ${MAX_PODS.toLocaleString('en-US')} (Kubernetes supports 150,000 per cluster); use fewer nodes or pods per node`,
    );
  }
  return errs;
}
