// `k8snet lab` prints exactly labScript's text: the default prefix comes from
// the cluster name, --prefix and --teardown pass through, a bad prefix is a
// usage error (exit 2), never an internal one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from './main';
import { buildDataplane } from '../core/dataplane/dataplane';
import { DEFAULT_SCENARIO_YAML } from '../core/scenario/defaultScenario';
import { parseScenario } from '../core/scenario/parse';
import { realize } from '../core/cluster/realize';
import { labScript } from '../core/lab/script';

function run(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(`${a.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  try {
    return { code: main(argv), out: out.join(''), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'k8snet-lab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const defaultDp = () => {
  const p = parseScenario(DEFAULT_SCENARIO_YAML);
  if (!p.ok) throw new Error('the default scenario parses');
  return buildDataplane(realize(p.scenario));
};

describe('k8snet lab', () => {
  it("prints labScript's text for the default scenario, with the prefix k8snet-<cluster name>", () => {
    const dp = defaultDp();
    const r = run('lab');
    expect(r.code).toBe(0);
    expect(r.out).toBe(labScript(dp, { prefix: `k8snet-${dp.cluster.cluster.name}` }));
    expect(r.out.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(r.out).toContain('set -euo pipefail');
  });

  it('--prefix and --teardown pass through', () => {
    const dp = defaultDp();
    expect(run('lab', '--prefix', 'mylab').out).toBe(labScript(dp, { prefix: 'mylab' }));
    expect(run('lab', '--prefix', 'mylab', '--teardown').out).toBe(labScript(dp, { prefix: 'mylab', teardown: true }));
  });

  it('reads a scenario file', () => {
    const r = run('lab', join(__dirname, '../public/scenarios/vxlan.yaml'), '--prefix', 'vx');
    expect(r.code).toBe(0);
    expect(r.out).toContain('type vxlan id 1 dstport 8472');
  });

  it('writes an IPv6 single-stack scenario\'s lab (the "IPv6 only" example): IPv6 addresses, no IPv4 one', () => {
    const r = run('lab', join(__dirname, '../public/scenarios/ipv6.yaml'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('ip -n k8snet-ipv6.underlay -6 addr add fc00:f853:ccd:e793::1/64 dev br0 nodad');
    expect(r.out).toContain("ip netns exec k8snet-ipv6.node-ipv6-worker ip6tables-restore <<'RULES'");
    expect(r.out).not.toMatch(/^ip -n \S+ (addr|route) add /m);
  });

  it('a bad --prefix is a usage error', () => {
    const r = run('lab', '--prefix', 'Bad;Name');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--prefix/);
    expect(r.out).toBe('');
  });

  it('--help prints the usage', () => {
    const r = run('lab', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: k8snet lab/);
  });

  // A cluster name may contain dots (an RFC 1123 subdomain); the default prefix turns them into dashes.
  it('a cluster name with dots still gets a usable default prefix', () => {
    const p = file(
      'dotted.yaml',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: my.lab\nnodes:\n  - role: control-plane\n',
    );
    const r = run('lab', p);
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ip netns add k8snet-my-lab.underlay');
  });
});
