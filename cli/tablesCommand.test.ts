import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.testUtil';

const run = (...argv: string[]) => runCli(argv);

const dir = mkdtempSync(join(tmpdir(), 'k8snet-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = 'public/scenarios/nodeport.yaml';

describe('k8snet tables / trace --tables', () => {
  it('writes iptables-save, ip-route and ip-addr per node; --node picks nodes', () => {
    const out = join(dir, 'one');
    const r = run('tables', scenario, '--node', 'nodeports-worker', '--out', out);
    expect(r.code).toBe(0);
    const save = readFileSync(join(out, 'nodeports-worker', 'iptables-save'), 'utf8');
    expect(save).toMatch(/^\*nat\n:PREROUTING ACCEPT \[0:0\]\n/);
    expect(save).toContain('\n*filter\n');
    expect(readFileSync(join(out, 'nodeports-worker', 'ip-route'), 'utf8')).toMatch(/^default via /);
    expect(readFileSync(join(out, 'nodeports-worker', 'ip-addr'), 'utf8')).toContain(' eth0    inet 172.18.0.3/16 ');
    expect(run('tables', scenario, '--node', 'nope', '--out', out)).toMatchObject({ code: 1 });
  });

  it('deleting the KUBE-SEP DNAT rule from the file changes the trace; an unreadable line is file:line: why, exit 1', () => {
    const out = join(dir, 'all');
    expect(run('tables', scenario, '--out', out).code).toBe(0);
    const q = ['--from', 'external', '--to', '172.18.0.3:30080', '--json'];
    const before = JSON.parse(run('trace', scenario, ...q, '--tables', out).out) as { hops: { action: string }[] };
    expect(JSON.parse(run('trace', scenario, ...q).out)).toEqual(before);
    expect(before.hops.map((h) => h.action)).toContain('dnat');
    const path = join(out, 'nodeports-worker', 'iptables-save');
    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      text
        .split('\n')
        .filter((l) => !/^-A KUBE-SEP-\S+ .*-j DNAT/.test(l))
        .join('\n'),
    );
    const after = JSON.parse(run('trace', scenario, ...q, '--tables', out).out) as { hops: { action: string }[] };
    expect(after.hops.map((h) => h.action)).not.toContain('dnat');
    writeFileSync(path, text.replace('-j KUBE-POSTROUTING', '-j KUBE-POSTROUTING --bogus'));
    const bad = run('trace', scenario, ...q, '--tables', out);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/nodeports-worker\/iptables-save:\d+: -j KUBE-POSTROUTING: option --bogus is not modelled/);
  });

  it('nftables mode: nft-ruleset is read back; deleting a service-ips element changes the trace; a stray line is file:line', () => {
    const nft = join(dir, 'nodeport-nft.yaml');
    writeFileSync(
      nft,
      readFileSync(scenario, 'utf8').replace(/^networking:$/m, 'networking:\n  kubeProxyMode: nftables'),
    );
    const out = join(dir, 'nft');
    expect(run('tables', nft, '--out', out).code).toBe(0);
    const path = join(out, 'nodeports-worker', 'nft-ruleset');
    const text = readFileSync(path, 'utf8');
    const q = ['--from', 'node/nodeports-worker', '--to', 'svc/default/frontend', '--json'];
    const before = JSON.parse(run('trace', nft, ...q, '--tables', out).out) as { verdict: string };
    expect(JSON.parse(run('trace', nft, ...q).out)).toEqual(before);
    expect(before.verdict).toBe('delivered');
    // kube-proxy's cluster-ips-check then rejects the ClusterIP the map no longer dispatches.
    // A middle element of the service-ips map: its own line, ending in a comma.
    const lines = text.split('\n');
    const at = lines.findIndex((l) =>
      /^\t+ +\S+ \. tcp \. 80 : goto service-\S+-default\/frontend\/tcp\/http,$/.test(l),
    );
    expect(at).toBeGreaterThan(0);
    writeFileSync(path, lines.filter((_, i) => i !== at).join('\n'));
    const after = JSON.parse(run('trace', nft, ...q, '--tables', out).out) as { verdict: string; reason: string };
    expect([after.verdict, after.reason]).toEqual(['unreachable', expect.stringContaining('cluster-ips-check')]);
    writeFileSync(path, text.replace('\tchain services {', '\tbogus services {'));
    const bad = run('trace', nft, ...q, '--tables', out);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /nodeports-worker\/nft-ruleset:\d+: "bogus services \{" is not a set, map or chain of the table/,
    );
  });
});
