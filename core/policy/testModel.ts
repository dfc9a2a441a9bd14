// The upstream e2e model (test/e2e/network/netpol/model.go): namespaces x, y, z,
// pods a, b, c in each labelled pod=<name>, serving TCP 80 and 81 on named
// container ports serve-80-tcp and serve-81-tcp. Shared by the policy tests.
import type { NamespaceDecl } from '../api/types';
import { policyContext, type PodEndpoint, type PolicyContext } from './evaluate';
import { parseNetworkPolicies } from '../scenario/parsePolicy';

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;

export function modelPod(ns: string, name: string, index = 0): PodEndpoint {
  return {
    kind: 'pod',
    namespace: ns,
    name,
    labels: { pod: name },
    ip: `10.244.${NAMESPACES.indexOf(ns as 'x') + 1}.${index + 10}`,
    node: index % 2 === 0 ? 'worker' : 'worker2',
    ports: [
      { name: 'serve-80-tcp', containerPort: 80, protocol: 'TCP' },
      { name: 'serve-81-tcp', containerPort: 81, protocol: 'TCP' },
      { name: 'serve-80-udp', containerPort: 80, protocol: 'UDP' },
    ],
  };
}

export const ALL_PODS: PodEndpoint[] = NAMESPACES.flatMap((ns) => PODS.map((p, i) => modelPod(ns, p, i)));
export const pod = (id: string): PodEndpoint => ALL_PODS.find((p) => `${p.namespace}/${p.name}` === id)!;

/** A NetworkPolicy document as YAML would give it. */
export function np(namespace: string, name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** Parses documents (failing loudly on errors) into a context over the model's namespaces. */
export function contextOf(
  docs: unknown[],
  namespaces: NamespaceDecl[] = NAMESPACES.map((n) => ({ name: n, labels: { 'kubernetes.io/metadata.name': n } })),
): PolicyContext {
  const r = parseNetworkPolicies(docs);
  if (r.issues.length) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return policyContext(r.policies, namespaces);
}
