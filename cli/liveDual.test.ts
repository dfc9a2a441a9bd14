// `k8snet diff` and `--from` on a dual-stack cluster: both families carried through the edit and shown.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.testUtil';
import { webDeployment } from '../core/scenario/webDeployment.testUtil';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-live-dual-'));
const file = (name: string, text: string) => {
  const p = join(dir, `${name}.yaml`);
  writeFileSync(p, text);
  return p;
};
const scenario = (workers: string[], replicas: number) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: dual}
nodes: [{role: control-plane, name: cp}${workers.map((w) => `, {role: worker, name: ${w}}`).join('')}]
${webDeployment(replicas, { port: false })}---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ipFamilyPolicy: PreferDualStack, selector: {app: web}, ports: [{port: 80}]}
`;
const before = file('before', scenario(['a'], 2));
const after = file('after', scenario(['a', 'b'], 3));

describe('a dual-stack cluster through k8snet diff', () => {
  it('adds a node with both PodCIDRs and a pod with both IPs; the running pods keep theirs; routes in both families', () => {
    const r = runCli(['diff', before, after]);
    expect(r.err).toBe('');
    expect(r.out).toContain('Nodes added (1)\n  b 172.18.0.4 PodCIDRs 10.244.2.0/24 fd00:10:244:2::/64\n');
    expect(r.out).toMatch(/Pods added \(1\)\n {2}default\/web-\S+ on b 10\.244\.2\.2 fd00:10:244:2::2\n/);
    expect(r.out).toContain('Pods replaced (0)');
    expect(r.out).toContain('default/web: gained 2 (10.244.2.2:80/TCP, [fd00:10:244:2::2]:80/TCP), lost 0');
    // Every other node routes to b's blocks: `ip route` and `ip -6 route` lines.
    expect(r.out).toContain('    + 10.244.2.0/24 via 172.18.0.4 dev eth0 \n');
    expect(r.out).toContain('    + fd00:10:244:2::/64 via fc00:f853:ccd:e793::4 dev eth0 metric 1024 pref medium\n');
    expect(r.out).not.toContain('LiveDualStackNotModelled');
  });

  it('realize AFTER --from BEFORE keeps both addresses of every running pod', () => {
    const ips = (args: string[]) => {
      const out = runCli(['realize', ...args, '--json']);
      expect(out.code).toBe(0);
      const c = JSON.parse(out.out) as { nodes: { name: string; pods: { name: string; ips: string[] }[] }[] };
      return c.nodes.flatMap((n) =>
        n.pods.filter((p) => p.name.startsWith('web-')).map((p) => `${p.name} ${n.name} ${p.ips.join(' ')}`),
      );
    };
    const was = ips([before]);
    const now = ips([after, '--from', before]);
    expect(now).toHaveLength(3);
    for (const p of was) expect(now).toContain(p);
  });
});
