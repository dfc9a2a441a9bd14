import { describe, expect, it } from 'vitest';
import { realize } from './realize';
import { diffClusters } from './diff';
import { dual } from './dualStack.testUtil';

// The diff the app's "Changed by the last edit" and `k8snet diff` word: an IPv6 change is a change of the pair.
describe('a dual-stack edit is diffed in both families', () => {
  const before = realize(dual());
  const after = realize(dual('  podSubnet: 10.244.0.0/16,fd00:10:245::/56'));
  const messages = diffClusters(before, after).map((c) => c.message);

  it('a new IPv6 podSubnet: the cluster, every node and every pod change in IPv6 only', () => {
    expect(messages).toContain('cluster: podCIDRs 10.244.0.0/16,fd00:10:244::/56 → 10.244.0.0/16,fd00:10:245::/56');
    expect(messages).toContain(
      'node kind-worker: PodCIDRs 10.244.1.0/24,fd00:10:244:1::/64 → 10.244.1.0/24,fd00:10:245:1::/64',
    );
    const web = after.pods.find((p) => p.node === 'kind-worker')!;
    expect(messages).toContain(
      `pod default/${web.name}: IPs ${web.ip},${web.ips![1]!.replace('fd00:10:245:', 'fd00:10:244:')} → ${web.ips!.join(',')}`,
    );
    // The IPv4 halves did not move: no line says an IPv4 address alone changed.
    expect(messages.filter((m) => / IP /.test(m) || / PodCIDR /.test(m))).toEqual([]);
  });

  it('the IPv6 ClusterIP of a PreferDualStack Service is compared too', () => {
    const svc = `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ipFamilyPolicy: PreferDualStack, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}`;
    const a = realize(dual('', undefined, svc));
    const b = realize(dual('  serviceSubnet: 10.96.0.0/16,fd00:10:97::/112', undefined, svc));
    const web = diffClusters(a, b).find((c) => c.ref === 'svc/default/web');
    expect(web?.message).toMatch(
      /^Service default\/web: ClusterIPs 10\.96\.[0-9.]+,fd00:10:96::[0-9a-f]+ → 10\.96\.[0-9.]+,fd00:10:97::[0-9a-f]+$/,
    );
  });

  it('an unchanged dual-stack cluster has no changes', () => {
    expect(diffClusters(before, realize(dual()))).toEqual([]);
  });
});
