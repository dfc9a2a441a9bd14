// The command line over a dual-stack cluster in nftables mode: `nftables` prints both kube-proxy tables,
// `tables` writes them into nft-ruleset as `nft list ruleset` would, and `reach -6` judges IPv6 connections.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DUAL_NFT_YAML } from '../core/dataplane/dualStackNft.testUtil';
import { dumpedKernel } from '../core/dataplane/dumpedKernel';
import { runCli } from './runCli.testUtil';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-nft6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DUAL = join(dir, 'dual.yaml');
writeFileSync(DUAL, DUAL_NFT_YAML);

describe('k8snet over a dual-stack cluster in nftables mode', () => {
  it('nftables --node prints table ip kube-proxy, then table ip6 kube-proxy', () => {
    const r = runCli(['nftables', DUAL, '--node', 'kind-worker'], '');
    expect(r.code).toBe(0);
    const tables = r.out.split('\n').filter((l) => l.startsWith('table '));
    expect(tables).toEqual(['table ip kube-proxy {', 'table ip6 kube-proxy {']);
    expect(r.out).toContain('\t\tip6 daddr fd00:10:96::/112 drop comment "Drop traffic to unallocated ClusterIPs"\n');
    expect(r.out).toContain('\t\telements = { fc00:f853:ccd:e793::3 }\n');
  });

  it('tables --out writes both tables into nft-ruleset, and the dumps read back with the IPv6 table', () => {
    const out = join(dir, 'tables');
    expect(runCli(['tables', DUAL, '--node', 'kind-worker', '--out', out]).code).toBe(0);
    const read = (f: string) => ({ text: readFileSync(join(out, 'kind-worker', f), 'utf8'), document: f });
    const ruleset = read('nft-ruleset');
    expect(ruleset.text).toContain('}\ntable ip6 kube-proxy {\n');
    const k = dumpedKernel('kind-worker', {
      iptablesSave: read('iptables-save'),
      ipRoute: read('ip-route'),
      ipAddr: read('ip-addr'),
      nftRuleset: ruleset,
      nftPolicy: read('nft-policy'),
    });
    if (!k.ok) throw new Error(JSON.stringify(k.error));
    expect(k.kernel.nft!()!.family).toBe('ip');
    expect(k.kernel.nft6!()!.family).toBe('ip6');
    expect(k.kernel.nft6!()!.sets.find((s) => s.name === 'nodeport-ips')!.elements).toEqual(['fc00:f853:ccd:e793::3']);
    expect(k.kernel.enforcer!()!.podIps6.length).toBe(2);
  });

  it('reach -6 judges pods at their IPv6 addresses; a single-stack cluster has none', () => {
    const six = runCli(['reach', DUAL, '-6', '--system', '--ascii']);
    const four = runCli(['reach', DUAL, '--system', '--ascii']);
    expect(six.code).toBe(0);
    // web-ingress admits fd00:10:244::/56 (except kind-worker2's /64) and no IPv4 source.
    const toWeb = (out: string) =>
      out
        .split('\n')
        .find((l) => l.startsWith('kube-system/coredns'))!
        .trim()
        .split(/\s+/)
        .at(-1);
    expect(six.out).toMatch(/default\/web:8080\n/);
    expect(toWeb(six.out)).toBe('yes');
    expect(toWeb(four.out)).toBe('no');
    const single = runCli(['reach', 'public/scenarios/policy-deny-all-ingress.yaml', '-6']);
    expect(single.code).toBe(1);
    expect(single.err).toContain(
      '-6: this cluster is single-stack (IPv4): set networking.ipFamily: dual for IPv6 connections',
    );
  });
});
