// The rollouts an edit set off, step by step, kept beside the realized cluster (like liveState's record)
// so the diff can list them: per step the pods created (name, node, IP) and the pods terminated.
import { formatIp } from '../ip/cidr';
import { formatIp6 } from '../ip/cidr6';
import { podStoreOf } from '../store/packedCluster';
import type { PodGroup } from '../store/podStore';
import type { RealizedCluster } from '../api/types';

export interface StepPod {
  name: string;
  node: string | null;
  ip: string | null;
  /** Dual-stack: both addresses (status.podIPs), IPv4 first. */
  ips?: string[];
  /** Why it has no IP yet: Pending (the scheduler's reason) or no address from host-local. */
  waiting?: string;
}

export interface RolloutStep {
  /** What the controller did, in its words ("scaled up ReplicaSet web-6d4b8c7f9 to 3"). */
  action: string;
  /** The first STEP_PODS pods created and terminated; the counts say how many in all. */
  created: StepPod[];
  terminated: StepPod[];
  createdCount: number;
  terminatedCount: number;
}

/** Pods listed per step: a 150,000-pod rollout is counted in full but not listed pod by pod. */
export const STEP_PODS = 50;

export const newStep = (action: string): RolloutStep => ({
  action,
  created: [],
  terminated: [],
  createdCount: 0,
  terminatedCount: 0,
});

/** Notes pods a step created or terminated: every one counted, the first STEP_PODS listed (and only they worded). */
export function notePods(
  step: RolloutStep,
  side: 'created' | 'terminated',
  n: number,
  pod: (k: number) => StepPod,
): void {
  const list = step[side];
  for (let k = 0; k < n && list.length < STEP_PODS; k++) list.push(pod(k));
  if (side === 'created') step.createdCount += n;
  else step.terminatedCount += n;
}

export interface RolloutReport {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
  strategy: 'RollingUpdate' | 'Recreate';
  /** The limits the steps obey, resolved ("maxSurge 1, maxUnavailable 0"). */
  limits: string;
  steps: RolloutStep[];
  /** Set when the rollout cannot finish: why it stops where it does. */
  stalled?: string;
}

/**
 * What an Undo of a template change is in a live cluster: the explorer shows the state before the edit again
 * (the same pods, names and IPs), but `kubectl rollout undo` is a rollout of its own: kubectl's DeploymentRollbacker
 * (polymorphichelpers/rollback.go) patches the old ReplicaSet's template into the Deployment, and the Deployment
 * controller finds that ReplicaSet again (same pod-template-hash) and scales it back up with new pods.
 */
export const undoneRollout = (from: string, to: string): string =>
  `Undo returns to the state before the edit, where ReplicaSet ${to} ran; in a live cluster kubectl rollout undo is a rollout of its own: ReplicaSet ${to} scales up again with new pods (new names and IPs) while ${from} scales down`;

/** What every report assumes, said once wherever steps are shown. */
export const STEP_ASSUMPTION =
  'Each step starts once the pods the step before created are Ready and the ones it terminated are gone';

const reports = new WeakMap<PodGroup, RolloutReport>();

export function recordRollout(group: PodGroup, report: RolloutReport): void {
  reports.set(group, report);
}

/** The rollouts the edit that made `c` started, in the order realize ran them; none for a fresh cluster. */
export function rolloutsOf(c: RealizedCluster): RolloutReport[] {
  const store = podStoreOf(c);
  if (!store) return [];
  return store.packed.groups.flatMap((g) => reports.get(g) ?? []);
}

/** A pod as a step shows it; `ip6`: its IPv6 address in a dual-stack cluster. */
export function stepPod(
  name: string,
  node: string | null,
  ip: number | undefined,
  waiting?: string,
  ip6?: bigint,
): StepPod {
  const text = ip === undefined ? null : formatIp(ip);
  const ips = text !== null && ip6 !== undefined ? { ips: [text, formatIp6(ip6)] } : {};
  return { name, node, ip: text, ...ips, ...(waiting ? { waiting } : {}) };
}

/** One pod of a step as a line: "web-6d4b8c7f9-x2k4p on node-a 10.244.1.4 fd00:10:244:1::4". */
export const stepPodText = (p: StepPod): string =>
  `${p.name} on ${p.node ?? '(no node)'} ${p.ips?.join(' ') ?? p.ip ?? 'no IP'}${p.waiting ? ` (${p.waiting})` : ''}`;

/** The steps as text lines: "Rolling update of Deployment default/web (maxSurge 1, maxUnavailable 0): 3 steps". */
export function rolloutText(r: RolloutReport): string[] {
  const what = r.strategy === 'Recreate' ? 'Recreate' : 'Rolling update';
  const n = r.steps.length;
  const out = [`${what} of ${r.kind} ${r.namespace}/${r.name} (${r.limits}): ${n} step${n === 1 ? '' : 's'}`];
  r.steps.forEach((s, i) => {
    out.push(`  ${i + 1}. ${s.action}`);
    for (const p of s.created) out.push(`     + ${stepPodText(p)}`);
    if (s.createdCount > s.created.length) out.push(`     + ... and ${s.createdCount - s.created.length} more pods`);
    for (const p of s.terminated) out.push(`     - ${stepPodText(p)}`);
    if (s.terminatedCount > s.terminated.length)
      out.push(`     - ... and ${s.terminatedCount - s.terminated.length} more pods`);
  });
  if (r.stalled) out.push(`  stalled: ${r.stalled}`);
  return out;
}
