// A dual-stack cluster whose ranges list IPv6 first (kind: podSubnet fd00:10:244::/56,10.244.0.0/16): IPv6 is the
// primary family, so every single-address field (status.podIP, spec.podCIDR, the InternalIP kubelet reports first,
// spec.clusterIP, cluster DNS) holds IPv6, and every list holds IPv6 then IPv4.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from './realize';
import { history } from './liveHistory.testUtil';
import { plan } from '../plan/plan';
import { webDeployment } from '../scenario/webDeployment.testUtil';
import type { Scenario } from '../api/types';

const CLUSTER = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: first6
networking:
  ipFamily: dual
  podSubnet: fd00:10:244::/56,10.244.0.0/16
  serviceSubnet: fd00:10:96::/112,10.96.0.0/16
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
`;
const svc = (name: string, families: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
${families}  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`;
const WEB = (replicas: number) =>
  webDeployment(replicas, { port: 'http' }) +
  svc('both', '  ipFamilyPolicy: PreferDualStack\n') +
  svc('plain', '') +
  svc('four', '  ipFamilies: [IPv4]\n');

function parsed(text: string): Scenario {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

describe('IPv6-first dual-stack: IPv6 is the primary family', () => {
  const r = realize(parsed(CLUSTER + WEB(3)));
  const service = (name: string) => r.services.find((s) => s.name === name)!;

  it('lists the cluster ranges IPv6 first and puts cluster DNS at the IPv6 range tenth address', () => {
    expect(r.cluster).toMatchObject({
      podCIDR: 'fd00:10:244::/56',
      serviceCIDR: 'fd00:10:96::/112',
      nodeSubnet: 'fc00:f853:ccd:e793::/64',
      dnsIP: 'fd00:10:96::a',
      podCIDRs: ['fd00:10:244::/56', '10.244.0.0/16'],
      serviceCIDRs: ['fd00:10:96::/112', '10.96.0.0/16'],
      nodeSubnets: ['fc00:f853:ccd:e793::/64', '172.18.0.0/16'],
    });
  });

  it('gives each node its PodCIDRs, cni0 gateways and InternalIPs IPv6 first', () => {
    expect(r.nodes[1]).toMatchObject({
      ip: 'fc00:f853:ccd:e793::3',
      podCIDR: 'fd00:10:244:1::/64',
      gateway: 'fd00:10:244:1::1',
      ips: ['fc00:f853:ccd:e793::3', '172.18.0.3'],
      podCIDRs: ['fd00:10:244:1::/64', '10.244.1.0/24'],
      gateways: ['fd00:10:244:1::1', '10.244.1.1'],
    });
  });

  it('gives each pod both addresses, IPv6 (status.podIP) first; hostNetwork pods the node addresses', () => {
    const web = r.pods.filter((p) => p.name.startsWith('web-'));
    expect(web.map((p) => p.ips)).toEqual([
      ['fd00:10:244:1::2', '10.244.1.2'],
      ['fd00:10:244:2::2', '10.244.2.2'],
      ['fd00:10:244:1::3', '10.244.1.3'],
    ]);
    expect(web.every((p) => p.ip === p.ips![0])).toBe(true);
  });

  it('defaults Services to the primary family: SingleStack IPv6, PreferDualStack [IPv6, IPv4]', () => {
    expect(service('kubernetes')).toMatchObject({ clusterIP: 'fd00:10:96::1', ipFamilies: ['IPv6'] });
    expect(service('kubernetes').endpoints).toMatchObject([
      { ip: 'fc00:f853:ccd:e793::2', port: 6443, family: 'IPv6' },
    ]);
    expect(service('kube-dns')).toMatchObject({ clusterIP: 'fd00:10:96::a', clusterIPs: ['fd00:10:96::a'] });
    expect(service('plain')).toMatchObject({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] });
    const both = service('both');
    expect(both.ipFamilies).toEqual(['IPv6', 'IPv4']);
    expect(both.clusterIPs).toEqual([both.clusterIP, expect.stringMatching(/^10\.96\./)]);
    expect(both.endpoints.map((e) => e.ip)).toEqual(['fd00:10:244:1::2', 'fd00:10:244:1::3', 'fd00:10:244:2::2']);
    expect(both.secondaryEndpoints!.map((e) => e.ip)).toEqual(['10.244.1.2', '10.244.1.3', '10.244.2.2']);
    // An IPv4 SingleStack Service still gets its IPv4 ClusterIP and IPv4 EndpointSlice.
    const four = service('four');
    expect([four.clusterIP, four.clusterIPs]).toEqual([expect.stringMatching(/^10\.96\./), [four.clusterIP]]);
    expect(four.endpoints.map((e) => e.ip)).toEqual(['10.244.1.2', '10.244.1.3', '10.244.2.2']);
  });

  it("counts each family's ClusterIPs against its own range in the plan", () => {
    const limits = plan(parsed(CLUSTER + WEB(3)), r).limits;
    const used = (id: string) => limits.find((l) => l.id === id)!.used;
    // IPv4: both and four; IPv6: kubernetes, kube-dns, both and plain.
    expect([used('services'), used('servicesIPv6')]).toEqual([2, 4]);
  });

  it('keeps a running pod on its node with both its addresses through a live edit', () => {
    const more = CLUSTER.replace(']\n', ', {role: worker}]\n') + WEB(5);
    const [before, after] = history(CLUSTER + WEB(3), more);
    const where = (c: typeof before) => new Map(c!.pods.map((p) => [p.name, `${p.node} ${p.ips!.join(' ')}`]));
    const now = where(after);
    for (const [name, at] of where(before)) expect(now.get(name)).toBe(at);
    expect(after!.nodes[3]).toMatchObject({ podCIDRs: ['fd00:10:244:3::/64', '10.244.3.0/24'] });
    const kept = (c: typeof before) => c!.services.map((s) => s.clusterIPs?.join(' '));
    expect(kept(after)).toEqual(kept(before));
  });
});
