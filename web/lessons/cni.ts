import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import { nodeRoutes, renderRoute, type Route } from '../../core/dataplane/routes';
import { vethName } from '../../core/dataplane/devices';
import { crossNodePair, edited, parked, realizeText, ref, webPods } from './helpers';
import type { Lesson } from './types';

/** The route is the one towards this CIDR. */
const to = (r: Route, cidr: string | null) => renderRoute(r).startsWith(`${cidr} `);

export const cniLesson: Lesson = {
  id: 'cni',
  title: 'CNI: what the plugin does',
  steps: [
    {
      title: 'When a pod starts',
      scenario: DEFAULT_SCENARIO_YAML,
      select: (c) => ref(webPods(c)[0]),
      body: ({ cluster, dp }) => {
        const p = webPods(cluster)[0]!;
        const node = cluster.nodes.find((n) => n.name === p.node)!;
        return [
          `The kubelet calls the CNI plugin, which creates a veth pair: eth0 inside the pod ${p.name}, ${vethName(p.namespace, p.name)} on ${node.name}, attached to cni0 (${node.gateway}).`,
          `host-local IPAM hands out ${p.ip} from ${node.podCIDR}, and the plugin installs the pod's routes: ${dp
            .podRoutes(p)
            .filter((r) => r.proto !== 'kernel')
            .map(renderRoute)
            .join('; ')}.`,
        ];
      },
    },
    {
      title: 'host-gw: a route per node',
      scenario: DEFAULT_SCENARIO_YAML,
      select: () => 'node/node-a',
      body: ({ cluster }) => {
        const here = cluster.nodes.find((n) => n.name === 'node-a')!;
        const r = nodeRoutes(cluster, here).filter((x) => x.origin === 'host-gw');
        return [
          `For every other node, node-a gets a route to its PodCIDR via that node's IP: ${r.map((x) => `"${renderRoute(x)}"`).join(', ')}. The arcs in the diagram are these routes.`,
          `This only works when all nodes share one L2 network: the next hop must be directly reachable.`,
        ];
      },
    },
    {
      title: 'VXLAN: the same packet, wrapped',
      scenario: edited([{ kind: 'cluster', field: 'cni', value: 'vxlan' }]),
      trace: (c) => {
        const [a, b] = crossNodePair(c);
        return { from: ref(a), to: ref(b), port: 8080 };
      },
      traceAt: { phase: 'Request', action: 'encapsulate' },
      body: (f) => {
        const e = parked(f);
        // Side by side: the wrapping node's route to the same PodCIDR under both modes, each from core.
        const vx = f.cluster.nodes.find((n) => n.name === e.node)!;
        const dest = f.cluster.nodes.find((n) => n.name !== e.node && n.podCIDR !== null)!;
        const vxRoute = nodeRoutes(f.cluster, vx).find((r) => r.origin === 'flannel' && to(r, dest.podCIDR));
        const hg = realizeText(DEFAULT_SCENARIO_YAML);
        const hgNode = hg.nodes.find((n) => n.name === e.node)!;
        const hgRoute = nodeRoutes(hg, hgNode).find((r) => r.origin === 'host-gw' && to(r, dest.podCIDR));
        return [
          `On ${e.node}, the sender's node, the route to ${dest.name}'s pods: with host-gw "${hgRoute ? renderRoute(hgRoute) : '?'}"; with VXLAN "${vxRoute ? renderRoute(vxRoute) : '?'}". Same destination, a different next hop: a node address on eth0, or the remote flannel.1 through the overlay.`,
          `With VXLAN the pod packet ${e.src} → ${e.dst} is wrapped in ${e.outer?.proto ?? 'UDP'} from ${e.outer?.src ?? '?'} to ${e.outer?.dst ?? '?'}. Inside, nothing changed: still pod to pod without NAT; the underlay only sees node addresses.`,
        ];
      },
    },
  ],
};
