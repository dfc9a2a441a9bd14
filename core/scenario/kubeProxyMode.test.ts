import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';

const CLUSTER = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n';

describe('networking.kubeProxyMode', () => {
  it('refuses ipvs with the reason: kind accepts it (v1alpha4 ProxyMode iptables | ipvs | nftables | none), this explorer does not model IPVS', () => {
    const r = parseScenario(`${CLUSTER}networking: {kubeProxyMode: ipvs}`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0]!;
    expect(e.document).toBe('document 1 (Cluster)');
    expect(e.path).toBe('networking.kubeProxyMode');
    expect(e.value).toBe('ipvs');
    expect(e.message).toContain('does not model IPVS');
    expect(e.message).toContain('iptables and nftables');
  });

  it("accepts the modes modelled: iptables (kube-proxy's default on Linux) and nftables (GA in v1.33)", () => {
    for (const mode of ['iptables', 'nftables'] as const) {
      const r = parseScenario(`${CLUSTER}networking: {kubeProxyMode: ${mode}}`);
      expect(r.ok && r.scenario.cluster.kubeProxyMode).toBe(mode);
    }
  });

  it('names the supported values for anything else', () => {
    const r = parseScenario(`${CLUSTER}networking: {kubeProxyMode: userspace}`);
    expect(!r.ok && r.errors.map((e) => e.message)).toEqual(['supported values: "iptables", "nftables"']);
  });
});
