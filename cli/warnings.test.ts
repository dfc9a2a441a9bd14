// Every warning core computes reaches the command line: realize and plan print the same list, text and JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from './main';

function run(...argv: string[]): string {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  try {
    expect(main(argv)).toBe(0);
    return out.join('\n');
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'k8snet-warn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = join(dir, 'warn.yaml');
writeFileSync(
  scenario,
  `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {podSubnet: 10.244.7.0/16}
nodes: [{role: control-plane, podCIRD: 10.244.0.0/24}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: open}
spec:
  podSelector: {}
  ingress: [{}]
`,
);

const EXPECTED = [
  'document 1 (Cluster): networking.podSubnet: "10.244.7.0/16" has host bits set; using 10.244.0.0/16',
  'document 1 (Cluster): nodes[0].podCIRD: unknown field, ignored (did you mean podCIDR?)',
  'document 2 (NetworkPolicy default/open): spec.ingress[0]: an empty rule allows everything',
];

describe('warnings from parsing are shown', () => {
  it.each(['realize', 'plan'])('%s prints the host-bits, misspelt-field and allow-everything warnings', (cmd) => {
    const out = run(cmd, scenario);
    for (const w of EXPECTED) expect(out).toContain(`[ScenarioWarning] ${w}`);
  });

  it.each(['realize', 'plan'])('%s --json lists them under warnings', (cmd) => {
    const j = JSON.parse(run(cmd, scenario, '--json')) as { warnings: { code: string; message: string }[] };
    const messages = j.warnings.filter((w) => w.code === 'ScenarioWarning').map((w) => w.message);
    expect(messages).toHaveLength(3);
    EXPECTED.forEach((w, i) => expect(messages[i]).toContain(w));
  });

  it('plan says "No warnings." when there are none', () => {
    expect(run('plan')).toMatch(/\nNo warnings\.$/);
  });
});
