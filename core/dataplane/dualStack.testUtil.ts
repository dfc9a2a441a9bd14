// A kind dual-stack cluster for the IPv6 dataplane tests.

// Every rule shape the IPv6 proxier writes: ClusterIP, NodePort (Cluster and Local), ClientIP affinity (the
// recent mask), a Service without endpoints (REJECT with ICMPv6), and flannel's IPv6 masquerade.
export const DUAL_SCENARIO = (kubeProxyMode = 'iptables') => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: dual, kubeProxyMode: ${kubeProxyMode}}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  ipFamilyPolicy: PreferDualStack
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: sticky}
spec:
  ipFamilyPolicy: RequireDualStack
  sessionAffinity: ClientIP
  selector: {app: web}
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: local}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  ipFamilyPolicy: PreferDualStack
  selector: {app: web}
  ports: [{port: 81, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  type: NodePort
  ipFamilyPolicy: RequireDualStack
  selector: {app: nothing}
  ports: [{port: 82}]
`;
