// Rollouts in a dual-stack live cluster: host-local hands each pod one address per range (IPv4, then IPv6) and a
// running pod keeps both through every later edit, whether the rollout finished or stalls.
import { describe, expect, it } from 'vitest';
import { history } from './liveHistory.testUtil';
import { rolloutsOf, rolloutText } from './rolloutReport';
import type { RealizedCluster } from '../api/types';

/** Nodes cp, a, ... (maxPods each), one Deployment "api" of 3 with maxSurge 1 / maxUnavailable 0. */
const at = (maxPods: number[], image: string) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: dual}
nodes:
${maxPods.map((m, i) => `  - {role: ${i === 0 ? 'control-plane' : 'worker'}, name: ${i === 0 ? 'cp' : String.fromCharCode(96 + i)}, taints: [], maxPods: ${m}}`).join('\n')}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 3
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ${image}}]}
`;

/** Each api pod: name, node and status.podIPs. */
const apiPods = (c: RealizedCluster) =>
  Object.fromEntries(
    c.pods
      .filter((p) => p.name.startsWith('api-') && p.phase === 'Running')
      .map((p) => [p.name, `${p.node} ${p.ips?.join(' ')}`]),
  );

describe('a dual-stack rollout: both addresses for every pod, kept through later edits', () => {
  it('the pods a rollout creates get an IPv6 address beside the IPv4 one, from the same node range step', () => {
    const [, rolled, grown] = history(
      at([110, 110], 'nginx'),
      at([110, 110], 'nginx:2'),
      at([110, 110, 110], 'nginx:2'),
    );
    expect(rolloutsOf(rolled!)).toHaveLength(1);
    // host-local (plugins/ipam/host-local/backend/allocator): one address per range, each after its last reserved.
    // Node a had the old pods at .2 and .3 (and ::2, ::3); the new ones follow on in both ranges.
    expect(Object.values(apiPods(rolled!)).sort()).toEqual([
      'a 10.244.1.4 fd00:10:244:1::4',
      'a 10.244.1.5 fd00:10:244:1::5',
      'a 10.244.1.6 fd00:10:244:1::6',
    ]);
    // The steps show each pod with both addresses, as status.podIPs lists them.
    const lines = rolloutText(rolloutsOf(rolled!)[0]!).filter((l) => l.trim().startsWith('+'));
    expect(lines[0]).toMatch(/^ {5}\+ api-\w+-\w+ on a 10\.244\.1\.4 fd00:10:244:1::4$/);
    const old = rolloutText(rolloutsOf(rolled!)[0]!).find((l) => l.trim().startsWith('-'));
    expect(old).toMatch(/ on a 10\.244\.1\.[23] fd00:10:244:1::[23]$/);
    // Adding a node moves no pod: both addresses stay.
    expect(apiPods(grown!)).toEqual(apiPods(rolled!));
  });

  it('a stalled rollout holds the old pods with both their addresses, and a later edit keeps them', () => {
    // cp holds coredns twice and one api pod (3 of 3), a two api pods (2 of 2): the surge pod has no room.
    const [before, stalled, later] = history(at([3, 2], 'nginx'), at([3, 2], 'nginx:2'), at([3, 2], 'nginx:2'));
    expect(Object.keys(apiPods(before!))).toHaveLength(3);
    for (const ips of Object.values(apiPods(stalled!))) expect(ips.split(' ')).toHaveLength(3);
    expect(apiPods(stalled!)).toEqual(apiPods(before!));
    expect(apiPods(later!)).toEqual(apiPods(before!));
    // Still no room: the resumed rollout does nothing, so the later edit lists no rollout.
    expect(rolloutsOf(stalled!)).toHaveLength(1);
    expect(rolloutsOf(later!)).toEqual([]);
  });
});
