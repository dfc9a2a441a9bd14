// A live edit keeps a Service's selected groups only while nothing its selector reads has changed.
import { describe, expect, it } from 'vitest';
import { history } from './liveHistory.testUtil';
import { packOf } from '../store/packedCluster';
import type { RealizedCluster } from '../api/types';

const cluster = (nodes: number) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: sel
networking: {podSubnet: 10.32.0.0/16, serviceSubnet: 10.96.0.0/12, nodeCIDRMaskSize: 24}
nodes:
${Array.from({ length: nodes }, (_, i) => `  - {role: ${i === 0 ? 'control-plane' : 'worker'}, taints: []}`).join('\n')}
`;
const deployment = (name: string, replicas = 2, label = name) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${label}}}
  template:
    metadata: {labels: {app: ${label}}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 8080}]}]}
`;
const service = (name: string, app = name) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {selector: {app: ${app}}, ports: [{port: 80, targetPort: 8080}]}
`;

/** The pods behind each default-namespace Service, by owner: "web" -> ["Deployment/web", ...]. */
const backends = (c: RealizedCluster) =>
  Object.fromEntries(
    c.services
      .filter((s) => s.namespace === 'default' && s.name !== 'kubernetes')
      .map((s) => [s.name, [...new Set(s.endpoints.map((e) => c.pods.find((p) => p.name === e.pod)!.owner))].sort()]),
  );
const groupsOf = (c: RealizedCluster, name: string) =>
  packOf(c)!.packed.services.find((s) => s.service.name === name)!.groups;

const base = deployment('web') + deployment('api') + service('web') + service('api');

describe('a live edit and the groups each Service selects', () => {
  it('adding nodes keeps every selection as it was (the same lists, not matched again)', () => {
    const [before, after] = history(cluster(3) + base, cluster(5) + base);
    expect(backends(after!)).toEqual({ web: ['Deployment/default/web'], api: ['Deployment/default/api'] });
    expect(groupsOf(after!, 'web')).toBe(groupsOf(before!, 'web'));
  });

  it('a Service whose selector changed selects again', () => {
    const [, after] = history(
      cluster(3) + base,
      cluster(3) + deployment('web') + deployment('api') + service('web', 'api') + service('api'),
    );
    expect(backends(after!)).toEqual({ web: ['Deployment/default/api'], api: ['Deployment/default/api'] });
  });

  it("a Deployment whose pods' labels changed leaves the Service that selected them", () => {
    const [, after] = history(
      cluster(3) + base,
      cluster(3) + deployment('web', 2, 'other') + deployment('api') + service('web') + service('api'),
    );
    expect(backends(after!)).toEqual({ web: [], api: ['Deployment/default/api'] });
  });

  it('a Deployment scaled to zero leaves no endpoints behind', () => {
    const [, after] = history(
      cluster(3) + base,
      cluster(3) + deployment('web', 0) + deployment('api') + service('web') + service('api'),
    );
    expect(backends(after!)).toEqual({ web: [], api: ['Deployment/default/api'] });
    expect(groupsOf(after!, 'web')).toEqual([]);
  });

  it('a Service added before the others: each keeps its own selection', () => {
    const [, after] = history(
      cluster(3) + base,
      cluster(3) + deployment('web') + deployment('api') + service('new', 'api') + service('web') + service('api'),
    );
    expect(backends(after!)).toEqual({
      new: ['Deployment/default/api'],
      web: ['Deployment/default/web'],
      api: ['Deployment/default/api'],
    });
  });
});
