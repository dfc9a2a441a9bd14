// A kind dual-stack cluster in nftables mode, shared by the ip6 kube-proxy table's tests: a NodePort
// Service of both families, a ClientIP-affinity one with externalTrafficPolicy Local, one without
// endpoints, an IPv4-only one, and a policy selecting the web pods (for kube-network-policies' sets).
// Only the text: the dataplane layer may not import the scenario parser (the tests that use it do).

const service = (name: string, selector: string, spec: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${selector}}
  ports: [{port: 80, targetPort: 8080}]
${spec}
`;

export const DUAL_NFT_YAML = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: dual, kubeProxyMode: nftables}
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
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress: [{from: [{ipBlock: {cidr: "fd00:10:244::/56", except: ["fd00:10:244:2::/64"]}}]}]
${service('web', 'web', '  type: NodePort\n  ipFamilyPolicy: PreferDualStack')}${service(
  'sticky',
  'web',
  '  type: NodePort\n  ipFamilyPolicy: RequireDualStack\n  externalTrafficPolicy: Local\n  sessionAffinity: ClientIP',
)}${service('empty', 'none', '  ipFamilyPolicy: PreferDualStack')}${service('v4only', 'web', '')}`;
