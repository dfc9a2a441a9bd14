import { describe, expect, it } from 'vitest';
import type { Protocol } from '../api/types';
import { ipEndpoint, judge, podEndpoint, type Endpoint, type PolicyContext } from './evaluate';
import { ALL_PODS, contextOf, np, pod } from './testModel';

/** The truth table over the model's 9 pods, as upstream's reachability.go prints it: the set of "src->dst" pairs denied. */
function denied(ctx: PolicyContext, port = 80, protocol: Protocol = 'TCP'): string[] {
  const out: string[] = [];
  for (const s of ALL_PODS) {
    for (const d of ALL_PODS) {
      if (s === d) continue; // upstream ignores loopback (network_policy.go, ignoreLoopback)
      if (!judge(ctx, s, d, port, protocol).allowed) out.push(`${s.namespace}/${s.name}->${d.namespace}/${d.name}`);
    }
  }
  return out;
}

const others = (dst: string) => ALL_PODS.map((p) => `${p.namespace}/${p.name}`).filter((s) => s !== dst);
const allInto = (dst: string, except: string[] = []) =>
  others(dst)
    .filter((s) => !except.includes(s))
    .map((s) => `${s}->${dst}`);

describe('upstream e2e truth tables (test/e2e/network/netpol/network_policy.go)', () => {
  it("no policy: everything allowed (the model's baseline, NewReachability(..., true))", () => {
    expect(denied(contextOf([]))).toEqual([]);
  });

  it("should support a 'default-deny-ingress' policy: nothing enters x, y and z untouched", () => {
    const ctx = contextOf([np('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })]);
    const expected = ['x/a', 'x/b', 'x/c'].flatMap((d) => allInto(d));
    expect(denied(ctx).sort()).toEqual(expected.sort());
  });

  it("should support a 'default-deny-all' policy: x neither sends nor receives", () => {
    const ctx = contextOf([np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    const d = denied(ctx);
    for (const s of ALL_PODS) {
      for (const t of ALL_PODS) {
        if (s === t) continue;
        expect(d.includes(`${s.namespace}/${s.name}->${t.namespace}/${t.name}`)).toBe(
          s.namespace === 'x' || t.namespace === 'x',
        );
      }
    }
  });

  it('should enforce policy to allow traffic from pods within server namespace based on PodSelector', () => {
    const ctx = contextOf([
      np('x', 'x-a-allows-x-b', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }],
      }),
    ]);
    expect(denied(ctx).sort()).toEqual(allInto('x/a', ['x/b']).sort());
  });

  it('should enforce policy to allow ingress traffic for a target (deny-all + allow-all-to-a with empty pod and namespace selectors)', () => {
    const ctx = contextOf([
      np('x', 'deny-all', { podSelector: {}, ingress: [] }),
      np('x', 'allow-all-to-a', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }],
      }),
    ]);
    expect(denied(ctx).sort()).toEqual([...allInto('x/b'), ...allInto('x/c')].sort());
  });

  it('should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector', () => {
    // The automatic label kubernetes.io/metadata.name selects namespace y.
    const ctx = contextOf([
      np('x', 'allow-client-a-via-ns-selector', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }],
      }),
    ]);
    expect(denied(ctx).sort()).toEqual(allInto('x/a', ['y/a', 'y/b', 'y/c']).sort());
  });

  it('should enforce policy based on PodSelector or NamespaceSelector (two peers: OR)', () => {
    const ctx = contextOf([
      np('x', 'or', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }],
                },
              },
              { podSelector: { matchLabels: { pod: 'b' } } },
            ],
          },
        ],
      }),
    ]);
    expect(denied(ctx)).toEqual(['x/c->x/a']);
  });

  it('should enforce policy based on PodSelector and NamespaceSelector (one peer: AND)', () => {
    const ctx = contextOf([
      np('x', 'and', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }],
                },
                podSelector: { matchLabels: { pod: 'b' } },
              },
            ],
          },
        ],
      }),
    ]);
    expect(denied(ctx).sort()).toEqual(allInto('x/a', ['y/b', 'z/b']).sort());
  });

  it('should allow ingress access on one named port (serve-81-tcp): 81 open, 80 closed', () => {
    const ctx = contextOf([np('x', 'allow-81', { podSelector: {}, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })]);
    expect(denied(ctx, 81)).toEqual([]);
    expect(denied(ctx, 80).length).toBe(['x/a', 'x/b', 'x/c'].flatMap((d) => allInto(d)).length);
  });

  it('should allow ingress access from namespace on one named port; UDP on the same number is not TCP', () => {
    const ctx = contextOf([np('x', 'tcp-80', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })]);
    expect(denied(ctx, 80, 'TCP')).toEqual([]);
    expect(denied(ctx, 80, 'UDP').length).toBe(24); // 3 x-pods, 8 sources each
  });

  it('should enforce policy based on Ports with endPort (port range 80-81)', () => {
    const ctx = contextOf([np('x', 'range', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 81 }] }] })]);
    expect(denied(ctx, 80)).toEqual([]);
    expect(denied(ctx, 81)).toEqual([]);
    expect(denied(ctx, 82).length).toBe(24);
  });

  it('should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', () => {
    const ctx = contextOf([
      np('x', 'deny-egress-a', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'] }),
      np('y', 'allow-all-ingress', { podSelector: {}, ingress: [{}] }),
    ]);
    expect(denied(ctx).sort()).toEqual(
      others('x/a')
        .map((d) => `x/a->${d}`)
        .sort(),
    );
  });

  it('should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector', () => {
    const ctx = contextOf([
      np('x', 'egress-to-y-a', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } },
                podSelector: { matchLabels: { pod: 'a' } },
              },
            ],
          },
        ],
      }),
    ]);
    expect(denied(ctx).sort()).toEqual(
      others('x/a')
        .filter((d) => d !== 'y/a')
        .map((d) => `x/a->${d}`)
        .sort(),
    );
  });

  it('should enforce except clause while egress access to server in CIDR block', () => {
    // x/a may reach the pod range 10.244.0.0/16 except y's /24.
    const ctx = contextOf([
      np('x', 'cidr-except', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }] }],
      }),
    ]);
    expect(denied(ctx).sort()).toEqual(['y/a', 'y/b', 'y/c'].map((d) => `x/a->${d}`).sort());
  });
});

describe('kubernetes.io "Network Policies"', () => {
  it('"The two sorts of pod isolation": an ingress-only policy never isolates egress', () => {
    const ctx = contextOf([np('x', 'deny-in', { podSelector: {} })]);
    const v = judge(ctx, pod('x/a'), pod('y/a'), 80);
    expect(v.allowed).toBe(true);
    expect(v.egress.isolated).toBe(false);
    expect(judge(ctx, pod('y/a'), pod('x/a'), 80).ingress).toMatchObject({
      isolated: true,
      allowed: false,
      policies: ['x/deny-in'],
    });
  });

  it('"Default policies": policyTypes omitted with egress rules defaults to [Ingress, Egress] (SetDefaults_NetworkPolicy)', () => {
    const ctx = contextOf([
      np('x', 'egress-only-rules', {
        podSelector: { matchLabels: { pod: 'a' } },
        egress: [{ to: [{ podSelector: { matchLabels: { pod: 'b' } } }] }],
      }),
    ]);
    expect(judge(ctx, pod('x/b'), pod('x/a'), 80).allowed).toBe(false); // ingress isolated too, no ingress rules
    expect(judge(ctx, pod('x/a'), pod('x/b'), 80).allowed).toBe(true);
    expect(judge(ctx, pod('x/a'), pod('x/c'), 80).allowed).toBe(false);
  });

  it('"Default allow all ingress traffic": one empty rule allows everything even alongside deny-all', () => {
    const ctx = contextOf([
      np('x', 'deny', { podSelector: {} }),
      np('x', 'allow-all-ingress', { podSelector: {}, ingress: [{}] }),
    ]);
    const v = judge(ctx, pod('z/c'), pod('x/a'), 9999);
    expect(v.allowed).toBe(true);
    expect(v.ingress.allowedBy).toBe('x/allow-all-ingress ingress[0]');
  });

  it('the denial names the pod, the isolating policies, the connection and the source', () => {
    const ctx = contextOf([np('x', 'deny-all', { podSelector: {} })]);
    const v = judge(ctx, pod('y/b'), pod('x/a'), 8080);
    expect(v.ingress.reason).toBe(
      'pod x/a is isolated for ingress by x/deny-all and no rule allows TCP 8080 from pod y/b (10.244.2.11)',
    );
    expect(v.reason).toBe(v.ingress.reason);
  });

  it('"Behavior of to and from selectors": a podSelector alone means the policy\'s own namespace', () => {
    const ctx = contextOf([
      np('x', 'from-b', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] }),
    ]);
    expect(judge(ctx, pod('x/b'), pod('x/a'), 80).allowed).toBe(true);
    expect(judge(ctx, pod('y/b'), pod('x/a'), 80).allowed).toBe(false);
  });

  it("namespaceSelector matches the namespace's own labels, not the pod's", () => {
    const ctx = contextOf(
      [
        np('x', 'from-prod', {
          podSelector: {},
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }] }],
        }),
      ],
      [{ name: 'y', labels: { 'kubernetes.io/metadata.name': 'y', env: 'prod' } }],
    );
    expect(judge(ctx, pod('y/c'), pod('x/a'), 80).allowed).toBe(true);
    expect(judge(ctx, pod('z/c'), pod('x/a'), 80).allowed).toBe(false); // z undeclared: only its name label
  });

  it('"Targeting a range of ports": endPort is inclusive', () => {
    const ctx = contextOf([
      np('x', 'range', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }],
      }),
    ]);
    expect([31999, 32000, 32768, 32769].map((p) => judge(ctx, pod('x/a'), ipEndpoint('8.8.8.8'), p).allowed)).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('named ports resolve on the destination: egress to a bare IP by name matches nothing', () => {
    const ctx = contextOf([
      np('x', 'named', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] }),
    ]);
    expect(judge(ctx, pod('x/a'), pod('y/a'), 80).allowed).toBe(true);
    expect(judge(ctx, pod('x/a'), pod('y/a'), 81).allowed).toBe(false);
    expect(judge(ctx, pod('x/a'), ipEndpoint('1.1.1.1'), 80).allowed).toBe(false);
    // A name the destination does not declare matches nothing.
    const ctx2 = contextOf([np('x', 'named', { podSelector: {}, ingress: [{ ports: [{ port: 'no-such-port' }] }] })]);
    expect(judge(ctx2, pod('y/a'), pod('x/a'), 80).allowed).toBe(false);
  });

  it('ipBlock: external addresses in cidr minus except; pod IPs too (our choice, as most CNIs)', () => {
    const ctx = contextOf([
      np('x', 'lb', {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }] }],
      }),
    ]);
    expect(judge(ctx, ipEndpoint('172.17.0.5'), pod('x/a'), 80).allowed).toBe(true);
    expect(judge(ctx, ipEndpoint('172.17.1.5'), pod('x/a'), 80).allowed).toBe(false);
    expect(judge(ctx, ipEndpoint('10.0.0.1'), pod('x/a'), 80).allowed).toBe(false);
    const podRange = contextOf([
      np('x', 'pods', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.244.2.0/24' } }] }] }),
    ]);
    expect(judge(podRange, pod('y/a'), pod('x/a'), 80).allowed).toBe(true);
  });

  it('exceptions: "a pod cannot block access to itself"; "traffic to and from the node where a Pod is running is always allowed"', () => {
    const ctx = contextOf([np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    const a = pod('x/a');
    expect(judge(ctx, a, a, 80).allowed).toBe(true);
    expect(judge(ctx, ipEndpoint('172.18.0.3', a.node!), a, 80).allowed).toBe(true);
    expect(judge(ctx, a, ipEndpoint('172.18.0.3', a.node!), 10250).allowed).toBe(true);
    expect(judge(ctx, ipEndpoint('172.18.0.4', 'another-node'), a, 80).allowed).toBe(false);
  });

  it('hostNetwork pods are their node: never isolated, never selected by pod selectors', () => {
    const ctx = contextOf([np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    const host: Endpoint = podEndpoint({
      namespace: 'x',
      name: 'h',
      labels: { pod: 'a' },
      ports: [],
      hostNetwork: true,
      node: 'w9',
      ip: '172.18.0.9',
      phase: 'Running',
    });
    expect(host.kind).toBe('ip');
    expect(judge(ctx, host, pod('y/a'), 80).allowed).toBe(true);
    expect(judge(ctx, host, pod('x/a'), 80).allowed).toBe(false);
  });

  it('a non-pod destination has no ingress side', () => {
    const v = judge(contextOf([]), ipEndpoint('8.8.8.8'), ipEndpoint('1.1.1.1'), 53, 'UDP');
    expect(v.allowed).toBe(true);
    expect(v.ingress.pod).toBeUndefined();
  });
});
