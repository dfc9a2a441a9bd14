// kube-proxy's nftables mode, traced through the node's own table (kube-proxy v1.33
// pkg/proxy/nftables/proxier.go): each expected value names the rule upstream writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { renderNftTable } from '../dataplane/kubeProxyNftables';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';

const nodeportNft = (() => {
  const text = readFileSync(join(__dirname, '../../public/scenarios/nodeport.yaml'), 'utf8');
  const p = parseScenario(text.replace(/^networking:$/m, 'networking:\n  kubeProxyMode: nftables'));
  if (!p.ok) throw new Error(p.errors.map((e) => e.message).join('; '));
  return buildDataplane(realize(p.scenario));
})();
const pod = nodeportNft.cluster.pods.find(
  (p) => p.owner === 'Deployment/default/frontend' && p.node === 'nodeports-worker',
)!;
const run = (from: string, to: string) => {
  const r = trace(nodeportNft, { from, to });
  if (!r.ok) throw new Error(r.message);
  return r.result;
};

describe('nftables mode: --nodeport-addresses primary (setupNFTables: set nodeport-ips, "ip daddr @nodeport-ips")', () => {
  it("the table holds the node's primary IP in nodeport-ips and dispatches NodePorts on it, not on every local address", () => {
    const text = renderNftTable(nodeportNft.node('nodeports-worker')!.nft!);
    expect(text).toContain(
      '\tset nodeport-ips {\n\t\ttype ipv4_addr\n\t\tcomment "IPs that accept NodePort traffic"\n\t\telements = { 172.18.0.3 }\n\t}',
    );
    expect(text).toContain('\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports\n');
    expect(text).toContain('\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports\n');
    expect(text).not.toContain('fib daddr type local ip daddr != 127.0.0.0/8');
  });

  it('a NodePort on the node IP is DNATed, citing the set element and the map element that matched', () => {
    const r = run('external', '172.18.0.3:30080');
    const dnat = r.hops.find((h) => h.action === 'dnat')!;
    expect(dnat.rule!.split('\n').slice(0, 3)).toEqual([
      'services: ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports',
      'set nodeport-ips: 172.18.0.3',
      expect.stringMatching(
        /^map service-nodeports: tcp \. 30080 : goto external-[A-Z2-7]{8}-default\/frontend\/tcp\/http$/,
      ),
    ]);
    const snat = r.hops.find((h) => h.action === 'snat')!;
    expect(snat.rule).toBe('masquerading: masquerade fully-random');
    // proxier.go's masquerading chain says "masquerade fully-random" (nf_nat's RANDOM_FULLY): a new source
    // port, as --random-fully gives in iptables mode; the number is illustrative, and conntrack's reply uses it.
    const port = snat.srcAfter.split(':')[1]!;
    expect(Number(port)).not.toBe(40000);
    expect(snat.explain).toContain('illustrative');
    expect(r.conntrack[0]).toContain(`dport=${port} [ASSURED]`);
  });

  it("a NodePort sent to the node's cni0 address is not DNATed: the node's own stack refuses it", () => {
    const r = run(`pod/default/${pod.name}`, '10.244.1.1:30080');
    expect(r.hops.some((h) => h.action === 'dnat')).toBe(false);
    expect(r.verdict).toBe('unreachable');
    expect(r.reason).toMatch(/^10\.244\.1\.1 is not in @nodeport-ips \{ 172\.18\.0\.3 \}/);
  });

  it('nftables mode refuses localhost NodePorts ("localhost NodePorts are not supported"; no route_localnet)', () => {
    const r = run('node/nodeports-worker', '127.0.0.1:30080');
    expect(r.hops.some((h) => h.action === 'dnat')).toBe(false);
    expect(r.verdict).toBe('unreachable');
    expect(r.reason).toContain('nftables mode never accepts localhost NodePorts');
    expect(r.reason).not.toContain('gateway');
  });
});

describe('nftables mode: cluster-ips-check (filter-forward and filter-output-post-dnat)', () => {
  const svc = nodeportNft.cluster.services.find((s) => s.name === 'frontend')!;
  it('a ClusterIP on a port the Service lacks is rejected: "ip daddr @cluster-ips reject"', () => {
    const r = run(`pod/default/${pod.name}`, `${svc.clusterIP}:81`);
    const last = r.hops.at(-1)!;
    expect([r.verdict, last.action, last.device]).toEqual(['unreachable', 'reject', 'FORWARD (filter)']);
    expect(last.rule).toBe(
      `cluster-ips-check: ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"\nset cluster-ips: ${svc.clusterIP}`,
    );
  });

  it('an unallocated address in the Service range is dropped: "ip daddr { serviceCIDRs } drop"', () => {
    const r = run(`pod/default/${pod.name}`, '10.100.0.99:80');
    const last = r.hops.at(-1)!;
    expect([r.verdict, last.action]).toEqual(['dropped', 'drop']);
    expect(last.rule).toBe(
      'cluster-ips-check: ip daddr 10.96.0.0/12 drop comment "Drop traffic to unallocated ClusterIPs"',
    );
  });

  it("the node's own packet to an invalid ClusterIP port is rejected after DNAT (filter-output-post-dnat)", () => {
    const r = run('node/nodeports-worker', `${svc.clusterIP}:81`);
    expect([r.verdict, r.hops.at(-1)!.device]).toEqual(['unreachable', 'OUTPUT (filter, after DNAT)']);
  });
});

describe('nftables mode: the trace follows the table, not the Service objects', () => {
  it('externalTrafficPolicy Local without a local endpoint: the external chain returns and no-endpoint-nodeports drops it', () => {
    const r = run('external', '172.18.0.5:30478');
    const last = r.hops.at(-1)!;
    expect([r.verdict, last.device]).toEqual(['dropped', 'INPUT (filter)']);
    expect(last.rule).toContain('map no-endpoint-nodeports: tcp . 30478 comment "default/frontend-local:http" : drop');
  });

  it('emptying the service-ips map on the client node turns a delivered ClusterIP trace into a cluster-ips-check reject', () => {
    const svc = nodeportNft.cluster.services.find((s) => s.name === 'frontend')!;
    const before = run(`pod/default/${pod.name}`, `svc/default/frontend`);
    expect(before.verdict).toBe('delivered');
    const dp = buildDataplane(nodeportNft.cluster);
    const t = dp.node('nodeports-worker')!.nft!;
    const map = t.maps.find((m) => m.name === 'service-ips')!;
    map.elements = map.elements.filter((e) => !e.startsWith(`${svc.clusterIP} `));
    const r = trace(dp, { from: `pod/default/${pod.name}`, to: 'svc/default/frontend' });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.verdict).toBe('unreachable');
    expect(r.result.hops.at(-1)!.rule).toContain('cluster-ips-check: ip daddr @cluster-ips reject');
  });
});
