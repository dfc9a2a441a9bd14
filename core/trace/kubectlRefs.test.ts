// Trace refs as kubectl users type them (issue: a bare pod name when unique, NS/NAME, a Service's short name).
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';

const YAML = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes: [{role: control-plane}, {role: worker}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: twin, namespace: shop}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: twin, namespace: default}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}
`;

const p = parseScenario(YAML);
if (!p.ok) throw new Error(p.errors[0]!.message);
const dp = buildDataplane(realize(p.scenario));
const first = (from: string, to: string) => {
  const r = trace(dp, { from, to });
  if (!r.ok) return r.message;
  return `${r.result.hops[0]!.namespace} -> ${r.result.verdict}: ${r.result.reason}`;
};

describe('refs as kubectl users type them', () => {
  it('a bare pod name finds the one pod of that name, whatever its namespace', () => {
    expect(first('client', 'shop/api')).toMatch(/^pod shop\/client -> delivered: .*pod shop\/api-/);
  });

  it('NAMESPACE/NAME is a pod, else a Service', () => {
    expect(first('shop/client', 'shop/twin')).toMatch(/^pod shop\/client -> delivered: delivered to pod shop\/twin /);
    const r = trace(dp, { from: 'shop/client', to: 'shop/api' });
    expect(r.ok && r.result.hops.some((h) => h.action === 'dnat')).toBe(true);
  });

  it('a Service short name is looked up through the client pod’s search path (its own namespace first)', () => {
    const r = trace(dp, { from: 'client', to: 'api' });
    expect(r.ok && r.result.dns?.name).toBe('api.shop.svc.cluster.local');
  });

  it('a bare name two namespaces share is refused, naming them', () => {
    expect(first('twin', 'client')).toBe(
      '--from: "twin" names a pod in 2 namespaces (shop, default): write NAMESPACE/twin',
    );
  });

  it('a bare node name is the node', () => {
    expect(first('kind-worker', 'client')).toMatch(/^host -> delivered/);
  });

  it('a name nothing has is still an error that says what a ref can be', () => {
    expect(first('nobody', 'client')).toMatch(/^--from: "nobody" is not a pod\/NS\/NAME/);
  });
});
