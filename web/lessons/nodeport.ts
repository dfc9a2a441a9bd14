import type { RealizedCluster } from '../../core/api/types';
import { example, ipOf, parked, verdict } from './helpers';
import type { Lesson } from './types';

const SCENARIO = example('nodeport.yaml');
const svc = (c: RealizedCluster, name: string) => c.services.find((s) => s.namespace === 'default' && s.name === name)!;
const nodePort = (c: RealizedCluster, name: string) => svc(c, name).ports[0]!.nodePort!;
const frontendNodes = (c: RealizedCluster) => new Set(svc(c, 'frontend').endpoints.map((e) => e.node));
/** A node that runs no frontend pod: Cluster forwards from it, Local drops there. */
const emptyNode = (c: RealizedCluster) => c.nodes.find((n) => !frontendNodes(c).has(n.name) && n.role === 'worker')!;
const busyNode = (c: RealizedCluster) => c.nodes.find((n) => frontendNodes(c).has(n.name))!;
const toNode = (node: (c: RealizedCluster) => { ip: string }, service: string) => (c: RealizedCluster) => ({
  from: 'external',
  to: `${node(c).ip}:${nodePort(c, service)}`,
});
const controlPlane = (c: RealizedCluster) => c.nodes.find((n) => n.role === 'control-plane')!;

export const nodePortLesson: Lesson = {
  id: 'nodeport',
  title: 'NodePort and external traffic',
  steps: [
    {
      title: 'A NodePort opens the Service on every node',
      scenario: SCENARIO,
      select: () => 'svc/default/frontend',
      body: ({ cluster }) => {
        const s = svc(cluster, 'frontend');
        return [
          `Service frontend is type NodePort: besides its ClusterIP ${s.clusterIP}, port ${s.ports[0]!.nodePort} is open on every node's own address: ${cluster.nodes.map((n) => `${n.ip}:${s.ports[0]!.nodePort}`).join(', ')}.`,
          `The API server took the port from 30000–32767; frontend-local got ${nodePort(cluster, 'frontend-local')} the same way. Its ${s.endpoints.length} pods run on ${[...frontendNodes(cluster)].join(' and ')}.`,
        ];
      },
    },
    {
      title: 'externalTrafficPolicy Cluster: any node forwards',
      scenario: SCENARIO,
      trace: toNode(controlPlane, 'frontend'),
      traceAt: { phase: 'Request', action: 'dnat' },
      body: (f) => {
        const d = parked(f);
        return [
          `A client outside sends to ${d.dst}, a node ${frontendNodes(f.cluster).has(d.node) ? 'with' : 'without'} a frontend pod. On ${d.node}, kube-proxy's rules DNAT it: ${d.dst} becomes ${d.dstAfter}, a frontend pod.`,
          `With externalTrafficPolicy Cluster every node answers on the NodePort and spreads the traffic over all the pods, wherever they run.`,
        ];
      },
    },
    {
      title: 'The SNAT that hides the client',
      scenario: SCENARIO,
      trace: toNode(controlPlane, 'frontend'),
      traceAt: { phase: 'Request', action: 'snat' },
      body: (f) => {
        const s = parked(f);
        const last = f.trace?.ok ? f.trace.result.hops.at(-1) : undefined;
        return [
          `Before the packet leaves ${s.node} for the other node, kube-proxy masquerades it (SNAT): ${s.src} becomes ${s.srcAfter}.`,
          `Why: the reply must come back through ${s.node}, where conntrack can undo the DNAT. The price: the pod sees ${ipOf(last?.srcAfter)}, the node, not the client ${ipOf(f.steps[0]?.hop.src)}.`,
        ];
      },
    },
    {
      title: 'externalTrafficPolicy Local keeps the client address',
      scenario: SCENARIO,
      trace: toNode(busyNode, 'frontend-local'),
      traceAt: { phase: 'Request', action: 'deliver' },
      body: (f) => {
        const d = parked(f);
        return [
          `frontend-local has externalTrafficPolicy Local: a node sends NodePort traffic only to its own pods, so no SNAT is needed. On ${d.node} the packet is delivered to ${d.dst} from ${ipOf(d.src)}, the client's own address.`,
          `The trace is ${verdict(f)}; the app can log and filter by the real client IP.`,
        ];
      },
    },
    {
      title: 'Local on a node without a pod: dropped',
      scenario: SCENARIO,
      trace: toNode(emptyNode, 'frontend-local'),
      traceAt: { phase: 'Request', action: 'drop' },
      body: (f) => {
        const d = parked(f);
        return [
          `The same NodePort on ${d.node}, which runs no frontend pod: the trace is ${verdict(f)}. ${d.explain}`,
          'So with Local, a load balancer in front must send traffic only to nodes that have a pod (its health check asks each node).',
        ];
      },
    },
  ],
};
