import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from './defaultScenario';
import { parseScenario } from './parse';
import { realize } from '../cluster/realize';

const dir = join(__dirname, '../../public/scenarios');

describe('public/scenarios', () => {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { file: string; title: string }[];

  it('index.json lists every scenario file and nothing else', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(index.map((e) => e.file).sort()).toEqual(files);
  });

  for (const e of index) {
    it(`${e.file} parses without errors or warnings`, () => {
      const r = parseScenario(readFileSync(join(dir, e.file), 'utf8'));
      expect(r.ok ? [] : r.errors).toEqual([]);
      expect(r.ok && r.scenario.warnings).toEqual([]);
    });
  }

  it('talk-10-32.yaml is the built-in default', () => {
    expect(readFileSync(join(dir, 'talk-10-32.yaml'), 'utf8')).toBe(DEFAULT_SCENARIO_YAML);
  });

  it('exhausted.yaml leaves node-c without a PodCIDR', () => {
    const r = parseScenario(readFileSync(join(dir, 'exhausted.yaml'), 'utf8'));
    if (!r.ok) throw new Error('must parse');
    const c = realize(r.scenario);
    expect(c.nodes.map((n) => n.podCIDR)).toEqual(['10.32.0.0/24', '10.32.1.0/24', null]);
    expect(c.warnings.find((w) => w.code === 'CIDRNotAvailable')?.message).toContain('node node-c');
  });

  it('nodeport.yaml keeps the requested NodePort 30080 and allocates the other in the dynamic band', () => {
    const r = parseScenario(readFileSync(join(dir, 'nodeport.yaml'), 'utf8'));
    if (!r.ok) throw new Error('must parse');
    const c = realize(r.scenario);
    expect(c.services.find((s) => s.name === 'frontend')!.ports[0]!.nodePort).toBe(30080);
    expect(c.services.find((s) => s.name === 'frontend-local')!.ports[0]!.nodePort).toBeGreaterThan(30085);
  });
});
