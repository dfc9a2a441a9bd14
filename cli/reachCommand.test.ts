import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from './args';
import { reachCommand, REACH_HELP } from './reachCommand';

const file = (f: string) => join(__dirname, '../public/scenarios', f);

function run(argv: string[]): string {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  reachCommand(argv);
  return out.join('\n');
}

describe('k8snet reach', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the policies and the matrix', () => {
    const text = run([file('policy-limit-to-workload.yaml')]);
    expect(text).toContain('default/db-from-api: pods app=db; Ingress (1 rule)');
    expect(text).toMatch(/default\/web\s+✓\s+✓\s+✗/);
  });

  it('-6 in an IPv6 single-stack cluster judges the pods at their (only) IPv6 addresses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8snet-reach6-'));
    const f = join(dir, 'six.yaml');
    writeFileSync(
      f,
      readFileSync(file('policy-limit-to-workload.yaml'), 'utf8').replace(
        'networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n',
        'networking:\n  ipFamily: ipv6\n',
      ),
    );
    try {
      const text = run([f, '-6']);
      expect(text).toMatch(/default\/web\s+✓\s+✓\s+✗/);
      expect(text).toMatch(/\(fd00:10:244:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without policies says everything is allowed', () => {
    expect(run([])).toContain('No NetworkPolicies');
  });

  it('--json gives the matrix as data', () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    reachCommand([file('policy-and-or-mistake.yaml'), '--json', '--port', '5432']);
    const m = JSON.parse(out.join('')) as { cells: { state: string }[][]; policies: unknown[] };
    expect(m.policies).toHaveLength(2);
    expect(m.cells.flat().some((c) => c.state === 'denied')).toBe(true);
  });

  it('rejects a bad port as a user error and a bad protocol as a usage error', () => {
    expect(() => reachCommand(['--port', '0'])).toThrow(CliError);
    expect(() => reachCommand(['--protocol', 'icmp'])).toThrow(/--protocol must be tcp, udp or sctp/);
    expect(run(['--help'])).toBe(REACH_HELP);
  });
});
