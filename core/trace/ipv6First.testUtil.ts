// The IPv6-first dual-stack cluster (kind: podSubnet fd00:10:244::/56,10.244.0.0/16) the ipv6First tests trace in:
// two web pods (first6-worker and first6-worker2), a client pod on first6-worker2, a PreferDualStack NodePort
// Service, SingleStack ones of each family (six: the default, IPv6; four: IPv4) and a headless PreferDualStack one.
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane, type Dataplane } from '../dataplane/dataplane';
import { webDeployment } from '../scenario/webDeployment.testUtil';
import { trace, type TraceRequest } from './trace';
import type { TraceResult } from './types';

const scenario = (cni: string, mode: string, lastWorker: string) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: first6
networking:
  ipFamily: dual
  podSubnet: fd00:10:244::/56,10.244.0.0/16
  serviceSubnet: fd00:10:96::/112,10.96.0.0/16
  cni: ${cni}
  kubeProxyMode: ${mode}
nodes: [{role: control-plane}, {role: worker}, ${lastWorker}]
${webDeployment(2, { port: 'http' })}---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: first6-worker2, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Service
metadata: {name: both}
spec:
  type: NodePort
  ipFamilyPolicy: PreferDualStack
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: heads}
spec:
  clusterIP: None
  ipFamilyPolicy: PreferDualStack
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: four}
spec:
  ipFamilies: [IPv4]
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: six}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`;

/** `lastWorker`: the third node's entry in kind's nodes list (first6-worker2). */
export function ipv6FirstCluster(cni = 'host-gw', mode = 'iptables', lastWorker = '{role: worker}'): Dataplane {
  const p = parseScenario(scenario(cni, mode, lastWorker));
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
}
/** The trace's result; a refused request throws. */
export function run(dp: Dataplane, req: TraceRequest): TraceResult {
  const r = trace(dp, req);
  if (!r.ok) throw new Error(r.message);
  return r.result;
}
