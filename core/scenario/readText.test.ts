// One reader at every size: JSON.parse is only a shortcut for text the YAML reader reads the same way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasRepeatedKey, readDocuments } from './readText';
import { parseScenario } from './parse';

/** The same text forced through the YAML reader: a leading comment is YAML, not JSON. */
const viaYaml = (text: string) => readDocuments(`#\n${text}`);

describe('readDocuments', () => {
  it('property: any JSON text reads to the same documents as through the YAML reader', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'small' }), fc.constantFrom('', ' ', '\n', '\t'), (json, pad) => {
        const text = pad + json + pad;
        const got = readDocuments(text);
        const want = viaYaml(text);
        expect(got.ok).toBe(want.ok);
        if (got.ok && want.ok) expect(got.docs).toEqual(want.docs);
      }),
      { numRuns: 300 },
    );
  });

  it('a repeated key is refused with its line, in small and big JSON alike', () => {
    const text = '{"kind": "Cluster",\n "kind": "Cluster"}';
    const small = readDocuments(text);
    const big = readDocuments(text + ' '.repeat(600 * 1024));
    expect(small.ok).toBe(false);
    if (!small.ok) expect(small.errors[0]).toMatchObject({ path: 'line 2, column 2' });
    expect(big).toEqual(small);
  });

  it('hasRepeatedKey sees keys only where JSON has keys, and decodes escapes', () => {
    expect(hasRepeatedKey('{"a": "a", "b": ["a", "a"]}')).toBe(false);
    expect(hasRepeatedKey('{"a": {"a": 1}, "b": {"a": 2}}')).toBe(false);
    expect(hasRepeatedKey('{"a": 1, "\\u0061": 2}')).toBe(true);
    expect(hasRepeatedKey('[{"x": 1}, {"x": 1}]')).toBe(false);
    expect(hasRepeatedKey('{"q\\"": 1, "q\\"": 2}')).toBe(true);
  });

  it('JSON objects separated by --- are a YAML stream of documents', () => {
    const svc = (n: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: n }, spec: { ports: [{ port: 80 }] } });
    const r = parseScenario(`${svc('a')}\n---\n${svc('b')}\n`);
    expect(r.ok && r.scenario.services.map((s) => s.name)).toEqual(['a', 'b']);
    const big = parseScenario(`${svc('a')}\n---\n${svc('b')}\n${' '.repeat(600 * 1024)}`);
    expect(big.ok && big.scenario.services.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it.each(['', '   \n', '# only a comment\n', '---\n---\n', 'null', '[]', '{"kind": "List", "items": []}'])(
    'an empty scenario (%j) is refused with kind’s reason',
    (text) => {
      const r = parseScenario(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]!.message).toMatch(/^the scenario is empty: kind refuses an empty config/);
    },
  );

  it.each([
    ['a list', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['a map', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
  ])('100,000 levels of %s are refused with a reason, never a crash', (_what, text) => {
    for (const t of [text, `#\n${text}`]) {
      const r = parseScenario(t);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]!.message).toBeTruthy();
    }
  });
});
