// hostNetwork pods and their DNS, each expected value naming its upstream source:
// - kubelet pkg/kubelet/kubelet_pods.go generateAPIPodStatus: `if kubecontainer.IsHostNetworkPod(pod)
//   && s.PodIP == "" { s.PodIP = hostIPs[0].String() }` (the pod's IP is its node's);
// - kubelet pkg/kubelet/kuberuntime/kuberuntime_sandbox.go namespacesForPod (hostNetwork: network
//   NamespaceMode NODE) and containerd's RunPodSandbox, which sets up the CNI only for a pod that is not
//   hostNetwork: no veth, no PodCIDR address, the node's own stack (nat/filter OUTPUT, INPUT);
// - kubelet pkg/kubelet/network/dns/dns.go getPodDNSType: ClusterFirstWithHostNet -> podDNSCluster;
//   ClusterFirst on a hostNetwork pod "Fallback to DNSDefault for pod on hostnetwork" -> podDNSHost.
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { nodeDevices } from '../dataplane/devices';
import { parseScenario } from '../scenario/parse';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { realize } from '../cluster/realize';
import { podDnsType, podResolvConf } from '../cluster/resolvConf';
import { trace } from './trace';

const agent = (dns = '') => `${DEFAULT_SCENARIO_YAML}---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: monitoring}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true${dns}
      containers: [{name: a, image: node-exporter, ports: [{containerPort: 9100}]}]
---
apiVersion: v1
kind: Service
metadata: {name: agent, namespace: monitoring}
spec:
  selector: {app: agent}
  ports: [{port: 9100}]
`;
const dpOf = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return buildDataplane(realize(p.scenario));
};
const dp = dpOf(agent());
const agentOn = (d: typeof dp, node: string) =>
  d.cluster.pods.find((p) => p.name.startsWith('agent-') && p.node === node)!;
const nodeA = dp.cluster.nodes.find((n) => n.name === 'node-a')!;
const hostPod = agentOn(dp, 'node-a');
const webOnB = dp.cluster.pods.find((p) => p.owner === 'Deployment/default/web' && p.node === 'node-b')!;
const run = (d: typeof dp, from: string, to: string) => {
  const r = trace(d, { from, to });
  if (!r.ok) throw new Error(r.message);
  return r.result;
};

describe('a hostNetwork pod is its node on the network (kubelet_pods.go, kuberuntime_sandbox.go)', () => {
  it("has its node's IP, in realize and in the Service's endpoints", () => {
    expect(hostPod.ip).toBe(nodeA.ip);
    const svc = dp.cluster.services.find((s) => s.name === 'agent')!;
    expect(svc.endpoints.map((e) => e.ip).sort()).toEqual(['10.10.0.1', '10.10.1.1']);
  });

  it('has no veth on its node (the CNI never ran for it)', () => {
    const veths = nodeDevices(dp.cluster, nodeA).filter((d) => d.kind === 'veth');
    expect(veths.map((d) => d.peer)).not.toContain(`monitoring/${hostPod.name}`);
    expect(veths.length).toBe(nodeA.pods.filter((p) => !p.hostNetwork).length);
  });

  it("sends as the node: OUTPUT, then nat OUTPUT's DNAT; no veth, cni0 or PREROUTING hop", () => {
    const r = run(dp, `pod/monitoring/${hostPod.name}`, 'svc/default/web');
    expect(r.verdict).toBe('delivered');
    const [first, second] = r.hops;
    expect([first!.namespace, first!.device, first!.action, first!.src]).toEqual([
      'host',
      'OUTPUT',
      'send',
      '10.10.0.1:40000',
    ]);
    expect([second!.device, second!.action]).toEqual(['OUTPUT (nat)', 'dnat']);
    const devices = r.hops.filter((h) => h.node === 'node-a' && h.namespace === 'host').map((h) => h.device);
    expect(devices.some((d) => d.includes('veth') || d.startsWith('PREROUTING'))).toBe(false);
    // The reply is un-NATed back to the node's own address, delivered locally.
    expect(r.reply!.hops.at(-1)!.dst).toBe('10.10.0.1:40000');
  });

  it('traffic to it is delivered locally through INPUT to the pod; its reply leaves from OUTPUT', () => {
    const r = run(dp, `pod/default/${webOnB.name}`, `pod/monitoring/${hostPod.name}`);
    expect(r.reason).toBe(`delivered to hostNetwork pod monitoring/${hostPod.name} on node node-a at 10.10.0.1:9100`);
    const last = r.hops.at(-1)!;
    expect([last.node, last.namespace, last.device, last.action]).toEqual(['node-a', 'host', 'eth0', 'deliver']);
    expect(r.hops.some((h) => h.node === 'node-a' && h.device.includes('cni0'))).toBe(false);
    const first = r.reply!.hops[0]!;
    expect([first.node, first.namespace, first.device, first.src]).toEqual([
      'node-a',
      'host',
      'OUTPUT',
      '10.10.0.1:9100',
    ]);
  });

  it('through its Service: DNAT to the node IP, then INPUT on that node', () => {
    const r = run(dp, `pod/default/${webOnB.name}`, 'svc/monitoring/agent');
    const dnat = r.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.dstAfter).toMatch(/^10\.10\.[01]\.1:9100$/);
    expect(r.reason).toMatch(/^delivered to hostNetwork pod monitoring\/agent-/);
  });
});

describe('dnsPolicy on a hostNetwork pod (dns.go getPodDNSType)', () => {
  it("ClusterFirst falls back to Default: the node's resolv.conf, so a cluster name does not resolve", () => {
    expect(podDnsType(hostPod)).toBe('host');
    expect(podResolvConf(dp.cluster, hostPod)).toBeNull();
    const r = run(dp, `pod/monitoring/${hostPod.name}`, 'web.default.svc.cluster.local');
    expect(r.verdict).toBe('unreachable');
    expect(r.dns!.query.hops).toEqual([]);
    expect(r.reason).toContain('Fallback to DNSDefault for pod on hostnetwork');
    expect(r.reason).toContain('ClusterFirstWithHostNet');
  });

  it('ClusterFirstWithHostNet: the cluster DNS, asked from the node IP through nat OUTPUT', () => {
    const d = dpOf(agent('\n      dnsPolicy: ClusterFirstWithHostNet'));
    const pod = agentOn(d, 'node-a');
    expect(podDnsType(pod)).toBe('cluster');
    // GetPodDNS podDNSCluster: the cluster DNS is the only nameserver, the namespace's search path first.
    expect(podResolvConf(d.cluster, pod)!.text).toBe(
      `search monitoring.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${d.cluster.cluster.dnsIP}\noptions ndots:5\n`,
    );
    const r = run(d, `pod/monitoring/${pod.name}`, 'web.default.svc.cluster.local');
    expect(r.verdict).toBe('delivered');
    const q = r.dns!.query.hops;
    expect([q[0]!.device, q[0]!.src, q[0]!.dst]).toEqual([
      'OUTPUT',
      '10.10.0.1:40001',
      `${d.cluster.cluster.dnsIP}:53`,
    ]);
    expect(q[1]!.device).toBe('OUTPUT (nat)');
    // Its resolv.conf searches its namespace: "agent" is agent.monitoring.svc.cluster.local.
    expect(run(d, `pod/monitoring/${pod.name}`, 'agent').dns!.name).toBe('agent.monitoring.svc.cluster.local');
  });
});

describe('dnsPolicy and dnsConfig on any pod (dns.go GetPodDNS, appendDNSConfig)', () => {
  const bare = (spec: string) => `${DEFAULT_SCENARIO_YAML}---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default}
spec:
${spec}
  containers: [{name: c, image: busybox}]
`;
  it("Default: the node's file even without hostNetwork", () => {
    const d = dpOf(bare('  dnsPolicy: Default'));
    const pod = d.cluster.pods.find((p) => p.name === 'client')!;
    expect(podDnsType(pod)).toBe('host');
    expect(run(d, 'pod/default/client', 'web').verdict).toBe('unreachable');
  });

  it('None: only dnsConfig; ClusterFirst: dnsConfig appended, options merged by name', () => {
    const none = dpOf(
      bare(
        '  dnsPolicy: None\n  dnsConfig: {nameservers: [1.1.1.1], searches: [example.com], options: [{name: ndots, value: "2"}]}',
      ),
    );
    const p1 = none.cluster.pods.find((p) => p.name === 'client')!;
    expect(podResolvConf(none.cluster, p1)!.text).toBe('search example.com\nnameserver 1.1.1.1\noptions ndots:2\n');
    expect(run(none, 'pod/default/client', 'web.default.svc.cluster.local').reason).toContain(
      'names 1.1.1.1 as its first nameserver, not the cluster DNS',
    );
    const first = dpOf(
      bare('  dnsConfig: {nameservers: [1.1.1.1], options: [{name: ndots, value: "2"}, {name: edns0}]}'),
    );
    const p2 = first.cluster.pods.find((p) => p.name === 'client')!;
    const conf = podResolvConf(first.cluster, p2)!;
    expect(conf.nameservers).toEqual([first.cluster.cluster.dnsIP, '1.1.1.1']);
    expect(conf.options).toEqual(['ndots:2', 'edns0']);
  });

  it('the API server refuses None without nameservers, and an unknown policy (validatePodDNSConfig, validateDNSPolicy)', () => {
    const errs = (text: string) => {
      const p = parseScenario(text);
      return p.ok ? [] : p.errors.map((e) => `${e.path}: ${e.message}`);
    };
    expect(errs(bare('  dnsPolicy: None'))).toContain(
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    );
    expect(errs(bare('  dnsPolicy: None\n  dnsConfig: {searches: [a.b]}'))).toContain(
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    );
    expect(errs(bare('  dnsPolicy: ClusterFirstWithHostnet'))[0]).toMatch(/^spec\.dnsPolicy: supported values: /);
    expect(errs(bare('  dnsConfig: {nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 8.8.4.4]}'))).toContain(
      'spec.dnsConfig.nameservers: must not have more than 3 nameservers',
    );
  });
});
