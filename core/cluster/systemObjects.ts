// The objects every kind/kubeadm cluster has before the user applies anything.
import type { ServiceDecl, WorkloadDecl } from '../api/types';

/** kubeadm's CoreDNS Deployment (cmd/kubeadm/app/phases/addons/dns/manifests.go): 2 replicas, k8s-app=kube-dns. */
export const COREDNS: WorkloadDecl = {
  kind: 'Deployment',
  namespace: 'kube-system',
  name: 'coredns',
  replicas: 2,
  selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
  template: {
    labels: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
    ],
    tolerations: [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ],
    hostNetwork: false,
  },
};

/** kubeadm's kube-dns Service: same three ports, ClusterIP = the service range's tenth address. */
export const KUBE_DNS: ServiceDecl = {
  namespace: 'kube-system',
  name: 'kube-dns',
  type: 'ClusterIP',
  selector: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
    { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
    { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
  ],
  externalTrafficPolicy: 'Cluster',
  internalTrafficPolicy: 'Cluster',
  sessionAffinity: 'None',
};

/** The API server's own Service: https 443 -> 6443 on each control-plane node, no selector. */
export const KUBERNETES: ServiceDecl = {
  namespace: 'default',
  name: 'kubernetes',
  type: 'ClusterIP',
  ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
  externalTrafficPolicy: 'Cluster',
  internalTrafficPolicy: 'Cluster',
  sessionAffinity: 'None',
};

/** kube-apiserver's --secure-port as kind and kubeadm set it. */
export const APISERVER_PORT = 6443;

export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' } as const;
export const NOT_READY_TAINT = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' } as const;
