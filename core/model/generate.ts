// Generators for large what-if clusters ("5,000 nodes, 30 pods each").
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
}

export function generateDocuments(o: GenerateOptions): unknown[] {
  const nodes = Array.from({ length: o.nodes }, (_, i) => (i === 0 ? { role: 'control-plane', taints: [] } : { role: 'worker' }));
  const cluster = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: o.name ?? `gen-${o.nodes}`,
    networking: {
      podSubnet: o.podSubnet ?? '10.0.0.0/10',
      serviceSubnet: '10.96.0.0/12',
      nodeSubnet: '172.16.0.0/16',
      nodeCIDRMaskSize: o.nodeCIDRMaskSize ?? 24,
      cni: o.cni ?? 'host-gw',
      kubeProxyMode: 'iptables',
    },
    nodes,
  };
  const docs: unknown[] = [cluster];
  const apps = Math.ceil((o.nodes * o.podsPerNode) / o.podsPerService);
  for (let i = 0; i < apps; i++) {
    const name = `app-${i}`;
    const labels = { app: name };
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas: o.podsPerService,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 8080, name: 'http' }] }] } },
      },
    });
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 'http' }] },
    });
  }
  return docs;
}
