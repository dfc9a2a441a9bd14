// `trace --tables` over an IPv6-first dual-stack cluster's unedited dumps (both families' routes, addresses,
// iptables and ip6tables, and in nftables mode both kube-proxy tables) gives the computed trace, hop for hop, in
// the default family (IPv6, the primary) and under -4, for the questions the other round-trip tests ask.
import { describe, expect, it } from 'vitest';
import type { Dataplane } from '../dataplane/dataplane';
import type { IpFamilyName } from '../ip/anyIp';
import { ipv6FirstCluster } from './ipv6First.testUtil';
import { exportedDataplane, sampleQuestions } from './sampleQuestions';
import { trace } from './trace';

const json = (dp: Dataplane, q: { from: string; to: string }, family?: IpFamilyName) =>
  JSON.stringify(trace(dp, { ...q, ...(family ? { family } : {}) }), (k, v: unknown) =>
    k === 'packet' ? undefined : typeof v === 'bigint' ? `${v}n` : v,
  );

describe.each([
  ['host-gw', 'iptables'],
  ['host-gw', 'nftables'],
  ['vxlan', 'iptables'],
])('an IPv6-first cluster (%s, kube-proxy %s): traces over the exported tables', (cni, mode) => {
  const dp = ipv6FirstCluster(cni, mode);
  const dumped = exportedDataplane(dp);
  const questions = sampleQuestions(dp);

  it.each([undefined, 'IPv4'] as const)('match the computed ones (family %s)', (family) => {
    expect(questions.length).toBeGreaterThan(50);
    const delivered = questions.filter((q) =>
      json(dp, q, family).startsWith('{"ok":true,"result":{"verdict":"delivered"'),
    );
    expect(delivered.length).toBeGreaterThan(questions.length / 2);
    for (const q of questions) expect(json(dumped, q, family), `${q.from} -> ${q.to}`).toBe(json(dp, q, family));
  });
});
