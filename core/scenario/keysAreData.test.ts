// Hostile keys and YAML tags: keys are data (never a prototype), keys the API server
// refuses are refused with its reason, and tags that would change the data are refused with the line.
import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';
import { realize } from '../cluster/realize';
import { judge, podEndpoint, policyContext } from '../policy/evaluate';
import type { Scenario } from '../api/types';

const pod = (name: string, labels: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: ${labels}}\nspec: {containers: [{name: c, image: i}]}\n`;

function ok(text: string): Scenario {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.document} ${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

function errors(text: string) {
  const r = parseScenario(text);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors;
}

describe('keys are data', () => {
  it('a label called "constructor" or "toString" is kept, and only a pod that carries it matches', () => {
    const s = ok(
      [
        pod('a', '{constructor: x, toString: y}'),
        pod('b', '{app: b}'),
        'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {constructor: x}, ports: [{port: 80}]}\n',
      ].join('---\n'),
    );
    expect(Object.entries(s.pods[0]!.spec.labels)).toEqual([
      ['constructor', 'x'],
      ['toString', 'y'],
    ]);
    const c = realize(s);
    const svc = c.services.find((x) => x.name === 's')!;
    expect(svc.endpoints.map((e) => e.pod)).toEqual(['a']);
  });

  it('a Service selecting "toString" selects no pod that lacks the label (no prototype method is a label)', () => {
    const s = ok(
      [
        pod('b', '{app: b}'),
        'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {toString: x}, ports: [{port: 80}]}\n',
      ].join('---\n'),
    );
    expect(realize(s).services.find((x) => x.name === 's')!.endpoints).toEqual([]);
  });

  it('a NetworkPolicy peer on label "constructor" admits only the pod with that label, not every pod', () => {
    const s = ok(
      [
        pod('web', '{app: web}'),
        pod('friend', '{constructor: yes}'),
        pod('stranger', '{app: other}'),
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-ctor}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {constructor: "yes"}}\n',
      ].join('---\n'),
    );
    const c = realize(s);
    const find = (n: string) => c.pods.find((p) => p.name === n)!;
    const ctx = policyContext(s.networkPolicies, s.namespaces);
    const verdict = (from: string) => judge(ctx, podEndpoint(find(from)), podEndpoint(find('web')), 80).allowed;
    expect(verdict('friend')).toBe(true);
    expect(verdict('stranger')).toBe(false);
  });

  it('"__proto__" as a label key or a selector key is refused with the API server\'s reason, not dropped', () => {
    const e = errors(pod('a', '{__proto__: x, app: a}'));
    expect(e[0]).toMatchObject({ path: 'metadata.labels.__proto__', value: '__proto__' });
    expect(e[0]!.message).toMatch(/^name part must consist of alphanumeric characters/);
    const peer = errors(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {__proto__: x}}\n',
    );
    expect(peer[0]!.path).toBe('spec.ingress[0].from[0].podSelector.matchLabels.__proto__');
  });

  it('"__proto__" in JSON is refused the same way at every size', () => {
    const doc = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: JSON.parse('{"name": "a", "labels": {"__proto__": "x"}}') as object,
      spec: { containers: [{ name: 'c', image: 'i' }] },
    };
    const small = JSON.stringify(doc);
    const big = small + ' '.repeat(600 * 1024);
    expect(errors(small)[0]!.path).toBe('metadata.labels.__proto__');
    expect(errors(big)).toEqual(errors(small));
  });

  it('label keys and values are checked as apimachinery checks them: prefix, 63 characters, qualified name', () => {
    const cases: [string, RegExp][] = [
      [`{${'a'.repeat(64)}: x}`, /^name part must be no more than 63 characters/],
      ['{"Example.com/app": x}', /^prefix part a lowercase RFC 1123 subdomain/],
      ['{"/app": x}', /^prefix part must be non-empty/],
      ['{"a/b/c": x}', /^a qualified name must consist/],
      [`{app: ${'v'.repeat(64)}}`, /^must be no more than 63 characters/],
      ['{app: "-x"}', /^a valid label must be an empty string/],
    ];
    for (const [labels, message] of cases) expect(errors(pod('a', labels))[0]!.message).toMatch(message);
  });

  it('nodeSelector keys and annotation keys are validated too', () => {
    const ns = errors(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {nodeSelector: {"bad key": x}, containers: [{name: c, image: i}]}\n',
    );
    expect(ns[0]!.path).toBe('spec.nodeSelector.bad key');
    const an = errors(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, annotations: {"no spaces": x}}\nspec: {containers: [{name: c, image: i}]}\n',
    );
    expect(an[0]!.path).toBe('metadata.annotations.no spaces');
  });
});

describe('YAML tags that would change the data are refused with the line', () => {
  const tagged = (tag: string, value: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: ${tag} ${value}\nspec: {containers: [{name: c, image: i}]}\n`;
  it.each([
    ['!!omap', '[{app: a}]'],
    ['!!set', '{app}'],
    ['!foo', '{app: a}'],
    ['!!binary', 'aGk='],
  ])('%s', (tag, value) => {
    const e = errors(tagged(tag, value));
    expect(e[0]!.document).toBe('document 1');
    expect(e[0]!.path).toMatch(/^line 5, column \d+$/);
    expect(e[0]!.message).toContain(`the YAML tag ${tag} is not supported`);
  });

  it('the plain tags (!!str, !!int, !!map) are accepted: they do not change the data', () => {
    const s = ok(tagged('!!map', '{app: !!str 1}'));
    expect(s.pods[0]!.spec.labels).toEqual({ app: '1' });
  });
});
