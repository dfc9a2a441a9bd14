import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { exportedDataplane } from '../trace/sampleQuestions';
import { trace } from '../trace/trace';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { policyEnforcerTable, renderEnforcerTable } from './enforcer';
import { parseEnforcerTable } from './enforcerParse';

const dir = 'public/scenarios';
const examples = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { file: string }[]).map((e) => e.file);
const dataplane = (file: string) => {
  const p = parseScenario(readFileSync(join(dir, file), 'utf8'));
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};
const bad = (text: string) => {
  const r = parseEnforcerTable(text, 'n1/nft-policy');
  return r.ok ? 'parsed' : `${r.error.document}:${r.error.line}: ${r.error.message}`;
};

describe('nft list table inet kube-network-policies text <-> the EnforcerTable model', () => {
  it.each(examples)('%s: every node parses back to exactly the text it printed', (file) => {
    const dp = dataplane(file);
    for (const n of dp.cluster.nodes) {
      const t = policyEnforcerTable(dp.cluster, n.name);
      const parsed = parseEnforcerTable(renderEnforcerTable(t), `${n.name}/nft-policy`);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      expect(parsed.table).toEqual(t);
      expect(renderEnforcerTable(parsed.table)).toBe(renderEnforcerTable(t));
    }
  });

  it('names the document, the line and the reason for a line it cannot read', () => {
    const dp = dataplane('policy-deny-all-ingress.yaml');
    const text = renderEnforcerTable(policyEnforcerTable(dp.cluster, 'deny-all-worker'));
    const line = (l: string) => text.split('\n').indexOf(l) + 1;
    expect(bad(text.replace('\t\tmeta skuid 0 accept\n', '\t\tmeta skuid 0 acept\n'))).toBe(
      `n1/nft-policy:${line('\t\tmeta skuid 0 accept')}: "meta skuid 0 acept" is not a rule kube-network-policies writes`,
    );
    expect(bad(text.replace('10.244.1.2, ', '10.244.1.300, '))).toBe(
      'n1/nft-policy:4: set element "10.244.1.300" is not an IPv4 address',
    );
    const wrapped = parseEnforcerTable(text.replace('10.244.1.2, ', '10.244.1.2,\n\t\t\t     '), 'n1/nft-policy');
    expect(wrapped.ok && wrapped.table.podIps).toEqual(['10.244.1.2', '10.244.1.3']);
    expect(bad(text.replace(/\}\n$/, ''))).toMatch(/: the file ends inside the table: a "\}" is missing$/);
  });

  it('an edited table changes the trace: without its queue rules no packet reaches the controller, so deny-all no longer drops', () => {
    const dp = dataplane('policy-deny-all-ingress.yaml');
    const q = { from: 'pod/default/client-65477694dc-dkpv6', to: 'pod/default/web-85469b5d-ff229' };
    const before = trace(exportedDataplane(dp), q);
    if (!before.ok) throw new Error(before.message);
    expect(before.result.verdict).toBe('dropped');
    const unqueued = exportedDataplane(dp, undefined, undefined, (_, t) => {
      const out = t.replace(/\t\tip (saddr|daddr) @podips-v4 queue to 100\n/g, '');
      expect(out).not.toBe(t);
      return out;
    });
    const after = trace(unqueued, q);
    if (!after.ok) throw new Error(after.message);
    expect(after.result.verdict).toBe('delivered');
  });
});
