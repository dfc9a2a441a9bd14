// The built-in default: the cluster from the talk "Networking Model in
// Kubernetes" — PodCIDR 10.32.0.0/14, two nodes routed host-gw style.
export const DEFAULT_SCENARIO_YAML = `# The cluster from the talk "Networking Model in Kubernetes".
# First document: the cluster, in kind's config format plus explorer fields.
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: talk
networking:
  podSubnet: 10.32.0.0/14       # every pod IP comes from here (--cluster-cidr): 10.32.0.0-10.35.255.255
  serviceSubnet: 10.96.0.0/12   # Service ClusterIPs (--service-cluster-ip-range)
  nodeCIDRMaskSize: 24          # each node gets one /24 of the PodCIDR (--node-cidr-mask-size)
  nodeSubnet: 10.10.0.0/16      # the underlay network the nodes' eth0 live in
  cni: host-gw                  # routes to other nodes' PodCIDRs go via their node IPs
  kubeProxyMode: iptables
nodes:
  - role: control-plane
    name: node-a
    ip: 10.10.0.1
    taints: []                  # untainted, so pods run on both nodes as in the talk
  - role: worker
    name: node-b
    ip: 10.10.1.1
---
# A Deployment keeps four identical pods running; the scheduler spreads them.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - name: http
              containerPort: 8080
---
# A Service: one stable virtual IP in front of the pods; kube-proxy swaps it for a pod IP.
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
