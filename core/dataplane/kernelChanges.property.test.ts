// kernelChanges() prints only what an edit can change; the oracle prints every table whole. They must agree on
// every edit: nodes added and removed, Deployments scaled and their image changed (a rolling update), Services
// added, removed and changed (type, NodePort, traffic policies, affinity), in both proxy modes, IPv4, IPv6 or both.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildDataplane } from './dataplane';
import { kernelChanges } from './kernelChanges';
import { oracleKernelChanges } from './kernelChanges.oracle.testUtil';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { liveStateOf } from '../cluster/liveState';
import type { RealizedCluster } from '../api/types';

interface App {
  replicas: number;
  image: string;
  service: null | { nodePort: number | null; etp: 'Cluster' | 'Local'; itp: 'Cluster' | 'Local'; affinity: boolean };
}
interface Spec {
  workers: number;
  apps: App[];
}
interface Cluster {
  mode: 'iptables' | 'nftables';
  family: 'ipv4' | 'dual' | 'ipv6';
  cni: 'host-gw' | 'vxlan';
}

function scenario(c: Cluster, s: Spec): string {
  const docs = [
    `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {kubeProxyMode: ${c.mode}, cni: ${c.cni}, ipFamily: ${c.family}}
nodes: [{role: control-plane}${', {role: worker}'.repeat(s.workers)}]`,
  ];
  s.apps.forEach((a, i) => {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}}
spec:
  replicas: ${a.replicas}
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}}}
    spec: {containers: [{name: c, image: ${a.image}, ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]}]}`);
    const svc = a.service;
    if (!svc) return;
    // Each app's NodePort one of two of its own (an edit may move it).
    const nodePort = svc.nodePort === null ? '' : `, nodePort: ${30080 + 10 * i + svc.nodePort}`;
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: app-${i}}
spec:
  type: ${svc.nodePort === null ? 'ClusterIP' : 'NodePort'}
  ${svc.nodePort === null ? '' : `externalTrafficPolicy: ${svc.etp}`}
  internalTrafficPolicy: ${svc.itp}
  ${c.family === 'dual' ? 'ipFamilyPolicy: PreferDualStack' : ''}
  ${svc.affinity ? 'sessionAffinity: ClientIP' : ''}
  selector: {app: app-${i}}
  ports: [{name: http, port: 80, targetPort: http${nodePort}}, {name: metrics, port: 9090, targetPort: metrics}]`);
  });
  return docs.join('\n---\n');
}

const parsed = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(`${p.errors[0]!.message}\n${text}`);
  return p.scenario;
};

/** The fast comparison and the oracle's, from the live cluster `before` to `after` applied to it. */
export function bothWays(before: RealizedCluster, afterText: string) {
  const after = realize(parsed(afterText), liveStateOf(before));
  const [b, a] = [buildDataplane(before), buildDataplane(after)];
  return { fast: kernelChanges(b, a), oracle: oracleKernelChanges(buildDataplane(before), buildDataplane(after)) };
}

const app: fc.Arbitrary<App> = fc.record({
  replicas: fc.integer({ min: 0, max: 5 }),
  image: fc.constantFrom('nginx', 'nginx:1.27'),
  service: fc.option(
    fc.record({
      nodePort: fc.option(fc.constantFrom(0, 1), { nil: null }),
      etp: fc.constantFrom('Cluster' as const, 'Local' as const),
      itp: fc.constantFrom('Cluster' as const, 'Cluster' as const, 'Local' as const),
      affinity: fc.boolean(),
    }),
    { nil: null },
  ),
});
const spec: fc.Arbitrary<Spec> = fc.record({
  workers: fc.integer({ min: 1, max: 4 }),
  apps: fc.array(app, { minLength: 3, maxLength: 3 }),
});
const cluster: fc.Arbitrary<Cluster> = fc.record({
  mode: fc.constantFrom('iptables' as const, 'nftables' as const),
  family: fc.constantFrom('ipv4' as const, 'dual' as const, 'ipv6' as const),
  cni: fc.constantFrom('host-gw' as const, 'vxlan' as const),
});
/** An edit: some of the second spec's parts (node count, each app) over the first. */
const mix = (a: Spec, b: Spec, take: boolean[]): Spec => ({
  workers: take[0] ? b.workers : a.workers,
  apps: a.apps.map((x, i) => (take[i + 1] ? b.apps[i]! : x)),
});

describe('kernelChanges', () => {
  it('says what printing every table whole says, for any edit of any cluster', () => {
    fc.assert(
      fc.property(
        cluster,
        spec,
        spec,
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (c, s1, s2, take, modeChange) => {
          const before = realize(parsed(scenario(c, s1)));
          const other: Cluster = modeChange ? { ...c, mode: c.mode === 'nftables' ? 'iptables' : 'nftables' } : c;
          const { fast, oracle } = bothWays(before, scenario(other, mix(s1, s2, take)));
          expect(fast).toEqual(oracle);
        },
      ),
      { numRuns: 80 },
    );
  });
});
