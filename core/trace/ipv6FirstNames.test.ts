// DNS names and the search box in an IPv6-first dual-stack cluster: a headless Service answers AAAA (the primary
// family) or, under -4, A from each family's EndpointSlice; an endpoint's dashed address names it in its own family
// only (CoreDNS's endpointHostname); the search box finds pods, gateways and free addresses of either family.
import { describe, expect, it } from 'vitest';
import { ipv6FirstCluster, run } from './ipv6First.testUtil';
import { findObject } from './refs';

const dp = ipv6FirstCluster();
const web = dp.cluster.pods.filter((p) => p.name.startsWith('web-'));
const client = 'pod/default/client';

describe('a headless dual-stack Service by name', () => {
  it("answers AAAA with the pods' IPv6 addresses by default, A with their IPv4 ones under -4", () => {
    expect(run(dp, { from: client, to: 'heads' }).dns!.answer).toEqual(['fd00:10:244:1::2', 'fd00:10:244:2::2']);
    expect(run(dp, { from: client, to: 'heads', family: 'IPv4' }).dns!.answer).toEqual(['10.244.1.2', '10.244.2.2']);
  });

  it('answers an endpoint name (its address with dashes) in its own family only', () => {
    const named = (host: string, family?: 'IPv4') =>
      run(dp, {
        from: client,
        to: `${host}.heads.default.svc.cluster.local`,
        port: 8080,
        ...(family ? { family } : {}),
      });
    expect(named('fd00-10-244-1--2')).toMatchObject({ verdict: 'delivered', dns: { answer: ['fd00:10:244:1::2'] } });
    expect(named('10-244-1-2', 'IPv4')).toMatchObject({ verdict: 'delivered', dns: { answer: ['10.244.1.2'] } });
    expect(named('10-244-1-2')).toMatchObject({ verdict: 'unreachable', dns: { answer: [] } });
  });
});

describe('the search box finds either family', () => {
  it.each([
    ['[fd00:10:244:1::2]:8080', `pod/default/${web[0]!.name}`, `pod ${web[0]!.name} has fd00:10:244:1::2`],
    ['10.244.1.2', `pod/default/${web[0]!.name}`, `pod ${web[0]!.name} has 10.244.1.2`],
    ['fd00:10:244:1::1', 'node/first6-worker', 'fd00:10:244:1::1 is cni0 on node first6-worker'],
    ['10.244.1.1', 'node/first6-worker', '10.244.1.1 is cni0 on node first6-worker'],
    [
      'fd00:10:244:1::77',
      'node/first6-worker',
      "fd00:10:244:1::77 is free in node first6-worker's PodCIDR fd00:10:244:1::/64",
    ],
    ['10.244.1.77', 'node/first6-worker', "10.244.1.77 is free in node first6-worker's PodCIDR 10.244.1.0/24"],
  ])('%s', (query, ref, what) => {
    expect(findObject(dp.cluster, query)).toEqual({ ok: true, ref, what });
  });
});
