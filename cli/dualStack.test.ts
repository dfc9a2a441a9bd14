import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.testUtil';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-dual-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// A kind dual-stack config as kind's docs give it (networking.ipFamily: dual, kind's default ranges).
const DUAL = file(
  'dual.yaml',
  `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  ipFamily: dual
nodes: [{role: control-plane}, {role: worker}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ipFamilyPolicy: PreferDualStack
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`,
);

describe('k8snet realize on a kind dual-stack config', () => {
  it('prints both PodCIDRs per node and both IPs per pod, the IPv6 one after the primary', () => {
    const { code, out } = runCli(['realize', DUAL]);
    expect(code).toBe(0);
    expect(out).toContain('Cluster kind (dual-stack: IPv4 primary, then IPv6)');
    expect(out).toMatch(
      /fd00:10:244::\/56 \(fd00:10:244::–fd00:10:244:ff:ffff:ffff:ffff:ffff, 4,722,366,482,869,645,213,696 addresses\)/,
    );
    expect(out).toMatch(
      /kind-worker +worker +172\.18\.0\.3,fc00:f853:ccd:e793::3 +10\.244\.1\.0\/24,fd00:10:244:1::\/64 +10\.244\.1\.1,fd00:10:244:1::1 /,
    );
    expect(out).toMatch(/coredns-\S+ +10\.244\.0\.2,fd00:10:244::2 +kind-control-plane/);
    expect(out).toMatch(/default +web +ClusterIP +10\.96\.\d+\.\d+,fd00:10:96::[0-9a-f]+ /);
    expect(out).toContain('No warnings.');
  });

  it('JSON adds podCIDRs, pods[].ips, clusterIPs and each endpoint family, keeping the old fields as the primary', () => {
    const { out } = runCli(['realize', DUAL, '--json']);
    const j = JSON.parse(out) as {
      cluster: { podCIDR: string; podCIDRs: string[] };
      nodes: { podCIDR: string; podCIDRs: string[]; pods: { ip: string; ips: string[] }[] }[];
      services: {
        name: string;
        clusterIP: string;
        clusterIPs: string[];
        endpoints: { ip: string; family: string }[];
        secondaryEndpoints?: { ip: string; family: string }[];
      }[];
    };
    expect(j.cluster.podCIDR).toBe('10.244.0.0/16');
    expect(j.cluster.podCIDRs).toEqual(['10.244.0.0/16', 'fd00:10:244::/56']);
    expect(j.nodes[1]!.podCIDR).toBe('10.244.1.0/24');
    expect(j.nodes[1]!.podCIDRs).toEqual(['10.244.1.0/24', 'fd00:10:244:1::/64']);
    for (const p of j.nodes.flatMap((n) => n.pods)) {
      expect(p.ips[0]).toBe(p.ip);
      expect(p.ips[1]).toMatch(/^fd00:10:244:/);
    }
    const web = j.services.find((s) => s.name === 'web')!;
    expect(web.clusterIPs[0]).toBe(web.clusterIP);
    expect(web.clusterIPs[1]).toMatch(/^fd00:10:96::/);
    expect(web.endpoints.map((e) => e.family)).toEqual(['IPv4', 'IPv4']);
    expect(web.secondaryEndpoints!.map((e) => e.family)).toEqual(['IPv6', 'IPv6']);
    expect(j.services.find((s) => s.name === 'kube-dns')!.clusterIPs).toEqual(['10.96.0.10']);
  });

  it('plan shows the IPv6 half and what breaks first across both families', () => {
    const small = file(
      'small.yaml',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n  podSubnet: 10.244.0.0/16,fd00:10:244::/108\n  nodeCIDRMaskSizeIPv6: 110\nnodes: [{role: control-plane}, {role: worker}, {role: worker}, {role: worker}, {role: worker}]\n',
    );
    const { code, out } = runCli(['plan', small]);
    expect(code).toBe(0);
    expect(out).toContain('IPv6 PodCIDR fd00:10:244::/108: /110 per node, 262,142 for pods');
    expect(out).toMatch(/nodes with an IPv6 PodCIDR +5 +4 +125%/);
    expect(out).toContain('Breaks first: nodes with an IPv6 PodCIDR are exhausted: 5 wanted, 4 possible');
  });

  it('realizes an IPv6-first config with IPv6 primary everywhere, and names serviceSubnet when only podSubnet was swapped', () => {
    const net =
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n  podSubnet: fd00:10:244::/56,10.244.0.0/16\n';
    const v6 = file('v6first.yaml', `${net}  serviceSubnet: fd00:10:96::/112,10.96.0.0/16\n`);
    const { code, out } = runCli(['realize', v6]);
    expect(code).toBe(0);
    expect(out).toContain('Cluster kind (dual-stack: IPv6 primary, then IPv4)');
    expect(out).toContain('cluster DNS fd00:10:96::a');
    expect(out).toContain('node mask /64 (IPv4 /24)');
    // kind orders kubelet's --node-ip by the primary service family; kube-controller-manager's podCIDRs by cluster-cidr.
    expect(out).toMatch(
      /kind-control-plane\s+control-plane\s+fc00:f853:ccd:e793::2,172\.18\.0\.2\s+fd00:10:244::\/64,10\.244\.0\.0\/24/,
    );
    expect(out).toMatch(/kubernetes\s+ClusterIP\s+fd00:10:96::1\s+443\/TCP\s+\[fc00:f853:ccd:e793::2\]:6443/);
    const json = JSON.parse(runCli(['realize', v6, '--json']).out);
    const coredns = json.nodes[0].pods.find((p: { name: string }) => p.name.startsWith('coredns'));
    expect([coredns.ip, coredns.ips]).toEqual(['fd00:10:244::2', ['fd00:10:244::2', '10.244.0.2']]);
    const half = runCli(['realize', file('half.yaml', net)]);
    expect(half.code).toBe(1);
    expect(half.err).toMatch(
      /document 1 \(Cluster\): networking\.serviceSubnet: .*serviceSubnet: fd00:10:96::\/112,10\.96\.0\.0\/16\)/,
    );
  });

  it('trace takes an IPv6 literal as an IPv6 trace and still traces the IPv4 one', () => {
    const six = runCli(['trace', DUAL, '--from', 'node/kind-control-plane', '--to', '[fd00:10:244:1::2]:8080']);
    expect(six.code).toBe(0);
    expect(six.out).toContain('DELIVERED: delivered to pod default/');
    expect(six.out).toContain('at [fd00:10:244:1::2]:8080');
    const four = runCli(['trace', DUAL, '--from', 'node/kind-worker', '--to', '10.244.1.2:8080']);
    expect(four.code).toBe(0);
  });

  it('routes -6 prints the node IPv6 table as ip -6 route does, and refuses a single-stack cluster', () => {
    const six = runCli(['routes', DUAL, '--node', 'kind-worker', '-6'], '');
    expect(six.code).toBe(0);
    expect(six.out).toContain('fd00:10:244::/64 via fc00:f853:ccd:e793::2 dev eth0 metric 1024 pref medium\n');
    const v4 = runCli(['routes', '--node', 'node-a', '--ipv6']);
    expect(v4.code).toBe(1);
    expect(v4.err).toContain('-6: this cluster is single-stack (IPv4)');
  });

  it('routes -4 and -6 pick a family, refuse both at once and -4 on an IPv6 single-stack cluster', () => {
    const both = runCli(['routes', DUAL, '--node', 'kind-worker', '-4', '-6']);
    expect([both.code, both.err]).toEqual([2, expect.stringContaining('-4 and -6 together')]);
    const four = runCli(['routes', DUAL, '--node', 'kind-worker', '-4']);
    expect(four.out).toBe(runCli(['routes', DUAL, '--node', 'kind-worker']).out);
    expect(four.out).toContain('10.244.0.0/24 via 172.18.0.2 dev eth0');
    const six = runCli(['routes', 'public/scenarios/ipv6.yaml', '--node', 'six-worker', '-4']);
    expect([six.code, six.err]).toEqual([1, expect.stringContaining('-4: this cluster is IPv6 single-stack')]);
  });
});
