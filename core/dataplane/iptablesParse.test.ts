import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane } from './dataplane';
import { parseIptablesSave } from './iptablesParse';

const dir = 'public/scenarios';
const examples = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { file: string }[]).map((e) => e.file);

describe('iptables-save text <-> the rule model', () => {
  it.each(examples)('%s: every node parses back to exactly the text it printed', (file) => {
    const p = parseScenario(readFileSync(join(dir, file), 'utf8'));
    if (!p.ok) throw new Error(p.errors[0]!.message);
    const dp = buildDataplane(realize(p.scenario));
    for (const n of dp.cluster.nodes) {
      const d = dp.node(n.name)!;
      const text = `${d.nat.render()}\n${d.filter.render()}\n`;
      const parsed = parseIptablesSave(text, `${n.name}/iptables-save`);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      expect(`${parsed.tables.get('nat')!.render()}\n${parsed.tables.get('filter')!.render()}\n`).toBe(text);
    }
  });

  it('names the document, the line and the reason for a line it cannot read', () => {
    const bad = (text: string) => {
      const r = parseIptablesSave(text, 'n1/iptables-save');
      return r.ok ? 'parsed' : `${r.error.document}:${r.error.line}: ${r.error.message}`;
    };
    expect(bad('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m foo -j ACCEPT\nCOMMIT\n')).toBe(
      'n1/iptables-save:3: module -m foo is not modelled',
    );
    expect(bad('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 10.0.0.300 -j ACCEPT\nCOMMIT\n')).toMatch(
      /^n1\/iptables-save:3: "10.0.0.300" is not an IPv4 address or CIDR/,
    );
    expect(bad('*nat\n:PREROUTING ACCEPT [0:0]\n-A KUBE-X -j ACCEPT\nCOMMIT\n')).toBe(
      'n1/iptables-save:3: chain "KUBE-X" is not declared in *nat',
    );
    expect(bad('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j KUBE-NOPE\nCOMMIT\n')).toBe(
      'n1/iptables-save:3: -j KUBE-NOPE: no such chain in *nat',
    );
    expect(bad('*nat\n:PREROUTING ACCEPT [0:0]\n')).toBe('n1/iptables-save:3: *nat has no COMMIT');
    expect(bad('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m comment --comment "open\nCOMMIT\n')).toBe(
      'n1/iptables-save:3: a quoted string is not closed',
    );
    expect(bad('hello\n')).toMatch(/^n1\/iptables-save:1: not a line iptables-save prints/);
  });

  it('reads the mark targets iptables accepts into the form iptables-save prints', () => {
    const r = parseIptablesSave(
      '*nat\n:X - [0:0]\n-A X -j MARK --or-mark 0x4000\n-A X -j MARK --xor-mark 0x4000\nCOMMIT\n',
      'f',
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.tables.get('nat')!.rules('X')).toEqual([
      '-A X -j MARK --set-xmark 0x4000/0x4000',
      '-A X -j MARK --set-xmark 0x4000/0x0',
    ]);
  });
});
