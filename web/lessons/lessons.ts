// The lessons: the arc of an introductory talk on the Kubernetes network
// model, in our own words. Each step names a scenario, what to select, what to
// trace; its text is a function of what core computed for that scenario, so
// every number on screen comes from core, never from this file.
import type { Dataplane } from '../../core/dataplane/dataplane';
import { nodeRoutes, renderRoute } from '../../core/dataplane/routes';
import { vethName } from '../../core/dataplane/devices';
import { parseScenario } from '../../core/scenario/parse';
import { realize } from '../../core/cluster/realize';
import { parseCidr } from '../../core/ip/cidr';
import { explainCidr, formatCount } from '../../core/ip/explain';
import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import { editScenario, type ScenarioEdit } from '../../core/scenario/edit';
import type { RealizedCluster, RealizedPod } from '../../core/api/types';
import type { TraceOutcome } from '../../core/trace/trace';
import { EXAMPLES } from '../state/scenarios';
import type { TraceRequestUI } from '../state/store';

const DENY_INGRESS =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: default}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n';
const ALLOW_WEB =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-web, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: http}]}]\n';

export interface Facts {
  cluster: RealizedCluster;
  dp: Dataplane;
  trace: TraceOutcome | null;
}

export interface LessonStep {
  title: string;
  /** The scenario text for this step. */
  scenario: string;
  /** What the diagram selects and the inspector explains: "node/…", "pod/…", "svc/…", "cluster". */
  select?: (c: RealizedCluster) => string | null;
  trace?: (c: RealizedCluster) => TraceRequestUI;
  /** Which trace step to show first: the first hop whose action is this. */
  traceAt?: string;
  /** Paragraphs; every number comes from `facts`. */
  body: (f: Facts) => string[];
}

export interface Lesson {
  id: string;
  title: string;
  steps: LessonStep[];
}

const edited = (edits: ScenarioEdit[], base = DEFAULT_SCENARIO_YAML): string =>
  edits.reduce((text, e) => {
    const r = editScenario(text, e);
    if (!r.ok) throw new Error(`lesson scenario: ${r.message}`);
    return r.text;
  }, base);
const example = (file: string) => EXAMPLES.find((e) => e.file === file)?.text ?? DEFAULT_SCENARIO_YAML;

/** The default scenario realized, for a step that compares itself with host-gw. */
let hostGw: RealizedCluster | undefined;
function hostGwCluster(): RealizedCluster {
  if (!hostGw) {
    const p = parseScenario(DEFAULT_SCENARIO_YAML);
    if (!p.ok) throw new Error('the default scenario must parse');
    hostGw = realize(p.scenario);
  }
  return hostGw;
}

const webPods = (c: RealizedCluster) => c.pods.filter((p) => p.owner === 'Deployment/default/web');
const ref = (p: RealizedPod | undefined) => (p ? `pod/${p.namespace}/${p.name}` : 'external');
const cidrFacts = (cidr: string, nodeMask?: number) => {
  const p = parseCidr(cidr);
  return p.ok ? explainCidr(p.value, nodeMask) : undefined;
};
/** Two web pods on different nodes, for pod-to-pod traces. */
const crossNodePair = (c: RealizedCluster): [RealizedPod | undefined, RealizedPod | undefined] => {
  const pods = webPods(c);
  const a = pods[0];
  return [a, pods.find((p) => p.node !== a?.node)];
};
const hops = (f: Facts) => (f.trace?.ok ? f.trace.result.hops : []);

export const LESSONS: Lesson[] = [
  {
    id: 'pods',
    title: 'Pods and Deployments',
    steps: [
      {
        title: 'A pod is the unit that gets an IP',
        scenario: DEFAULT_SCENARIO_YAML,
        select: (c) => ref(webPods(c)[0]),
        body: ({ cluster }) => {
          const p = webPods(cluster)[0]!;
          return [
            `Kubernetes does not give containers addresses; it gives pods addresses. Pod ${p.name} has the IP ${p.ip}, on node ${p.node}.`,
            `Every container in the pod shares that one address and one network namespace, the way processes on one machine share its IP.`,
          ];
        },
      },
      {
        title: 'A Deployment keeps N of them running',
        scenario: DEFAULT_SCENARIO_YAML,
        select: () => 'node/node-b',
        body: ({ cluster }) => {
          const pods = webPods(cluster);
          return [
            `The Deployment "web" asks for ${pods.length} replicas, so there are ${pods.length} web pods: ${pods.map((p) => `${p.name} (${p.ip} on ${p.node})`).join(', ')}.`,
            `The scheduler spread them over the ${cluster.nodes.length} nodes; each pod took the next free address of its node's range.`,
          ];
        },
      },
      {
        title: 'Scale it, and new pods get new addresses',
        scenario: edited([{ kind: 'replicas', namespace: 'default', name: 'web', value: '6' }]),
        select: () => 'node/node-a',
        body: ({ cluster }) => {
          const pods = webPods(cluster);
          return [
            `With replicas set to ${pods.length}, the Deployment now keeps ${pods.length} pods. The addresses in use: ${pods.map((p) => p.ip).join(', ')}.`,
            `A pod's IP lives as long as the pod: replace the pod and the new one may get a different address. That is why Services exist (lesson 4).`,
          ];
        },
      },
    ],
  },
  {
    id: 'podcidr',
    title: 'The PodCIDR',
    steps: [
      {
        title: "Every pod IP comes from the cluster's range",
        scenario: DEFAULT_SCENARIO_YAML,
        select: () => 'cluster',
        body: ({ cluster }) => {
          const x = cidrFacts(cluster.cluster.podCIDR)!;
          return [
            `This cluster's PodCIDR is ${x.cidr}: the addresses ${x.network} to ${x.lastAddress}, ${formatCount(x.size)} of them (2^${32 - x.prefix}).`,
            `The first ${x.prefix} bits are fixed (${x.binary.marked.split('|')[0]}); the remaining ${32 - x.prefix} bits number the addresses. Try another CIDR in the inspector's calculator.`,
          ];
        },
      },
      {
        title: 'A second cluster, a different range',
        scenario: example('talk-10-4.yaml'),
        select: () => 'cluster',
        body: ({ cluster }) => {
          const x = cidrFacts(cluster.cluster.podCIDR)!;
          return [
            `A second cluster uses ${x.cidr}: ${x.network} to ${x.lastAddress}, again ${formatCount(x.size)} addresses. The prefix length, not the first octet, decides the size.`,
            `Its ${cluster.nodes.length} nodes hold ${cluster.nodes.map((n) => n.podCIDR ?? 'none').join(', ')}.`,
          ];
        },
      },
      {
        title: 'Cut into one block per node',
        scenario: DEFAULT_SCENARIO_YAML,
        select: () => 'node/node-a',
        body: ({ cluster }) => {
          const whole = cidrFacts(cluster.cluster.podCIDR, cluster.cluster.nodeCIDRMaskSize)!;
          const node = cluster.nodes[0]!;
          const block = cidrFacts(node.podCIDR!)!;
          const fits = whole.fits.find((f) => f.prefix === cluster.cluster.nodeCIDRMaskSize)?.count ?? 0;
          return [
            `The controller manager cuts ${whole.cidr} into /${cluster.cluster.nodeCIDRMaskSize} blocks: ${formatCount(fits)} of them, one per node. ${node.name} got ${block.cidr}: ${formatCount(block.size)} addresses.`,
            `On the node, ${block.firstUsable} goes to the cni0 bridge (the pods' gateway) and pods get ${node.pods[0]?.ip ?? 'the next addresses'} onwards; ${block.network} and ${block.lastAddress} are never handed out.`,
          ];
        },
      },
    ],
  },
  {
    id: 'rules',
    title: 'The three rules',
    steps: [
      {
        title: 'Pod to pod, without NAT',
        scenario: DEFAULT_SCENARIO_YAML,
        trace: (c) => {
          const [a, b] = crossNodePair(c);
          return { from: ref(a), to: ref(b), port: 8080 };
        },
        body: (f) => {
          const h = hops(f);
          const same = h.every((x) => x.src === x.srcAfter && x.dst === x.dstAfter);
          return [
            `A packet from ${h[0]?.src ?? '?'} to ${h[0]?.dst ?? '?'} crosses ${new Set(h.map((x) => x.node)).size} nodes in ${h.length} steps${same ? ', and no step rewrites its addresses' : ''}.`,
            `Step through it: the source and destination on screen stay the same from the first hop to the last. The receiving pod sees the sender's real IP.`,
          ];
        },
      },
      {
        title: 'Node to pod, without NAT',
        scenario: DEFAULT_SCENARIO_YAML,
        trace: (c) => ({ from: 'node/node-a', to: ref(webPods(c).find((p) => p.node === 'node-b')), port: 8080 }),
        body: (f) => {
          const h = hops(f);
          const ip = (hp: string | undefined) => hp?.split(':')[0] ?? '?';
          return [
            `node-a (a kubelet, say) sends from ${ip(h[0]?.src)}; the pod receives the packet from ${ip(h[h.length - 1]?.srcAfter)}: the same address.`,
          ];
        },
      },
      {
        title: 'A pod sees itself at the IP others use',
        scenario: DEFAULT_SCENARIO_YAML,
        select: (c) => ref(webPods(c)[0]),
        body: ({ cluster, dp }) => {
          const p = webPods(cluster)[0]!;
          const own = dp.podRoutes(p).find((r) => r.proto === 'kernel');
          return [
            `Inside pod ${p.name}, eth0 holds ${p.ip}; its connected route is "${own ? renderRoute(own) : '?'}".`,
            `Others send to ${p.ip} too: there is no private-versus-public address, so an app can announce its own IP to its peers.`,
          ];
        },
      },
    ],
  },
  {
    id: 'services',
    title: 'Services',
    steps: [
      {
        title: 'DNS resolves the name',
        scenario: DEFAULT_SCENARIO_YAML,
        trace: (c) => ({ from: ref(webPods(c)[0]), to: `web.default.svc.${c.cluster.clusterDomain}` }),
        body: (f) => {
          const dns = f.trace?.ok ? f.trace.result.dns : undefined;
          return [
            `The pod asks kube-dns at ${dns?.query.hops[0]?.dst ?? f.cluster.cluster.dnsIP} over UDP for ${dns?.name ?? 'the name'}; the answer is ${dns?.answer.join(', ') ?? '?'}, the Service's ClusterIP.`,
            `No pod has that address. It is virtual: it exists only in kube-proxy's rules on every node.`,
          ];
        },
      },
      {
        title: 'The ClusterIP is swapped for a pod IP',
        scenario: DEFAULT_SCENARIO_YAML,
        trace: (c) => ({ from: ref(webPods(c)[0]), to: `web.default.svc.${c.cluster.clusterDomain}` }),
        traceAt: 'dnat',
        body: (f) => {
          const d = hops(f).find((h) => h.action === 'dnat');
          return [
            `On the sending pod's own node, kube-proxy's iptables rules rewrite the destination: ${d?.dst ?? '?'} becomes ${d?.dstAfter ?? '?'} (DNAT).`,
            `The rule that decided is shown with the step; each endpoint had an equal chance.`,
          ];
        },
      },
      {
        title: 'And back on the way out',
        scenario: DEFAULT_SCENARIO_YAML,
        trace: (c) => ({ from: ref(webPods(c)[0]), to: `web.default.svc.${c.cluster.clusterDomain}` }),
        traceAt: 'un-nat',
        body: (f) => {
          const u = f.trace?.ok ? f.trace.result.reply?.hops.find((h) => h.action === 'un-nat') : undefined;
          return [
            `The reply leaves the server as ${u?.src ?? '?'} → ${u?.dst ?? '?'}. conntrack remembers the connection and restores the Service address: ${u?.srcAfter ?? '?'} → ${u?.dstAfter ?? '?'}.`,
            `The client only ever talks to the ClusterIP.`,
          ];
        },
      },
    ],
  },
  {
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
            `The kubelet calls the CNI plugin, which creates a veth pair: eth0 inside the pod, ${vethName(p.namespace, p.name)} on the node, attached to cni0 (${node.gateway}).`,
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
          const other = cluster.nodes[1]!;
          return [
            `For every other node, node-a gets a route to its PodCIDR via that node's IP: "${other.podCIDR} via ${other.ip} dev eth0". The arcs in the diagram are these routes.`,
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
        traceAt: 'encapsulate',
        body: (f) => {
          const e = hops(f).find((h) => h.action === 'encapsulate');
          // Side by side: the same node's route to the same PodCIDR under both modes, each from core.
          const vx = f.cluster.nodes[0]!;
          const vxRoute = nodeRoutes(f.cluster, vx).find((r) => r.origin === 'flannel');
          const hg = hostGwCluster();
          const hgRoute = nodeRoutes(hg, hg.nodes[0]!).find((r) => r.origin === 'host-gw');
          return [
            `host-gw: "${hgRoute ? renderRoute(hgRoute) : '?'}". VXLAN: "${vxRoute ? renderRoute(vxRoute) : '?'}". Same destination, a different next hop: a node address on eth0, or the remote flannel.1 through the overlay.`,
            `With VXLAN the pod packet ${e?.src ?? '?'} → ${e?.dst ?? '?'} is wrapped in ${e?.outer?.proto ?? 'UDP'} from ${e?.outer?.src ?? '?'} to ${e?.outer?.dst ?? '?'}. Inside, nothing changed: still pod to pod without NAT; the underlay only sees node addresses.`,
          ];
        },
      },
    ],
  },
  {
    id: 'policy',
    title: 'NetworkPolicy: deny, then allow',
    steps: [
      {
        title: 'Without policies, every pod reaches every pod',
        scenario: DEFAULT_SCENARIO_YAML,
        trace: (c) => ({
          from: ref(c.pods.find((p) => p.namespace === 'kube-system')),
          to: ref(webPods(c).find((p) => p.node === 'node-b')),
          port: 8080,
        }),
        body: (f) => [
          `No NetworkPolicy selects any pod, so no pod is isolated: the trace is ${f.trace?.ok ? f.trace.result.verdict : '?'}.`,
          'The network model allows all pod-to-pod traffic by default; policies are how a namespace opts out.',
        ],
      },
      {
        title: 'Default deny: an empty podSelector isolates every pod',
        scenario: `${DEFAULT_SCENARIO_YAML}---\n${DENY_INGRESS}`,
        trace: (c) => ({
          from: ref(c.pods.find((p) => p.namespace === 'kube-system')),
          to: ref(webPods(c).find((p) => p.node === 'node-b')),
          port: 8080,
        }),
        body: (f) => {
          const drop = hops(f).find((h) => h.action === 'drop');
          return [
            `The policy default-deny selects every pod in default for Ingress and allows nothing. The trace is now ${f.trace?.ok ? f.trace.result.verdict : '?'}, on ${drop?.node ?? '?'}: ${drop?.explain ?? ''}`,
            'The packet crossed the network and was dropped next to the destination pod, where the CNI enforces ingress rules.',
          ];
        },
      },
      {
        title: 'Allow one workload in',
        scenario: `${DEFAULT_SCENARIO_YAML}---\n${DENY_INGRESS}---\n${ALLOW_WEB}`,
        trace: (c) => ({
          from: ref(webPods(c).find((p) => p.node === 'node-a')),
          to: ref(webPods(c).find((p) => p.node === 'node-b')),
          port: 8080,
        }),
        body: (f) => {
          const allow = hops(f).find((h) => h.action === 'allow');
          return [
            `A second policy allows ingress to app=web from app=web on the port named http. Policies add up: the trace is ${f.trace?.ok ? f.trace.result.verdict : '?'}, allowed by ${allow?.rule ?? '?'}.`,
            'CoreDNS is still denied: nothing allows it. The reply of an allowed connection always passes.',
          ];
        },
      },
    ],
  },
];

export const lessonById = (id: string) => LESSONS.find((l) => l.id === id);
