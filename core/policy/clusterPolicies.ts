// One policy context per realized cluster (built on first use), and what the
// explorer asks of it: which policies isolate a pod, in which direction.
import type { RealizedCluster, RealizedPod } from '../api/types';
import { isolatingPolicies, podEndpoint, policyContext, type PolicyContext } from './evaluate';
import { policyRuleLines } from './describe';
import { policyId, policySummary } from '../scenario/parsePolicy';

const contexts = new WeakMap<RealizedCluster, PolicyContext>();

export function clusterPolicyContext(c: RealizedCluster): PolicyContext {
  let ctx = contexts.get(c);
  if (!ctx) contexts.set(c, (ctx = policyContext(c.policies, c.namespaces)));
  return ctx;
}

export interface PodIsolation {
  /** Ids of the policies isolating the pod for ingress / egress; empty = not isolated in that direction. */
  ingress: string[];
  egress: string[];
  /** Every policy that selects the pod, summarised. */
  selectedBy: string[];
  /** Their rules, one line each, in words. */
  rules: string[];
}

export function podIsolation(c: RealizedCluster, pod: RealizedPod): PodIsolation {
  const e = podEndpoint(pod);
  if (c.policies.length === 0 || e.kind !== 'pod') return { ingress: [], egress: [], selectedBy: [], rules: [] };
  const ctx = clusterPolicyContext(c);
  const ingress = isolatingPolicies(ctx, e, 'Ingress');
  const egress = isolatingPolicies(ctx, e, 'Egress');
  const all = [...new Set([...ingress, ...egress])];
  return {
    ingress: ingress.map(policyId),
    egress: egress.map(policyId),
    selectedBy: all.map(policySummary),
    rules: all.flatMap(policyRuleLines),
  };
}
