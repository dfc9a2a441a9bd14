import { describe, expect, it } from 'vitest';
import { parseNetworkPolicies } from './parsePolicy';
import { np } from '../policy/testModel';

const one = (spec: Record<string, unknown>, ns = 'default') => parseNetworkPolicies([np(ns, 'p', spec)]);
const errorsOf = (spec: Record<string, unknown>) =>
  one(spec).issues.map((i) => ({ path: i.path, value: i.value, message: i.message }));

describe('parseNetworkPolicies: defaults (pkg/apis/networking/v1/defaults.go)', () => {
  it('policyTypes omitted: ["Ingress"], plus "Egress" only when spec.egress is a non-empty list', () => {
    expect(one({ podSelector: {} }).policies[0]!.policyTypes).toEqual(['Ingress']);
    expect(one({ podSelector: {}, egress: [{}] }).policies[0]!.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(one({ podSelector: {}, egress: [] }).policies[0]!.policyTypes).toEqual(['Ingress']);
    expect(one({ podSelector: {}, policyTypes: [] }).policies[0]!.policyTypes).toEqual(['Ingress']);
    expect(one({ podSelector: {}, policyTypes: ['Egress'] }).policies[0]!.policyTypes).toEqual(['Egress']);
  });

  it('port protocol defaults to TCP (SetDefaults_NetworkPolicyPort); metadata.namespace to default', () => {
    const r = parseNetworkPolicies([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'p' },
        spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }, { protocol: 'UDP' }] }] },
      },
    ]);
    expect(r.issues).toEqual([]);
    expect(r.policies[0]).toMatchObject({
      namespace: 'default',
      ingress: [{ ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'UDP' }], from: [] }],
    });
  });

  it('podSelector omitted defaults to {} ("This field is optional. If it is not specified, it defaults to an empty selector"), with a warning', () => {
    const r = one({});
    expect(r.issues).toEqual([]);
    expect(r.policies[0]!.podSelector).toEqual({});
    expect(r.warnings[0]).toMatchObject({ path: 'spec.podSelector' });
  });

  it('typed peers: selectors, both (AND), ipBlock with parsed ranges', () => {
    const r = one({
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [
        {
          from: [
            {
              podSelector: { matchLabels: { role: 'client' } },
              namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] },
            },
            { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
          ],
        },
      ],
    });
    expect(r.issues).toEqual([]);
    const [both, block] = r.policies[0]!.ingress[0]!.from;
    expect(both).toEqual({
      podSelector: { matchLabels: { role: 'client' } },
      namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] },
    });
    expect(block!.ipBlock).toMatchObject({
      cidr: '172.17.0.0/16',
      except: ['172.17.1.0/24'],
      range: { prefix: 16 },
      exceptRanges: [{ prefix: 24 }],
    });
  });
});

describe('parseNetworkPolicies: validation (pkg/apis/networking/validation/validation.go messages)', () => {
  it.each([
    // [what, spec, path, value, message]
    [
      'unknown policyType',
      { podSelector: {}, policyTypes: ['Ingres'] },
      'spec.policyTypes[0]',
      'Ingres',
      'supported values: "Ingress", "Egress"',
    ],
    [
      'three policyTypes',
      { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] },
      'spec.policyTypes',
      '["Ingress","Egress","Ingress"]',
      'may not specify more than two policyTypes',
    ],
    [
      'empty peer',
      { podSelector: {}, ingress: [{ from: [{}] }] },
      'spec.ingress[0].from[0]',
      '{}',
      'Required value: must specify a peer (podSelector, namespaceSelector or ipBlock)',
    ],
    [
      'ipBlock with a selector',
      { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] },
      'spec.ingress[0].from[0]',
      '{"ipBlock":{"cidr":"10.0.0.0/8"},"podSelector":{}}',
      'Forbidden: may not specify both ipBlock and another peer',
    ],
    [
      'invalid CIDR',
      { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
      'spec.egress[0].to[0].ipBlock.cidr',
      '10.0.0.0/33',
      '"10.0.0.0/33" has an invalid prefix length "33" (expected 0-32)',
    ],
    [
      'missing cidr',
      { podSelector: {}, egress: [{ to: [{ ipBlock: { except: [] } }] }] },
      'spec.egress[0].to[0].ipBlock.cidr',
      '',
      'Required value',
    ],
    [
      'except outside cidr',
      { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.18.1.0/24'] } }] }] },
      'spec.ingress[0].from[0].ipBlock.except[0]',
      '172.18.1.0/24',
      'must be a strict subset of `cidr` (172.17.0.0/16)',
    ],
    [
      'except equal to cidr',
      { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.0.0/16'] } }] }] },
      'spec.ingress[0].from[0].ipBlock.except[0]',
      '172.17.0.0/16',
      'must be a strict subset of `cidr` (172.17.0.0/16)',
    ],
    [
      'endPort below port',
      { podSelector: {}, ingress: [{ ports: [{ port: 81, endPort: 80 }] }] },
      'spec.ingress[0].ports[0].endPort',
      '80',
      'must be greater than or equal to `port`',
    ],
    [
      'endPort with a named port',
      { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] },
      'spec.ingress[0].ports[0].endPort',
      '90',
      'may not be specified when `port` is non-numeric',
    ],
    [
      'endPort without port',
      { podSelector: {}, ingress: [{ ports: [{ endPort: 90 }] }] },
      'spec.ingress[0].ports[0].endPort',
      '90',
      'may not be specified when `port` is not specified',
    ],
    [
      'port out of range',
      { podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] },
      'spec.ingress[0].ports[0].port',
      '70000',
      'must be between 1 and 65535, inclusive',
    ],
    [
      'numeric string is a bad port name',
      { podSelector: {}, ingress: [{ ports: [{ port: '80' }] }] },
      'spec.ingress[0].ports[0].port',
      '80',
      'must contain at least one letter (a-z)',
    ],
    [
      'bad protocol',
      { podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] },
      'spec.ingress[0].ports[0].protocol',
      'ICMP',
      'supported values: "TCP", "UDP", "SCTP"',
    ],
    [
      'In without values',
      { podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } },
      'spec.podSelector.matchExpressions[0].values',
      '',
      "Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      'typo in a field',
      { podSelector: {}, ingress: [{ form: [] }] },
      'spec.ingress[0].form',
      '[]',
      'unknown field: an ingress rule has ports, from',
    ],
  ])('%s', (_what, spec, path, value, message) => {
    expect(errorsOf(spec)).toEqual([{ path, value, message }]);
  });

  it('errors name the document; a policy with errors is left out', () => {
    const r = parseNetworkPolicies(
      [np('default', 'bad', { podSelector: {}, policyTypes: ['Both'] })],
      ['document 4 (NetworkPolicy default/bad)'],
    );
    expect(r.policies).toEqual([]);
    expect(r.issues[0]!.document).toBe('document 4 (NetworkPolicy default/bad)');
  });

  it('a CIDR with host bits set is accepted as its network, with a warning', () => {
    const r = one({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.1.2.3/16' } }] }] });
    expect(r.issues).toEqual([]);
    expect(r.policies[0]!.ingress[0]!.from[0]!.ipBlock!.range).toEqual({ base: 0x0a010000, prefix: 16 });
    expect(r.warnings[0]!.message).toContain('host bits set');
  });

  it('rules that policyTypes ignores are pointed out', () => {
    const r = one({ podSelector: {}, policyTypes: ['Ingress'], egress: [{}] });
    expect(r.warnings.map((w) => w.path)).toEqual(['spec.egress[0]', 'spec.egress']);
  });

  it('an empty rule, {} as much as null, is pointed out: it allows everything', () => {
    for (const rule of [{}, null]) {
      const r = one({ podSelector: {}, ingress: [rule] });
      expect(r.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
        'spec.ingress[0]: an empty rule allows everything: no `from` matches every source and no `ports` every port',
      ]);
    }
  });

  it('duplicate names in one namespace are refused', () => {
    const r = parseNetworkPolicies([np('x', 'p', {}), np('x', 'p', {}), np('y', 'p', {})]);
    expect(r.policies.map((p) => `${p.namespace}/${p.name}`)).toEqual(['x/p', 'y/p']);
    expect(r.issues[0]!.message).toContain('Duplicate value');
  });
});
