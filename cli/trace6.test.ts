import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.testUtil';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-trace6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DUAL = join(dir, 'dual.yaml');
writeFileSync(
  DUAL,
  `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: dual}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: kind-worker, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: server}
spec: {nodeName: kind-worker2, containers: [{name: s, image: nginx, ports: [{containerPort: 8080}]}]}
`,
);

describe('k8snet trace -6', () => {
  it('traces pod → pod over IPv6, printing [addr]:port and the ip -6 route lines that decided', () => {
    const r = runCli(['trace', DUAL, '-6', '--from', 'pod/default/client', '--to', 'pod/default/server']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 4)).toEqual([
      'pod/default/client → pod/default/server (TCP)',
      ' 1. [kind-worker · pod default/client · eth0] SEND  [fd00:10:244:1::2]:40000 → [fd00:10:244:2::2]:8080',
      "    The pod's route sends the packet to its gateway fd00:10:244:1::1 (cni0 on kind-worker) through its eth0.",
      '      fd00:10:244::/56 via fd00:10:244:1::1 dev eth0 metric 1024 pref medium',
    ]);
    expect(r.out).toContain('      fd00:10:244:2::/64 via fc00:f853:ccd:e793::4 dev eth0 metric 1024 pref medium\n');
    expect(r.out).toContain('  => DELIVERED: delivered to pod default/server at [fd00:10:244:2::2]:8080\n');
    expect(r.out).toContain('  => DELIVERED: the reply reaches [fd00:10:244:1::2]:40000');
    const json = JSON.parse(
      runCli(['trace', DUAL, '--ipv6', '--from', 'pod/default/client', '--to', 'pod/default/server', '--json']).out,
    );
    expect(json.hops[0]).toMatchObject({ src: '[fd00:10:244:1::2]:40000', dst: '[fd00:10:244:2::2]:8080' });
  });

  it('without -6 the same refs trace IPv4, the primary family', () => {
    const r = runCli(['trace', DUAL, '--from', 'pod/default/client', '--to', 'pod/default/server']);
    expect(r.out).toContain('  => DELIVERED: delivered to pod default/server at 10.244.2.2:8080\n');
  });

  it('exits 1 naming the field when -6 meets an IPv4 literal or a single-stack cluster', () => {
    const four = runCli(['trace', DUAL, '-6', '--from', 'pod/default/client', '--to', '10.244.2.2:8080']);
    expect(four.code).toBe(1);
    expect(four.err).toContain('--to: "10.244.2.2:8080" is an IPv4 address, but the trace is over IPv6 (-6)');
    const single = runCli(['trace', '-6', '--from', 'node/node-a', '--to', 'node/node-b']);
    expect(single.code).toBe(1);
    expect(single.err).toContain('IPv6: this cluster is single-stack (IPv4); set networking.ipFamily: dual');
  });

  it("routes --pod -6 prints the pod's IPv6 table as ip -6 route does in its namespace", () => {
    const r = runCli(['routes', DUAL, '--pod', 'default/client', '-6']);
    expect(r.code).toBe(0);
    // Checked in a network namespace: the pod's /64 (a child of the /56 in the kernel's tree) is listed first.
    expect(r.out).toBe(
      [
        'fd00:10:244:1::/64 dev eth0 proto kernel metric 256 pref medium',
        'fd00:10:244::/56 via fd00:10:244:1::1 dev eth0 metric 1024 pref medium',
        'fe80::/64 dev eth0 proto kernel metric 256 pref medium',
        'default via fd00:10:244:1::1 dev eth0 metric 1024 pref medium',
        '',
      ].join('\n'),
    );
  });

  it("devices --node lists each pod's IPv6 link: eth0's address and link-local one, the host veth's link-local", () => {
    const r = runCli(['devices', DUAL, '--node', 'kind-worker']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /\ndefault\/client +fd00:10:244:1::2\/64 fe80::[0-9a-f:]+\/64 +veth[0-9a-f]{8} fe80::[0-9a-f:]+\/64$/m,
    );
  });
});
