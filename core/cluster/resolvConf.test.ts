import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { realize } from './realize';
import { podResolvConf, resolverQueries } from './resolvConf';

const cluster = () => {
  const p = parseScenario(DEFAULT_SCENARIO_YAML);
  if (!p.ok) throw new Error('default scenario');
  return realize(p.scenario);
};

describe('podResolvConf (kubelet pkg/kubelet/network/dns/dns.go, ClusterFirst)', () => {
  it('names the cluster DNS Service, the namespace-first search path and ndots:5', () => {
    const c = cluster();
    const pod = c.pods.find((p) => p.namespace === 'default' && !p.hostNetwork)!;
    const conf = podResolvConf(c, pod)!;
    // dns_test.go TestGetPodDNS: search [ns.svc.cluster.local svc.cluster.local cluster.local], options [ndots:5].
    expect(conf.searches).toEqual(['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
    expect(conf.nameservers).toEqual([c.cluster.dnsIP]);
    expect(conf.options).toEqual(['ndots:5']);
    expect(conf.text).toBe(
      `search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${c.cluster.dnsIP}\noptions ndots:5\n`,
    );
  });

  it("appends the node's searches after the cluster's, without duplicates (omitDuplicates)", () => {
    const c = cluster();
    const pod = c.pods.find((p) => p.namespace === 'kube-system' && !p.hostNetwork)!;
    expect(podResolvConf(c, pod, ['cluster.local', 'example.com'])!.searches).toEqual([
      'kube-system.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
      'example.com',
    ]);
  });

  it("a hostNetwork pod gets its node's file: not computed", () => {
    const c = cluster();
    const pod = { ...c.pods[0]!, hostNetwork: true };
    expect(podResolvConf(c, pod)).toBeNull();
  });
});

describe('resolverQueries (resolv.conf(5): ndots)', () => {
  const conf = { searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] };
  it('a short name goes through the search list first', () => {
    expect(resolverQueries('web', conf)).toEqual([
      'web.default.svc.cluster.local',
      'web.svc.cluster.local',
      'web.cluster.local',
      'web',
    ]);
  });
  it('with four dots, fewer than ndots:5, even the full Service name is searched first', () => {
    expect(resolverQueries('web.default.svc.cluster.local', conf)[0]).toBe(
      'web.default.svc.cluster.local.default.svc.cluster.local',
    );
  });
  it('a trailing dot makes the name absolute: one query', () => {
    expect(resolverQueries('web.default.svc.cluster.local.', conf)).toEqual(['web.default.svc.cluster.local']);
  });
  it('a name with ndots dots or more is asked as is first', () => {
    expect(resolverQueries('a.b.c.d.e.example', conf)[0]).toBe('a.b.c.d.e.example');
  });
});
