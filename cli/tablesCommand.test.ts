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
    expect(readFileSync(join(out, 'nodeports-worker', 'nft-policy'), 'utf8')).toMatch(
      /^table inet kube-network-policies \{\n/,
    );
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

  it('nftables mode: nft-ruleset is written, required and read back; editing it changes the trace; a bad line is file:line: why', () => {
    const nft = join(dir, 'nft.yaml');
    writeFileSync(
      nft,
      readFileSync(scenario, 'utf8').replace(/^networking:$/m, 'networking:\n  kubeProxyMode: nftables'),
    );
    const out = join(dir, 'nft');
    expect(run('tables', nft, '--out', out).out).toContain(
      '/nodeports-worker/: iptables-save, ip-route, ip-addr, nft-policy, nft-ruleset',
    );
    const q = ['--from', 'external', '--to', '172.18.0.3:30080', '--json'];
    const actions = (r: { out: string }) =>
      (JSON.parse(r.out) as { hops: { action: string }[] }).hops.map((h) => h.action);
    expect(run('trace', nft, ...q, '--tables', out).out).toBe(run('trace', nft, ...q).out);
    expect(actions(run('trace', nft, ...q, '--tables', out))).toContain('snat');
    const path = join(out, 'nodeports-worker', 'nft-ruleset');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('\t\tmasquerade fully-random\n', ''));
    expect(actions(run('trace', nft, ...q, '--tables', out))).not.toContain('snat');
    writeFileSync(path, text.replace('\t\tjump masquerading\n', '\t\tjump masquerading now\n'));
    const bad = run('trace', nft, ...q, '--tables', out);
    expect(bad.code).toBe(1);
    const line = text.split('\n').indexOf('\t\tjump masquerading') + 1;
    expect(bad.err).toContain(
      `nodeports-worker/nft-ruleset:${line}: "now" is not an expression or statement this model reads`,
    );
    rmSync(path);
    expect(run('trace', nft, ...q, '--tables', out).err).toContain(
      "nodeports-worker/nft-ruleset: missing; the scenario is in nftables mode, so kube-proxy's rules are there (k8snet tables writes it)",
    );
    writeFileSync(path, text);
    const policy = join(out, 'nodeports-worker', 'nft-policy');
    const policyText = readFileSync(policy, 'utf8');
    writeFileSync(policy, policyText.replace('\t\tmeta skuid 0 accept\n', '\t\tmeta skuid 1 accept\n'));
    expect(run('trace', nft, ...q, '--tables', out).err).toMatch(
      /nodeports-worker\/nft-policy:\d+: "meta skuid 1 accept" is not a rule kube-network-policies writes/,
    );
    rmSync(policy);
    expect(run('trace', nft, ...q, '--tables', out).err).toContain(
      'nodeports-worker/nft-policy: missing (k8snet tables writes it)',
    );
    writeFileSync(policy, policyText);
    expect(run('trace', scenario, ...q, '--tables', out).err).toContain(
      "nft-ruleset: the scenario's kubeProxyMode is iptables, so kube-proxy writes no nft table and the trace would ignore it",
    );
  });
});
