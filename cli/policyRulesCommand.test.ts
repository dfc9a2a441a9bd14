import { describe, expect, it } from 'vitest';
import { runCli } from './runCli.testUtil';

const run = (...argv: string[]) => runCli(argv, '');

describe('k8snet policy-rules', () => {
  it("prints kube-network-policies' table: podips-v4 holds the node's pods a policy selects (pkg/dataplane/controller_test.go's shape)", () => {
    const r = run('policy-rules', 'public/scenarios/policy-deny-egress-except-dns.yaml', '--node', 'egress-worker');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 4)).toEqual([
      'table inet kube-network-policies {',
      '\tset podips-v4 {',
      '\t\ttype ipv4_addr',
      expect.stringMatching(/^\t\telements = \{ 10\.244\.1\.\d+(, 10\.244\.1\.\d+)* \}$/),
    ]);
    expect(r.out).toContain('\t\ttype filter hook postrouting priority srcnat - 5; policy accept;\n');
    expect(r.out).toContain('\t\tip saddr @podips-v4 queue to 100\n');
  });

  it('a node with no selected pods has an empty podips-v4; an unknown node is named', () => {
    const r = run('policy-rules', '--node', 'node-a');
    expect(r.code).toBe(0);
    expect(r.out).toContain('\tset podips-v4 {\n\t\ttype ipv4_addr\n\t}\n');
    const bad = run('policy-rules', '--node', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--node: no node "nope" (nodes: node-a, node-b)');
  });
});
