// Every pod group a scenario makes, in the order the cluster creates them: the add-ons first,
// then the user's controllers and bare Pods in document order.
import { daemonPodSpec, shouldRunDaemonPod, type DaemonNode } from './daemonSet';
import { COREDNS } from './systemObjects';
import type { PodGroup } from '../store/podStore';
import type {
  DaemonSetUpdateStrategy,
  DeploymentStrategy,
  PodSpecLite,
  Scenario,
  StatefulSetUpdateStrategy,
  WorkloadDecl,
} from '../api/types';

export interface GroupDecl {
  kind: PodGroup['kind'];
  namespace: string;
  name: string;
  /** How many pods: replicas, a Job's active pods, a DaemonSet's eligible nodes. */
  replicas: number;
  spec: PodSpecLite;
  /** Add-ons start before workers join, so they land on control-plane nodes. */
  preferControlPlane: boolean;
  /** A DaemonSet: the nodes its pods are pinned to, one pod each, in node order. */
  daemonNodes?: number[];
  /** A StatefulSet with OrderedReady: pod i+1 is created only once pod i is Running. */
  ordered?: boolean;
  /** Carried into the PodGroup: a StatefulSet's ordinals and subdomain, an Indexed Job's flag. */
  extra?: Pick<PodGroup, 'ordinalsStart' | 'subdomain' | 'indexed'>;
  /** A Deployment's spec.strategy (undefined: the default). */
  strategy?: DeploymentStrategy;
  /** A DaemonSet's or StatefulSet's spec.updateStrategy (undefined: the default). */
  updateStrategy?: DaemonSetUpdateStrategy | StatefulSetUpdateStrategy;
}

const workloadGroup = (w: WorkloadDecl, preferControlPlane = false): GroupDecl => ({
  kind: w.kind,
  namespace: w.namespace,
  name: w.name,
  replicas: w.replicas,
  spec: w.template,
  preferControlPlane,
  ...(w.strategy ? { strategy: w.strategy } : {}),
});

/** The user's pod groups of each kind, in that kind's document order. */
function userGroups(s: Scenario, nodes: readonly DaemonNode[]): GroupDecl[][] {
  const plain = (g: Omit<GroupDecl, 'preferControlPlane'>): GroupDecl => ({ ...g, preferControlPlane: false });
  return [
    s.workloads.map((w) => workloadGroup(w)),
    s.pods.map((p) => plain({ kind: 'Pod', namespace: p.namespace, name: p.name, replicas: 1, spec: p.spec })),
    s.daemonSets.map((d) => {
      const spec = daemonPodSpec(d.template);
      const daemonNodes = nodes.flatMap((n, i) => (shouldRunDaemonPod(spec, n) ? [i] : []));
      return plain({
        kind: 'DaemonSet',
        namespace: d.namespace,
        name: d.name,
        replicas: daemonNodes.length,
        spec,
        daemonNodes,
        ...(d.updateStrategy ? { updateStrategy: d.updateStrategy } : {}),
      });
    }),
    s.statefulSets.map((t) =>
      plain({
        kind: 'StatefulSet',
        namespace: t.namespace,
        name: t.name,
        replicas: t.replicas,
        spec: t.template,
        ordered: t.podManagementPolicy === 'OrderedReady',
        extra: { ordinalsStart: t.ordinalsStart, ...(t.serviceName ? { subdomain: t.serviceName } : {}) },
        ...(t.updateStrategy ? { updateStrategy: t.updateStrategy } : {}),
      }),
    ),
    s.jobs.map((j) =>
      plain({
        kind: 'Job',
        namespace: j.namespace,
        name: j.name,
        replicas: j.active,
        spec: j.template,
        ...(j.indexed ? { extra: { indexed: true } } : {}),
      }),
    ),
  ];
}

/** Every pod group, in the order the cluster would create them: add-ons, then the user's documents. */
export function podGroups(s: Scenario, nodes: readonly DaemonNode[]): GroupDecl[] {
  const userHasCoreDns = s.workloads.some((w) => w.namespace === 'kube-system' && w.name === 'coredns');
  const groups: GroupDecl[] = userHasCoreDns ? [] : [workloadGroup(COREDNS, true)];
  const byKind = userGroups(s, nodes);
  // Parse lists each kind in document order: only a mix needs the documents to interleave them.
  const kinds = byKind.filter((list) => list.length > 0);
  if (kinds.length <= 1) return [...groups, ...(kinds[0] ?? [])];
  const at = documentOrder(s);
  const order = byKind.flat().map((g, i) => ({ at: at.get(`${g.kind}/${g.namespace}/${g.name}`) ?? 1e9 + i, g }));
  order.sort((a, b) => a.at - b.at);
  for (const o of order) groups.push(o.g);
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
