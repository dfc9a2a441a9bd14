// The DaemonSet controller's view of a node: which nodes get a daemon pod, and the
// tolerations every daemon pod carries (pkg/controller/daemon).
import { labelOf } from '../api/labels';
import { tolerates } from './schedule';
import type { PodSpecLite, Taint } from '../api/types';

type Toleration = PodSpecLite['tolerations'][number];

/**
 * As util.AddOrUpdateDaemonPodTolerations: daemon pods survive taint-based eviction of a not-ready or
 * unreachable node, and tolerate the node-condition taints; hostNetwork ones also network-unavailable.
 */
export function daemonPodSpec(spec: PodSpecLite): PodSpecLite {
  const added: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ...(spec.hostNetwork
      ? [{ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' } as const]
      : []),
  ];
  // AddOrUpdateTolerationInPodSpec replaces a toleration with the same key, operator, value and effect.
  const same = (a: Toleration, b: Toleration) =>
    a.key === b.key && (a.operator ?? 'Equal') === b.operator && (a.value ?? '') === '' && a.effect === b.effect;
  const kept = spec.tolerations.filter((t) => !added.some((a) => same(t, a)));
  return { ...spec, tolerations: [...kept, ...added] };
}

export interface DaemonNode {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
}

/**
 * As NodeShouldRunDaemonPod's shouldRun: the template's nodeName (if any) names the node, its
 * nodeSelector matches, and it tolerates every NoSchedule and NoExecute taint (PreferNoSchedule never keeps it off).
 * `spec` is the daemon pod's, default tolerations included.
 */
export function shouldRunDaemonPod(spec: PodSpecLite, node: DaemonNode): boolean {
  if (spec.nodeName !== undefined && spec.nodeName !== '' && spec.nodeName !== node.name) return false;
  for (const k of Object.keys(spec.nodeSelector ?? {}))
    if (labelOf(node.labels, k) !== spec.nodeSelector![k]) return false;
  return node.taints.every((t) => t.effect === 'PreferNoSchedule' || tolerates(spec.tolerations, t));
}
