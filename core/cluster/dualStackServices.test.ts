import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from './realize';

const DUAL =
  'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\nnodes: [{role: control-plane}, {role: worker}]\n';
const V4 = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: [{role: control-plane}, {role: worker}]\n';
const WEB = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
`;
const svc = (name: string, spec: string) =>
  `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n${spec}\n`;

const realized = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return realize(p.scenario);
};
const errorsOf = (text: string) => {
  const p = parseScenario(text);
  if (p.ok) throw new Error('expected errors');
  return p.errors.map((e) => `${e.path}: ${e.value}: ${e.message}`);
};

// pkg/registry/core/service/storage/alloc.go initIPFamilyFields (defaults on create) and
// pkg/apis/core/validation/validation.go ValidateServiceClusterIPsRelatedFields.
describe('dual-stack Services: ipFamilyPolicy and ipFamilies defaulted as the API server does', () => {
  const r = realized(
    DUAL +
      WEB +
      svc('single', '') +
      svc('prefer', '  ipFamilyPolicy: PreferDualStack') +
      svc('require', '  ipFamilyPolicy: RequireDualStack\n  clusterIPs: [10.96.0.50, "fd00:10:96::50"]') +
      svc('v4only', '  ipFamilies: [IPv4]\n  ipFamilyPolicy: PreferDualStack'),
  );
  const s = (name: string) => r.services.find((x) => x.name === name)!;

  it('no policy is SingleStack in the primary family: one ClusterIP', () => {
    expect(s('single').ipFamilyPolicy).toBe('SingleStack');
    expect(s('single').ipFamilies).toEqual(['IPv4']);
    expect(s('single').clusterIPs).toEqual([s('single').clusterIP]);
    expect(s('single').secondaryEndpoints).toBeUndefined();
  });

  it('PreferDualStack on a dual cluster gets the other family appended and an IPv6 ClusterIP from fd00:10:96::/112', () => {
    expect(s('prefer').ipFamilies).toEqual(['IPv4', 'IPv6']);
    const [v4, v6] = s('prefer').clusterIPs!;
    expect(v4).toBe(s('prefer').clusterIP);
    expect(v6).toMatch(/^fd00:10:96::[0-9a-f]{1,4}$/);
    // ipallocator bitmap.go: dynamic picks come from above the lower band (256 addresses for a /112).
    expect(parseInt(v6!.split('::')[1]!, 16)).toBeGreaterThan(256);
    expect(s('v4only').ipFamilies).toEqual(['IPv4', 'IPv6']);
  });

  it('requested clusterIPs are kept, primary first', () => {
    expect(s('require').clusterIPs).toEqual(['10.96.0.50', 'fd00:10:96::50']);
    expect(s('require').clusterIP).toBe('10.96.0.50');
  });

  it('lists an IPv6 EndpointSlice beside the IPv4 one: the same pods at their IPv6 addresses', () => {
    const v4 = s('prefer').endpoints;
    const v6 = s('prefer').secondaryEndpoints!;
    expect(v6).toHaveLength(3);
    expect(v6.every((e) => e.family === 'IPv6' && e.port === 8080)).toBe(true);
    const byPod = new Map(r.pods.map((p) => [p.name, p.ips]));
    for (const e of v6) expect(byPod.get(e.pod)![1]).toBe(e.ip);
    expect(new Set(v6.map((e) => e.pod))).toEqual(new Set(v4.map((e) => e.pod)));
  });

  it('kubernetes and kube-dns are SingleStack IPv4, as kind creates them (kubeadm manifests.go sets no ipFamilyPolicy)', () => {
    const k = r.services.find((x) => x.name === 'kubernetes')!;
    const dns = r.services.find((x) => x.name === 'kube-dns')!;
    expect([k.ipFamilyPolicy, k.ipFamilies, k.clusterIPs]).toEqual(['SingleStack', ['IPv4'], ['10.96.0.1']]);
    expect([dns.ipFamilyPolicy, dns.ipFamilies, dns.clusterIPs]).toEqual(['SingleStack', ['IPv4'], ['10.96.0.10']]);
  });

  it('headless without a selector defaults to RequireDualStack with both families', () => {
    const h = realized(
      `${DUAL}---\napiVersion: v1\nkind: Service\nmetadata: {name: h}\nspec:\n  clusterIP: None\n  ports: [{port: 80}]\n`,
    ).services.find((x) => x.name === 'h')!;
    expect([h.ipFamilyPolicy, h.ipFamilies, h.clusterIPs]).toEqual(['RequireDualStack', ['IPv4', 'IPv6'], ['None']]);
  });
});

describe('dual-stack Services: what the API server rejects', () => {
  it("RequireDualStack on a single-stack cluster: 'this cluster is not configured for dual-stack services'", () => {
    expect(errorsOf(V4 + svc('x', '  ipFamilyPolicy: RequireDualStack'))).toEqual([
      'spec.ipFamilyPolicy: RequireDualStack: this cluster is not configured for dual-stack services',
    ]);
    expect(errorsOf(V4 + svc('x', '  ipFamilies: [IPv6]'))).toEqual([
      'spec.ipFamilies[0]: IPv6: not configured on this cluster',
    ]);
    expect(errorsOf(V4 + svc('x', '  clusterIP: "fd00:10:96::5"'))[0]).toContain(
      'spec.clusterIPs[0]: ["fd00:10:96::5"]: IPv6 is not configured on this cluster',
    );
  });

  it('SingleStack with two IPs or families, mismatched families, duplicates, and clusterIP out of sync', () => {
    expect(errorsOf(DUAL + svc('x', '  clusterIPs: [10.96.0.50, "fd00:10:96::50"]'))).toEqual([
      `spec.ipFamilyPolicy: SingleStack: must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified`,
    ]);
    expect(errorsOf(DUAL + svc('x', '  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv4, IPv6]'))[0]).toContain(
      'when multiple IP families are specified',
    );
    expect(errorsOf(DUAL + svc('x', '  ipFamilies: [IPv4, IPv4]'))).toEqual([
      'spec.ipFamilies[1]: IPv4: Duplicate value',
    ]);
    expect(
      errorsOf(
        DUAL +
          svc(
            'x',
            '  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4, IPv6]\n  clusterIPs: [10.96.0.50, 10.96.0.51]',
          ),
      ),
    ).toContain('spec.clusterIPs: ["10.96.0.50","10.96.0.51"]: may specify no more than one IP for each IP family');
    expect(errorsOf(DUAL + svc('x', '  clusterIP: 10.96.0.50\n  clusterIPs: [10.96.0.51]'))).toEqual([
      'spec.clusterIPs: ["10.96.0.51"]: first value must match `clusterIP`',
    ]);
    expect(
      errorsOf(DUAL + svc('x', '  ipFamilyPolicy: PreferDualStack\n  clusterIPs: [10.96.0.50, "fd00:10:97::50"]'))[0],
    ).toContain(
      'spec.clusterIPs[1]: fd00:10:97::50: provided IP is not in the valid range. The range of valid IPs is fd00:10:96::/112',
    );
  });

  it('models a SingleStack IPv6 Service (ipFamilies [IPv6]) and an IPv6-first one ([IPv6, IPv4])', () => {
    const r = realized(DUAL + WEB + svc('six', '  ipFamilies: [IPv6]\n  type: NodePort'));
    const six = r.services.find((s) => s.name === 'six')!;
    // No IPv4 address at all: the IPv4 allocator skips it; its one EndpointSlice is IPv6 (the controller's per family).
    expect(six).toMatchObject({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'] });
    expect(six.clusterIP).toMatch(/^fd00:10:96::[0-9a-f]+$/);
    expect(six.clusterIPs).toEqual([six.clusterIP]);
    expect(six.endpoints.map((e) => e.family)).toEqual(['IPv6', 'IPv6', 'IPv6']);
    expect(six.secondaryEndpoints).toEqual(six.endpoints);
    // [IPv6, IPv4] in an IPv4-first cluster: clusterIP and endpoints are the IPv6 ones, the IPv4 ones second.
    const first6 = realized(DUAL + WEB + svc('x', '  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv6, IPv4]'));
    const x = first6.services.find((s) => s.name === 'x')!;
    expect(x.clusterIPs).toEqual([x.clusterIP, expect.stringMatching(/^10\.96\.\d+\.\d+$/)]);
    expect(x.clusterIP).toMatch(/^fd00:10:96::[0-9a-f]+$/);
    expect(x.endpoints.map((e) => [e.family, e.ip.includes(':')])).toEqual(Array(3).fill(['IPv6', true]));
    expect(x.secondaryEndpoints!.map((e) => [e.family, e.ip.includes(':')])).toEqual(Array(3).fill([undefined, false]));
  });
});
