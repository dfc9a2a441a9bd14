// The pods a rollout moves through the live cluster: created through the scheduler and host-local while the
// old pods still hold their nodes and addresses, and terminated (node count and address given back) one by one.
import { deletionSet } from './scaleDown';
import { stepPod, type RolloutReport, type StepPod } from './rolloutReport';
import type { PodAddressRange } from '../ipam/hostLocal';
import type { HostLocalRange6 } from '../ipam/family6';
import type { PodSpecLite } from '../api/types';

export interface LivePod {
  name: string;
  /** Node index; -1: Pending. */
  node: number;
  /** Its address; undefined on the host network, while Pending, or when host-local had none. */
  ip: number | undefined;
  /** Dual-stack: its IPv6 address as an offset in the node's IPv6 range (host-local's second range). */
  ip6?: number;
  /** Why it does not run: the scheduler's reason, or host-local's; '' when it runs. */
  reason: string;
  /** The edit that created it. */
  born: number;
}

/** The scheduler calls a rollout makes (schedule.ts). */
export interface RolloutPlacer {
  place(spec: PodSpecLite, replicas: number, prefer?: number[]): { nodes: Int32Array; reason?: string };
  placeOnNodes(targets: readonly number[]): { nodes: Int32Array; reason?: string };
  release(node: number): void;
}

/** What a rollout needs of the live planner. */
export interface RolloutEnv {
  ranges: readonly (PodAddressRange | null)[];
  /** Dual-stack: each node's IPv6 range. */
  ranges6?: readonly (HostLocalRange6 | null)[];
  /** Per node: pods bound before the scheduler starts (the old pods are added to it). */
  keptOn: Int32Array;
  nodeNames: readonly string[];
  hostNetwork: boolean;
  edit: number;
}

export const running = (p: LivePod) => p.node >= 0 && p.reason === '';

/**
 * Holds an old pod's node place and address from the start, as the running pod does: what earlier groups
 * schedule sees it. False when its address cannot be had again (the pod is not carried).
 */
export function holdOld(env: RolloutEnv, p: LivePod): boolean {
  if (p.node < 0) return true;
  if (!env.hostNetwork && p.ip !== undefined) {
    if (!env.ranges[p.node]?.restore(p.ip)) return false;
    if (p.ip6 !== undefined && !env.ranges6?.[p.node]?.restore(p.ip6)) {
      env.ranges[p.node]!.release(p.ip);
      return false;
    }
  }
  env.keptOn[p.node]!++;
  return true;
}

/** The pods a step's controller creates: scheduled onto the live cluster, then an address from host-local. */
export function createPods(
  env: RolloutEnv,
  sched: RolloutPlacer,
  spec: PodSpecLite,
  names: readonly string[],
  at?: { prefer?: number[]; nodes?: readonly number[] },
): LivePod[] {
  const placed = at?.nodes ? sched.placeOnNodes(at.nodes) : sched.place(spec, names.length, at?.prefer);
  return names.map((name, k) => {
    const node = placed.nodes[k]!;
    const pod: LivePod = { name, node, ip: undefined, reason: '', born: env.edit };
    if (node < 0) pod.reason = placed.reason ?? 'FailedScheduling';
    else if (!env.hostNetwork) {
      const range = env.ranges[node];
      pod.ip = range?.allocate();
      if (pod.ip === undefined) pod.reason = `no address from host-local: ${range?.exhaustedMessage ?? 'no PodCIDR'}`;
      else allocate6(env, pod, range!);
    }
    return pod;
  });
}

/**
 * Dual-stack: the pod's address from host-local's second range; when that range is full, cmdAdd releases the
 * IPv4 address it took and the pod has none (plugins/ipam/host-local/main.go).
 */
function allocate6(env: RolloutEnv, pod: LivePod, range: PodAddressRange): void {
  const range6 = env.ranges6?.[pod.node];
  if (!range6) return;
  pod.ip6 = range6.allocate();
  if (pod.ip6 !== undefined) return;
  range.release(pod.ip!);
  pod.ip = undefined;
  pod.reason = `no address from host-local: ${range6.exhaustedMessage}`;
}

/** A pod terminates: its node counts one fewer and host-local frees its addresses (allocation goes on after the last). */
export function terminate(env: RolloutEnv, sched: RolloutPlacer, p: LivePod): void {
  if (p.node < 0) return;
  sched.release(p.node);
  if (env.hostNetwork || p.ip === undefined) return;
  env.ranges[p.node]?.release(p.ip);
  if (p.ip6 !== undefined) env.ranges6?.[p.node]?.release(p.ip6);
}

/** `k` of `pods` in the ReplicaSet controller's deletion order; `related`: all the owner's pods (for the rank). */
export function podsToDelete(pods: readonly LivePod[], k: number, related: readonly LivePod[]): Set<LivePod> {
  const onNode = new Map<number, number>();
  for (const p of related) if (p.node >= 0) onNode.set(p.node, (onNode.get(p.node) ?? 0) + 1);
  const set = deletionSet(
    pods.map((p) => ({ name: p.name, node: p.node, running: running(p), born: p.born })),
    k,
    (n) => onNode.get(n) ?? 0,
  );
  return new Set([...set].map((i) => pods[i]!));
}

export function stepPodOf(env: RolloutEnv, p: LivePod): StepPod {
  const range6 = p.node < 0 || p.ip6 === undefined ? undefined : env.ranges6?.[p.node];
  return stepPod(
    p.name,
    p.node < 0 ? null : env.nodeNames[p.node]!,
    p.ip,
    p.reason === '' ? undefined : p.reason.replace(/^\w+: /, ''),
    range6?.address(p.ip6!),
  );
}

/** A controller's rollout, planned with the group and run when the group's pods are bound. */
export interface GroupRollout {
  /** Most pods the group has at any time: the columns set aside for it. */
  readonly capacity: number;
  /** The group's generateName serial once run. */
  readonly nextSerial: number;
  /** `report` undefined: the rollout did nothing (a stalled one resumed while there is still no room). */
  run(sched: RolloutPlacer, prefer?: number[]): { report: RolloutReport | undefined; pods: LivePod[] };
}
