// A kind dual-stack cluster (ipFamily dual, kind's default ranges) with a four-replica web Deployment, for tests.
import { parseScenario } from '../scenario/parse';
import type { Scenario } from '../api/types';

export function scenario(text: string): Scenario {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.document} ${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

export const dual = (networking = '', nodes = '[{role: control-plane}, {role: worker}, {role: worker}]', more = '') =>
  scenario(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  ipFamily: dual
${networking}
nodes: ${nodes}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
${more}`);
