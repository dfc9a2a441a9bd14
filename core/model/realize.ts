// realize(scenario) -> what Kubernetes and the CNI would have made of it.
// Pure and deterministic: the same scenario always gives the same cluster.
import { dnsServiceIp } from '../ipam/serviceIps';
import { HostLocalRange } from '../ipam/hostLocal';
import { firstUsable, formatCidr, formatIp } from '../ip/cidr';
import { fnv32a, podSuffix, podTemplateHash } from './names';
import { realizeNodes } from './realizeNodes';
import { realizeServices } from './realizeServices';
import { Scheduler, type SchedNode } from './schedule';
import { COREDNS, KUBE_DNS, KUBERNETES } from './systemObjects';
import type {
  PodSpecLite, RealizedCluster, RealizedNode, RealizedPod, Scenario, ServiceDecl, Warning, WorkloadDecl,
} from './types';

interface PodGroup {
  owner?: string;
  namespace: string;
  /** Pod names, one per replica. */
  names: string[];
  spec: PodSpecLite;
  /** Add-ons start before workers join, so they land on control-plane nodes. */
  preferControlPlane: boolean;
}

function workloadGroup(w: WorkloadDecl, barePods: Set<string>, preferControlPlane = false): PodGroup {
  // Deployment pods: <deployment>-<pod-template-hash>-<5 chars>; ReplicaSet pods: <rs>-<5 chars>.
  const prefix = w.kind === 'Deployment' ? `${w.name}-${podTemplateHash(w.template)}` : w.name;
  const seed = fnv32a(`${w.namespace}/${prefix}`);
  // Names only collide inside one group (they share the prefix) or with a bare Pod.
  const used = new Set<string>();
  const names: string[] = [];
  for (let i = 0; i < w.replicas; i++) {
    let n = 0;
    let name: string;
    do name = `${prefix}-${podSuffix(seed, i + n++ * 1_000_003)}`;
    while (used.has(name) || (barePods.size > 0 && barePods.has(`${w.namespace}/${name}`)));
    used.add(name);
    names.push(name);
  }
  return { owner: `${w.kind}/${w.namespace}/${w.name}`, namespace: w.namespace, names, spec: w.template, preferControlPlane };
}

/** Every pod group, in the order the cluster would create them: add-ons, then the user's documents. */
function podGroups(s: Scenario): PodGroup[] {
  const barePods = new Set<string>(s.pods.map((p) => `${p.namespace}/${p.name}`));
  const userHasCoreDns = s.workloads.some((w) => w.namespace === 'kube-system' && w.name === 'coredns');
  const groups: PodGroup[] = userHasCoreDns ? [] : [workloadGroup(COREDNS, barePods, true)];
  // Workloads and bare Pods interleaved in document order.
  const at = documentOrder(s);
  const order: { at: number; g: () => PodGroup }[] = [
    ...s.workloads.map((w, i) => ({ at: at.get(`${w.kind}/${w.namespace}/${w.name}`) ?? 1e9 + i, g: () => workloadGroup(w, barePods) })),
    ...s.pods.map((p, i) => ({ at: at.get(`Pod/${p.namespace}/${p.name}`) ?? 2e9 + i, g: (): PodGroup => ({ namespace: p.namespace, names: [p.name], spec: p.spec, preferControlPlane: false }) })),
  ];
  order.sort((a, b) => a.at - b.at);
  for (const o of order) groups.push(o.g());
  return groups;
}

/** "Kind/namespace/name" -> index of its document. */
function documentOrder(s: Scenario): Map<string, number> {
  const at = new Map<string, number>();
  s.documents.forEach((d, i) => {
    if (d === null || typeof d !== 'object') return;
    const doc = d as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    const ns = typeof doc.metadata?.namespace === 'string' ? doc.metadata.namespace : 'default';
    at.set(`${String(doc.kind)}/${ns}/${String(doc.metadata?.name)}`, i);
  });
  return at;
}

function base(group: PodGroup, name: string, node: string | null, ip: string | null, phase: RealizedPod['phase'], reason?: string): RealizedPod {
  // One object shape for every pod (optional fields present, maybe undefined): no hidden-class churn at 150,000 pods.
  return {
    namespace: group.namespace,
    name,
    owner: group.owner,
    labels: group.spec.labels,
    ports: group.spec.ports,
    hostNetwork: group.spec.hostNetwork,
    node,
    ip,
    phase,
    reason,
  };
}

export function realize(s: Scenario): RealizedCluster {
  const warnings: Warning[] = [];
  const spec = s.cluster;
  const nodes = realizeNodes(spec, warnings);
  const ranges = nodes.map((n) => (n.podCIDR ? new HostLocalRange(n.podCIDR) : null));
  const sched = new Scheduler(nodes.map((n): SchedNode => ({ name: n.name, labels: n.labels, taints: n.taints, maxPods: n.maxPods, count: 0 })));
  const controlPlanes = nodes.flatMap((n, i) => (n.role === 'control-plane' ? [i] : []));
  const perNode: RealizedPod[][] = nodes.map(() => []);
  const pods: RealizedPod[] = [];

  for (const group of podGroups(s)) {
    const placements = sched.place(group.spec, group.names.length, group.preferControlPlane && controlPlanes.length > 0 ? controlPlanes : undefined);
    const unschedulable = placements.reason ? `FailedScheduling: ${placements.reason}` : '';
    for (let i = 0; i < group.names.length; i++) {
      const name = group.names[i]!;
      const at = placements.nodes[i]!;
      let pod: RealizedPod;
      if (at < 0) {
        pod = base(group, name, null, null, 'Pending', unschedulable);
      } else if (group.spec.hostNetwork) {
        pod = base(group, name, nodes[at]!.name, formatIp(nodes[at]!.ip), 'Running');
      } else {
        const range = ranges[at];
        const ip = range?.allocate();
        pod = ip === undefined
          ? base(group, name, nodes[at]!.name, null, 'Pending', `FailedCreatePodSandBox: plugin type="bridge" failed (add): failed to allocate for range 0: ${range?.exhaustedMessage ?? 'no PodCIDR'}`)
          : base(group, name, nodes[at]!.name, formatIp(ip), 'Running');
      }
      if (at >= 0) perNode[at]!.push(pod);
      pods.push(pod);
    }
  }
  reportPending(pods, warnings);

  const runningByNamespace = new Map<string, RealizedPod[]>();
  for (const p of pods) {
    if (p.phase !== 'Running' || p.ip === null) continue;
    const list = runningByNamespace.get(p.namespace);
    if (list) list.push(p);
    else runningByNamespace.set(p.namespace, [p]);
  }
  const builtIns: ServiceDecl[] = [KUBERNETES, KUBE_DNS].filter((b) => {
    const dup = s.services.some((u) => u.namespace === b.namespace && u.name === b.name);
    if (dup) warnings.push({ code: 'BuiltInServiceIgnored', message: `Service ${b.namespace}/${b.name} is created by the cluster itself; the declared one is ignored`, subject: `svc/${b.namespace}/${b.name}` });
    return true;
  });
  const userServices = s.services.filter((u) => !builtIns.some((b) => b.namespace === u.namespace && b.name === u.name));
  const cp = nodes.filter((n) => n.role === 'control-plane');
  const services = realizeServices({
    spec,
    services: [...builtIns, ...userServices],
    runningByNamespace,
    apiServerIps: cp.map((n) => formatIp(n.ip)),
    apiServerNodes: cp.map((n) => n.name),
    warnings,
  });

  const realizedNodes: RealizedNode[] = nodes.map((n, i) => ({
    name: n.name,
    role: n.role,
    ip: formatIp(n.ip),
    podCIDR: n.podCIDR ? formatCidr(n.podCIDR) : null,
    gateway: n.podCIDR ? formatIp(firstUsable(n.podCIDR)) : null,
    labels: n.labels,
    taints: n.taints,
    maxPods: n.maxPods,
    pods: perNode[i]!,
  }));
  capacityWarnings(realizedNodes, ranges, warnings);

  return {
    cluster: {
      name: spec.name,
      podCIDR: formatCidr(spec.podSubnet),
      serviceCIDR: formatCidr(spec.serviceSubnet),
      nodeSubnet: formatCidr(spec.nodeSubnet),
      nodeCIDRMaskSize: spec.nodeCIDRMaskSize,
      cni: spec.cni,
      kubeProxyMode: spec.kubeProxyMode,
      clusterDomain: spec.clusterDomain,
      dnsIP: formatIp(dnsServiceIp(spec.serviceSubnet)),
    },
    policies: s.networkPolicies,
    namespaces: s.namespaces,
    nodes: realizedNodes,
    pods,
    services,
    warnings,
  };
}

/** One warning per reason, not per pod: 150,000 Pending pods must not make 150,000 lines. */
function reportPending(pods: RealizedPod[], warnings: Warning[]): void {
  const byReason = new Map<string, RealizedPod[]>();
  for (const p of pods) {
    if (p.phase !== 'Pending') continue;
    const list = byReason.get(p.reason!);
    if (list) list.push(p);
    else byReason.set(p.reason!, [p]);
  }
  for (const [reason, list] of byReason) {
    const who = list.length === 1 ? `pod ${list[0]!.namespace}/${list[0]!.name} is` : `${list.length} pods are`;
    const first = list[0]!;
    warnings.push({ code: reason.startsWith('FailedScheduling') ? 'FailedScheduling' : 'FailedCreatePodSandBox', message: `${who} Pending${first.node ? ` on ${first.node}` : ''}: ${reason.replace(/^\w+: /, '')}`, subject: `pod/${first.namespace}/${first.name}` });
  }
}

/** kubelet would admit more pods than the node's range can address. */
function capacityWarnings(nodes: RealizedNode[], ranges: (HostLocalRange | null)[], warnings: Warning[]): void {
  const seen = new Set<string>();
  nodes.forEach((n, i) => {
    const r = ranges[i];
    if (!r || r.capacity >= n.maxPods) return;
    const key = `${n.podCIDR?.split('/')[1]}:${n.maxPods}`;
    if (seen.has(key)) return;
    seen.add(key);
    warnings.push({
      code: 'PodCIDRSmallerThanMaxPods',
      message: `/${n.podCIDR?.split('/')[1]} per node gives ${r.capacity} pod addresses but kubelet allows ${n.maxPods} pods (node ${n.name} and any node with the same range size)`,
      subject: `node/${n.name}`,
    });
  });
}
