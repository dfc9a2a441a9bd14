import { describe, expect, it } from 'vitest';
import { realize } from './realize';
import { liveStateOf } from './liveState';
import { clusterChanges } from './liveDiff';
import { diffText } from '../../cli/diffCommand';
import type { RealizedCluster } from '../api/types';
import { dual, scenario } from './dualStack.testUtil';

describe('dual-stack nodes: one PodCIDR per family, as kube-controller-manager allocates them', () => {
  const r = realize(dual());

  it('gives every node spec.podCIDRs = [IPv4 /24, IPv6 /64] in node order (cidrset AllocateNext per cluster CIDR)', () => {
    // pkg/controller/nodeipam/ipam/range_allocator.go AllocateOrOccupyCIDR; cidrset.go indexToCIDRBlock.
    expect(r.nodes.map((n) => n.podCIDRs)).toEqual([
      ['10.244.0.0/24', 'fd00:10:244::/64'],
      ['10.244.1.0/24', 'fd00:10:244:1::/64'],
      ['10.244.2.0/24', 'fd00:10:244:2::/64'],
    ]);
    expect(r.nodes.map((n) => n.podCIDR)).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    expect(r.cluster.podCIDRs).toEqual(['10.244.0.0/16', 'fd00:10:244::/56']);
    expect(r.cluster.serviceCIDRs).toEqual(['10.96.0.0/16', 'fd00:10:96::/112']);
  });

  it("puts cni0's gateway in both families (each range's network+1) and the node's two InternalIPs", () => {
    // containernetworking/plugins host-local range.go Canonicalize: Gateway = network+1 for each range.
    expect(r.nodes[1]!.gateways).toEqual(['10.244.1.1', 'fd00:10:244:1::1']);
    // kind's Docker network: fc00:f853:ccd:e793::/64 (generateULASubnetFromName("kind", 0)), gateway ::1.
    expect(r.nodes.map((n) => n.ips)).toEqual([
      ['172.18.0.2', 'fc00:f853:ccd:e793::2'],
      ['172.18.0.3', 'fc00:f853:ccd:e793::3'],
      ['172.18.0.4', 'fc00:f853:ccd:e793::4'],
    ]);
  });

  it('gives each pod both addresses, IPv4 (primary) first, each from its node range after the gateway', () => {
    const web = r.pods.filter((p) => p.name.startsWith('web-'));
    for (const p of web) {
      const node = r.nodes.find((n) => n.name === p.node)!;
      expect(p.ips![0]).toBe(p.ip);
      const host4 = p.ip!.split('.')[3];
      // host-local hands out addresses in order in both ranges: the nth pod gets .n+1 and ::n+1 (hex).
      expect(p.ips![1]).toBe(`${node.podCIDRs![1]!.replace('/64', '')}${Number(host4).toString(16)}`);
    }
    expect(new Set(web.map((p) => p.ips![1])).size).toBe(4);
    const coredns = r.pods.filter((p) => p.name.startsWith('coredns-'));
    expect(coredns.map((p) => p.ips)).toEqual([
      ['10.244.0.2', 'fd00:10:244::2'],
      ['10.244.0.3', 'fd00:10:244::3'],
    ]);
  });

  it('warns of nothing: every layer is computed for both families', () => {
    expect(r.warnings).toEqual([]);
  });

  it('single-stack clusters carry none of the dual-stack fields', () => {
    const v4 = realize(scenario('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n'));
    expect(v4.nodes[0]!.podCIDRs).toBeUndefined();
    expect(v4.pods[0]!.ips).toBeUndefined();
    expect(v4.cluster.podCIDRs).toBeUndefined();
  });
});

describe('dual-stack limits', () => {
  it('a node pinned to one podCIDR gets no IPv6 range (occupyCIDRs only occupies what spec.podCIDRs holds)', () => {
    const r = realize(dual('', '[{role: control-plane}, {role: worker, podCIDR: 10.244.7.0/24}]'));
    expect(r.nodes.map((n) => n.podCIDRs)).toEqual([['10.244.0.0/24', 'fd00:10:244::/64'], ['10.244.7.0/24']]);
    const onPinned = r.pods.filter((p) => p.node === 'kind-worker');
    expect(onPinned.length).toBeGreaterThan(0);
    for (const p of onPinned) expect(p.ips).toEqual([p.ip]);
    expect(r.warnings.find((w) => w.code === 'SingleStackNode')?.message).toContain(
      'node kind-worker: a pinned single podCIDR',
    );
  });

  it('a node whose IPv6 block is exhausted gets no PodCIDR in either family, and its IPv4 block is not released', () => {
    // range_allocator.go: the loop over cidrSets returns on the first AllocateNext error (CIDRNotAvailable).
    const r = realize(dual('  podSubnet: 10.244.0.0/16,fd00:10:244::/63'));
    expect(r.nodes.map((n) => n.podCIDRs)).toEqual([
      ['10.244.0.0/24', 'fd00:10:244::/64'],
      ['10.244.1.0/24', 'fd00:10:244:1::/64'],
      [],
    ]);
    expect(r.nodes[2]!.podCIDR).toBeNull();
    const w = r.warnings.find((x) => x.code === 'CIDRNotAvailable')!;
    expect(w.message).toContain('node kind-worker2: failed to allocate cidr from cluster cidr at idx:1');
    expect(w.message).toContain('fd00:10:244::/63 for a /64 (it holds 2 node ranges, all taken)');
  });

  it("a pod that finds the IPv6 range full stays Pending with host-local's error for range 1", () => {
    // /124 per node: 16 addresses less the network and gateway = 14 pods; coredns 2 + web 4 + big 10 = 16.
    const big = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: big}
spec:
  replicas: 10
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec: {containers: [{name: big, image: nginx}]}
`;
    const r = realize(
      dual('  podSubnet: 10.244.0.0/16,fd00:10:244::/120\n  nodeCIDRMaskSizeIPv6: 124', '[{role: control-plane}]', big),
    );
    expect(r.warnings.find((w) => w.code === 'PodCIDRSmallerThanMaxPods')?.message).toContain(
      '/124 per node (IPv6) gives 14 pod addresses but kubelet allows 110 pods',
    );
    const pending = r.pods.filter((p) => p.phase === 'Pending');
    expect(pending).toHaveLength(2);
    expect(pending[0]!.reason).toBe(
      'FailedCreatePodSandBox: plugin type="bridge" failed (add): failed to allocate for range 1: no IP addresses available in range set: fd00:10:244::1-fd00:10:244::f',
    );
    expect(pending[0]!.ips).toEqual([]);
    const running = r.pods.filter((p) => p.phase === 'Running');
    expect(running.map((p) => p.ips![1]).at(-1)).toBe('fd00:10:244::f');
    // The IPv4 addresses taken for the failed pods were released, as host-local's cmdAdd does on error.
    expect(running.map((p) => p.ip).at(-1)).toBe('10.244.0.15');
  });
});

describe('a dual-stack cluster through an edit: both families carried, as a live cluster keeps them', () => {
  const nodes = (names: string[]) =>
    `[${names.map((n, i) => `{role: ${i === 0 ? 'control-plane' : 'worker'}, name: ${n}}`).join(', ')}]`;
  const web = (replicas: number) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {ipFamilyPolicy: PreferDualStack, selector: {app: api}, ports: [{port: 80}]}
`;
  const at = (names: string[], replicas: number) => dual('', nodes(names), web(replicas));
  const ips = (c: RealizedCluster) =>
    Object.fromEntries(
      c.pods.filter((p) => p.namespace === 'default').map((p) => [p.name, `${p.node} ${p.ips?.join(' ')}`]),
    );
  const apiPods = (c: RealizedCluster) => c.pods.filter((p) => p.name.startsWith('api-'));

  it('adding a node moves no pod: every pod keeps its node and both addresses; no warning says otherwise', () => {
    const before = realize(at(['cp', 'a', 'b'], 4));
    const after = realize(at(['cp', 'a', 'b', 'c'], 4), liveStateOf(before));
    expect(ips(after)).toEqual(ips(before));
    expect(after.warnings.map((w) => w.code)).not.toContain('LiveDualStackNotModelled');
    expect(after.nodes.find((n) => n.name === 'c')!.podCIDRs).toEqual(['10.244.3.0/24', 'fd00:10:244:3::/64']);
    const d = clusterChanges(before, after);
    expect(d.nodes.added).toEqual([
      { name: 'c', ip: '172.18.0.5', podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24', 'fd00:10:244:3::/64'] },
    ]);
    expect(d.pods).toEqual({ added: [], removed: [], replaced: [] });
    // The Service keeps both ClusterIPs (spec.clusterIPs is immutable).
    const svc = (c: RealizedCluster) => c.services.find((s) => s.name === 'api')!.clusterIPs;
    expect(svc(after)).toEqual(svc(before));
  });

  it('a new pod takes the next IPv6 after the last reserved, not the one a removed pod freed (host-local round-robin per range)', () => {
    const [one, down, up] = [at(['cp', 'a'], 3), at(['cp', 'a'], 2), at(['cp', 'a'], 3)].reduce<RealizedCluster[]>(
      (out, sc) => [...out, realize(sc, out.length ? liveStateOf(out[out.length - 1]!) : undefined)],
      [],
    );
    const had = apiPods(one!).map((p) => p.ips!.join(' '));
    // Node a runs the four web pods (.2-.5) and then these three, each pair from the two ranges in step.
    expect(had).toEqual(['10.244.1.6 fd00:10:244:1::6', '10.244.1.7 fd00:10:244:1::7', '10.244.1.8 fd00:10:244:1::8']);
    const gone = clusterChanges(one!, down!).pods.removed;
    expect(gone).toHaveLength(1);
    const added = clusterChanges(down!, up!).pods.added;
    // plugins/ipam/host-local/backend/allocator/allocator.go: each range resumes after its last_reserved_ip.N.
    expect(added.map((p) => p.ips)).toEqual([['10.244.1.9', 'fd00:10:244:1::9']]);
    for (const p of apiPods(down!)) expect(apiPods(up!).map((q) => q.ips)).toContainEqual(p.ips);
    expect(diffText({ ...clusterChanges(down!, up!), kernels: [], rollouts: [] })).toContain(
      'on a 10.244.1.9 fd00:10:244:1::9',
    );
  });

  it('a removed node releases both PodCIDRs; cidrset resumes after the last block in each family', () => {
    const [first, without, again] = [at(['cp', 'a', 'b'], 4), at(['cp', 'b'], 4), at(['cp', 'b', 'c'], 4)].reduce<
      RealizedCluster[]
    >((out, sc) => [...out, realize(sc, out.length ? liveStateOf(out[out.length - 1]!) : undefined)], []);
    const removed = clusterChanges(first!, without!).nodes.removed;
    expect(removed.map((n) => n.podCIDRs)).toEqual([['10.244.1.0/24', 'fd00:10:244:1::/64']]);
    // pkg/controller/nodeipam/ipam/cidrset/cidr_set.go: AllocateNext starts at nextCandidate, after the last one given.
    expect(again!.nodes.find((n) => n.name === 'c')!.podCIDRs).toEqual(['10.244.3.0/24', 'fd00:10:244:3::/64']);
    // Node b's pods kept both addresses all along.
    const onB = (c: RealizedCluster) =>
      apiPods(c)
        .filter((p) => p.node === 'b')
        .map((p) => `${p.name} ${p.ips}`);
    expect(onB(again!)).toEqual(expect.arrayContaining(onB(first!)));
  });
});
