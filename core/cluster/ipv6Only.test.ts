// kind's ipFamily: ipv6: every range, node, pod and Service is IPv6, and the dataplane and the tracer run IPv6 only.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDocuments, parseScenario } from '../scenario/parse';
import { generateDocuments } from '../scenario/generate';
import { realize } from './realize';
import { history } from './liveHistory.testUtil';
import { buildDataplane } from '../dataplane/dataplane';
import { nodeRoutes6, renderRouteTable6 } from '../dataplane/routes6';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from '../dataplane/ip6tables';
import { trace } from '../trace/trace';
import { plan } from '../plan/plan';
import { policyEnforcerTable } from '../policy/enforcer';
import { labRefusal, labScript } from '../lab/script';
import type { Scenario } from '../api/types';
import { webDeployment } from '../scenario/webDeployment.testUtil';

const CLUSTER = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: six
networking: {ipFamily: ipv6}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
`;
const WEB = (replicas: number) => `${webDeployment(replicas, { port: 'http' })}---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: NodePort, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
`;

function parsed(text: string): Scenario {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}
const errorsOf = (text: string) => {
  const r = parseScenario(text);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('ipFamily ipv6: parsing as kind, kube-controller-manager and the API server do', () => {
  it("takes kind's IPv6 defaults (SetDefaultsCluster) and the /64 node mask; no IPv4 range is left", () => {
    const s = parsed(CLUSTER);
    expect(s.cluster.podSubnet).toBeUndefined();
    expect(s.cluster.serviceSubnet).toBeUndefined();
    expect(s.cluster.nodeCIDRMaskSize).toBe(64);
    const r = realize(s);
    expect(r.cluster).toMatchObject({
      ipFamily: 'ipv6',
      podCIDR: 'fd00:10:244::/56',
      serviceCIDR: 'fd00:10:96::/112',
      podCIDRs: ['fd00:10:244::/56'],
      serviceCIDRs: ['fd00:10:96::/112'],
      dnsIP: 'fd00:10:96::a',
      nodeSubnet: 'fc00:f853:ccd:e793::/64',
    });
  });

  it('refuses an IPv4 range, a Service asking for IPv4, and both node-mask flags (setNodeCIDRMaskSizes)', () => {
    expect(errorsOf(CLUSTER.replace('{ipFamily: ipv6}', '{ipFamily: ipv6, podSubnet: 10.244.0.0/16}'))).toEqual([
      expect.stringMatching(/^networking\.podSubnet: expected IPv6 CIDR for IPv6 family/),
    ]);
    const both = CLUSTER.replace(
      '{ipFamily: ipv6}',
      '{ipFamily: ipv6, nodeCIDRMaskSize: 64, nodeCIDRMaskSizeIPv6: 80}',
    );
    expect(errorsOf(both)[0]).toMatch(/not allowed if --node-cidr-mask-size is set/);
    const v4 = `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {clusterIP: 10.96.0.20, ports: [{port: 80}]}\n`;
    expect(errorsOf(v4)).toEqual([
      expect.stringMatching(/^spec\.clusterIPs\[0\]: IPv4 is not configured on this cluster/),
    ]);
    const req = `${CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ipFamilyPolicy: RequireDualStack, ports: [{port: 80}]}\n`;
    expect(errorsOf(req)).toEqual([expect.stringMatching(/not configured for dual-stack services/)]);
  });

  it('uses the plain node mask as the IPv6 one (its "main reference" in single-stack IPv6)', () => {
    const net = (more: string) =>
      CLUSTER.replace('{ipFamily: ipv6}', `{ipFamily: ipv6, podSubnet: fd00:10:244::/112, ${more}}`);
    const r = realize(parsed(net('nodeCIDRMaskSize: 120')));
    expect(r.nodes.map((n) => n.podCIDR)).toEqual([
      'fd00:10:244::/120',
      'fd00:10:244::100/120',
      'fd00:10:244::200/120',
    ]);
    expect(errorsOf(net('nodeCIDRMaskSize: 64'))).toEqual([
      expect.stringMatching(/^networking\.nodeCIDRMaskSize: node CIDR mask size \/64 is larger than the cluster CIDR/),
    ]);
    expect(r.warnings.map((w) => w.code)).not.toContain('PodCIDRSmallerThanMaxPods');
  });
});

describe('ipFamily ipv6: nodes, pods and Services hold IPv6 in their primary fields', () => {
  const r = realize(parsed(CLUSTER + WEB(4)));

  it("cuts one /64 per node in order and numbers the nodes on kind's IPv6 network after its gateway", () => {
    expect(r.nodes.map((n) => [n.ip, n.podCIDR, n.gateway])).toEqual([
      ['fc00:f853:ccd:e793::2', 'fd00:10:244::/64', 'fd00:10:244::1'],
      ['fc00:f853:ccd:e793::3', 'fd00:10:244:1::/64', 'fd00:10:244:1::1'],
      ['fc00:f853:ccd:e793::4', 'fd00:10:244:2::/64', 'fd00:10:244:2::1'],
    ]);
    for (const n of r.nodes) expect([n.ips, n.podCIDRs, n.gateways]).toEqual([[n.ip], [n.podCIDR], [n.gateway]]);
  });

  it("gives each pod the next address of its node's /64 after cni0's ::1; status.podIPs is that one address", () => {
    const worker = r.nodes.find((n) => n.name === 'six-worker')!;
    expect(worker.pods.map((p) => p.ip)).toEqual(['fd00:10:244:1::2', 'fd00:10:244:1::3']);
    for (const p of r.pods) expect(p.ips).toEqual([p.ip]);
  });

  it('gives kubernetes ::1 and kube-dns ::a of the range (kubeadm), and lists IPv6 endpoints in one slice', () => {
    const svc = (name: string) => r.services.find((s) => s.name === name)!;
    expect(svc('kubernetes').clusterIP).toBe('fd00:10:96::1');
    expect(svc('kubernetes').endpoints.map((e) => [e.ip, e.family])).toEqual([['fc00:f853:ccd:e793::2', 'IPv6']]);
    expect(svc('kube-dns').clusterIP).toBe('fd00:10:96::a');
    const web = svc('web');
    expect(web).toMatchObject({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'], clusterIPs: [web.clusterIP] });
    expect(web.clusterIP).toMatch(/^fd00:10:96::/);
    expect(web.endpoints.every((e) => e.family === 'IPv6' && e.ip.startsWith('fd00:10:244:'))).toBe(true);
    expect(web.secondaryEndpoints).toEqual(web.endpoints);
  });
});

describe('ipFamily ipv6: the node kernels and the tracer are IPv6 only', () => {
  const r = realize(parsed(CLUSTER + WEB(3)));
  const dp = buildDataplane(r);
  const worker = r.nodes.find((n) => n.name === 'six-worker')!;

  it('has no IPv4 route or kube-proxy rule, and routes each peer /64 via its node (host-gw)', () => {
    expect(dp.node(worker.name)!.routes).toEqual([]);
    expect(dp.services.rules).toEqual([]);
    const table = renderRouteTable6(nodeRoutes6(r, worker)!);
    expect(table).toContain('fd00:10:244::/64 via fc00:f853:ccd:e793::2 dev eth0 metric 1024 pref medium');
    expect(table).toContain('fd00:10:244:1::/64 dev cni0 proto kernel metric 256 pref medium');
  });

  it("writes ip6tables DNAT rules to the pods' IPv6 addresses", () => {
    const t = nodeIp6tables(r, buildServiceRules6(r)!, worker)!;
    const nat = renderIp6tablesSave([t.nat]);
    expect(nat).toMatch(/-j DNAT --to-destination \[fd00:10:244:\d::\d\]:8080/);
    expect(nat).toContain('-d fd00:10:96::a/128');
  });

  it("traces pod -> Service as IPv6 by default: DNAT to a pod's IPv6 address, un-DNAT on the reply", () => {
    const from = worker.pods[0]!;
    const out = trace(dp, { from: `pod/default/${from.name}`, to: 'svc/default/web' });
    if (!out.ok) throw new Error(out.message);
    const dnat = out.result.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.dst).toBe(`[${r.services.find((s) => s.name === 'web')!.clusterIP}]:80`);
    expect(dnat.dstAfter).toMatch(/^\[fd00:10:244:\d::\d\]:8080$/);
    expect(out.result.verdict).toBe('delivered');
    expect(out.result.reply?.hops.some((h) => h.action === 'un-nat')).toBe(true);
  });

  it('refuses an IPv4 trace with the reason', () => {
    const out = trace(dp, { from: `pod/default/${worker.pods[0]!.name}`, to: '10.96.0.1:443' });
    expect(out.ok ? '' : out.message).toMatch(/IPv6 single-stack .* no pod, node or Service has an IPv4 address/);
  });

  it('plans the IPv6 ranges: 256 node /64s in the /56, the address count exact', () => {
    const p = plan(parsed(CLUSTER + WEB(3)), r);
    expect(p.limits.find((l) => l.id === 'nodes')).toMatchObject({ used: 3, capacity: 256 });
    expect(p.ipv6?.podCIDRAddresses).toBe('4,722,366,482,869,645,213,696');
    expect(p.podsPerNode.limitedBy).toBe('maxPods');
  });
});

describe('ipFamily ipv6: NetworkPolicy and the lab', () => {
  const POLICY = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
`;
  it("puts the selected pods' IPv6 addresses in podips-v6 only (kube-network-policies)", () => {
    const r = realize(parsed(CLUSTER + WEB(2) + POLICY));
    const worker = r.nodes.find((n) => n.name === 'six-worker')!;
    const t = policyEnforcerTable(r, worker.name);
    expect(t.podIps).toEqual([]);
    expect(t.podIps6).toEqual(worker.pods.filter((p) => p.name.startsWith('web-')).map((p) => p.ip));
    expect(t.podIps6.length).toBeGreaterThan(0);
  });

  it('writes the lab script with IPv6 commands only: -6 addresses on every node and pod, no IPv4 address or rule', () => {
    for (const cni of ['host-gw', 'vxlan']) {
      const r = realize(parsed(CLUSTER.replace('ipFamily: ipv6', `ipFamily: ipv6, cni: ${cni}`) + WEB(2)));
      expect(labRefusal(r)).toBeUndefined();
      const script = labScript(buildDataplane(r), { prefix: 'six' });
      const lines = script.split('\n');
      for (const n of r.nodes)
        expect(script).toContain(`ip -n six.node-${n.name} -6 addr add ${n.ip}/64 dev eth0 nodad`);
      for (const p of r.nodes.flatMap((n) => n.pods).filter((x) => !x.hostNetwork))
        expect(script).toContain(`ip -n six.pod-${p.namespace}.${p.name} -6 addr add ${p.ip}/64 dev eth0 nodad`);
      expect(script).toContain('ip -n six.underlay -6 addr add fc00:f853:ccd:e793::1/64 dev br0 nodad');
      // No IPv4 address, route, forwarding switch or rule set anywhere; cni0 is still made, flannel-v6.1 under VXLAN.
      expect(lines.filter((l) => /^ip -n \S+ (addr|route) add /.test(l))).toEqual([]);
      expect(script).not.toMatch(/net\.ipv4\.|iptables-restore <<|flannel\.1|table ip kube-proxy/);
      expect(lines.filter((l) => / link add cni0 type bridge$/.test(l))).toHaveLength(r.nodes.length);
      expect(lines.filter((l) => / ip6tables-restore <<'RULES'$/.test(l))).toHaveLength(r.nodes.length);
      expect(lines.filter((l) => / link add flannel-v6\.1 type vxlan /.test(l))).toHaveLength(
        cni === 'vxlan' ? r.nodes.length : 0,
      );
    }
  });
});

describe('ipFamily ipv6 as a live cluster', () => {
  it('keeps running pods on their node with their IPv6 address when a node is added and the Deployment scaled', () => {
    const [before, after] = history(CLUSTER + WEB(3), CLUSTER.replace(']\n', ', {role: worker}]\n') + WEB(5));
    const ip = (c: typeof before) => new Map(c!.pods.map((p) => [p.name, `${p.node} ${p.ip}`]));
    const was = ip(before);
    const now = ip(after);
    for (const [name, at] of was) expect(now.get(name)).toBe(at);
    expect(after!.nodes[3]).toMatchObject({ name: 'six-worker3', podCIDR: 'fd00:10:244:3::/64' });
    expect(after!.pods.filter((p) => p.name.startsWith('web-'))).toHaveLength(5);
  });
});

describe('the ipv6 example and generator', () => {
  it('generates an IPv6-only cluster (--ip-family ipv6): a /64 per node from fd00:10::/48', () => {
    const p = parseDocuments(generateDocuments({ nodes: 3, podsPerNode: 2, podsPerService: 2, ipFamily: 'ipv6' }));
    if (!p.ok) throw new Error(p.errors[0]!.message);
    const r = realize(p.scenario);
    expect(r.nodes.map((n) => n.podCIDR)).toEqual(['fd00:10::/64', 'fd00:10:0:1::/64', 'fd00:10:0:2::/64']);
    expect(r.pods.every((p) => p.ip?.startsWith('fd00:10:'))).toBe(true);
    expect(r.warnings.filter((w) => w.code !== 'ScenarioWarning')).toEqual([]);
  });

  it('realizes with no warning', () => {
    const r = realize(parsed(readFileSync('public/scenarios/ipv6.yaml', 'utf8')));
    expect(r.warnings).toEqual([]);
    expect(r.cluster.ipFamily).toBe('ipv6');
  });
});
