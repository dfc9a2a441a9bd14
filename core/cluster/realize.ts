// realize(scenario) -> what Kubernetes and the CNI would have made of it.
// Pure and deterministic: the same scenario always gives the same cluster.
import type { PodAddressRange } from '../ipam/hostLocal';
import { formatIp } from '../ip/cidr';
import { formatIp6 } from '../ip/cidr6';
import { realizeNodes } from './realizeNodes';
import { cidrSetKeyOf, clusterInfoOf, isIpv6Only, isIpv6Primary, packedNodeOf, podRanges } from './realizeFamilies';
import { nodePodCidr } from '../api/familyFields';
import { realizeServices } from './realizeServices';
import { Scheduler, type SchedNode } from './schedule';
import { KUBE_DNS, KUBERNETES } from './systemObjects';
import { podGroups } from './podGroups';
import { dualStackNodeFields, reportDualStack } from './realizeDual';
import { cidrSetKey6 } from './realizeNodes6';
import { LivePlanner } from './livePods';
import { copyKept, type BindPod, type PodWriter } from './liveBind';
import { recordLive, type LiveState } from './liveState';
import { clusterFromPacked, type PackedNode } from '../store/packedCluster';
import { PodStore, type PackedPods, type PodGroup } from '../store/podStore';
import type { RealizedCluster, Scenario, ScenarioIssue, ServiceDecl, Warning } from '../api/types';

/** A parse-time warning (host bits set, an unknown field, an allow-everything rule) as a cluster warning, located. */
export function scenarioWarning(w: ScenarioIssue): Warning {
  const value = w.value !== '' && !w.message.includes(w.value) ? JSON.stringify(w.value) : '';
  const where = [w.document, w.path, value].filter(Boolean).join(': ');
  return {
    code: 'ScenarioWarning',
    message: `${where}: ${w.message}`,
    ...(w.document.includes('(Cluster') || w.document === 'defaults' ? { subject: 'cluster' } : {}),
  };
}

/** `prev`: the live cluster the scenario is applied to (liveStateOf an earlier result); none: a new cluster. */
export function realize(s: Scenario, prev?: LiveState): RealizedCluster {
  // Parse-time warnings first, so the CLI, the app and plan show every warning core computes.
  const warnings: Warning[] = (s.warnings ?? []).map(scenarioWarning);
  const spec = s.cluster;
  const cidrs: { cidrNext: number; cidrNext6?: number } = { cidrNext: 0 };
  const nodes = realizeNodes(spec, warnings, prev?.nodes, cidrs);
  // Dual-stack: the bridge plugin's host-local gets one range per family (ranges6 undefined in single-stack; in
  // IPv6 single-stack `ranges` are the IPv6 ones and the pod columns hold offsets in each node's IPv6 PodCIDR).
  const v6only = isIpv6Only(spec);
  const primary6 = isIpv6Primary(spec);
  const { ranges, ranges6 } = podRanges(spec, nodes);
  const dualFields = spec.secondary ? nodes.map((n) => dualStackNodeFields(n, v6only, primary6)) : undefined;
  const decls = podGroups(s, nodes);
  const bare = new Set(s.pods.map((p) => `${p.namespace}/${p.name}`));
  const live = prev ? new LivePlanner(prev, nodes, ranges, decls, bare, ranges6) : undefined;
  const sched = new Scheduler(
    nodes.map((n, i): SchedNode => ({
      name: n.name,
      labels: n.labels,
      taints: n.taints,
      maxPods: n.maxPods,
      count: live?.keptOn[i] ?? 0,
    })),
  );
  const controlPlanes = nodes.flatMap((n, i) => (n.role === 'control-plane' ? [i] : []));
  const total = Math.max(
    live?.capacity ?? 0,
    decls.reduce((n, g) => n + Math.max(0, g.replicas), 0),
  );
  // One entry per pod in typed arrays (podStore.ts): no object per pod here.
  const groupOf = new Int32Array(total);
  const nodeOf = new Int32Array(total);
  const ipOf = new Uint32Array(total);
  const reasonOf = new Int32Array(total);
  const ip6Of = ranges6 ? new Uint32Array(total) : v6only ? ipOf : undefined;
  const reasons: string[] = [];
  const reasonIndex = new Map<string, number>();
  const reasonAt = (r: string) => {
    let k = reasonIndex.get(r);
    if (k === undefined) reasonIndex.set(r, (k = reasons.push(r) - 1));
    return k;
  };
  const groups: PodGroup[] = [];
  let next = 0;
  /** Binds pod `next` of group `gi` to node `at` (-1: Pending for `unschedulable`) and gives it an address. */
  const bind: BindPod = (gi, at, unschedulable, hostNetwork, keptIp, keptIp6) => {
    groupOf[next] = gi;
    nodeOf[next] = at;
    reasonOf[next] = -1;
    if (at < 0) reasonOf[next] = reasonAt(unschedulable);
    else if (hostNetwork) ipOf[next] = nodes[at]!.ip;
    else if (keptIp !== undefined) {
      ipOf[next] = keptIp;
      if (keptIp6 !== undefined && ip6Of) ip6Of[next] = keptIp6;
    } else {
      const range = ranges[at];
      const ip = range?.allocate();
      if (ip !== undefined) ipOf[next] = ip;
      else
        reasonOf[next] = reasonAt(
          `FailedCreatePodSandBox: plugin type="bridge" failed (add): failed to allocate for range 0: ${range?.exhaustedMessage ?? 'no PodCIDR'}`,
        );
      const range6 = ranges6?.[at];
      if (ip !== undefined && range6) {
        const off = range6.allocate();
        if (off !== undefined) ip6Of![next] = off;
        else {
          // host-local's cmdAdd releases the addresses it already took for the other ranges.
          range!.release(ip);
          reasonOf[next] = reasonAt(
            `FailedCreatePodSandBox: plugin type="bridge" failed (add): failed to allocate for range 1: ${range6.exhaustedMessage}`,
          );
        }
      }
    }
    return reasonOf[next++] === -1;
  };
  const columns = { groupOf, nodeOf, ipOf, reasonOf, ip6Of };
  const write: PodWriter = {
    bind,
    copy: (gi, from, first, size, hostNetwork) => {
      copyKept(columns, next, gi, from, first, size, hostNetwork ? nodes : undefined);
      next += size;
    },
  };
  for (const [k, d] of decls.entries()) {
    const size = Math.max(0, d.replicas);
    const group: PodGroup = {
      kind: d.kind,
      namespace: d.namespace,
      name: d.name,
      spec: d.spec,
      first: next,
      size,
      running: 0,
      ...d.extra,
    };
    const gi = groups.push(group) - 1;
    if (live) {
      const prefer = d.preferControlPlane && controlPlanes.length > 0 ? controlPlanes : undefined;
      live.bindGroup(k, d, group, gi, sched, write, prefer);
      continue;
    }
    if (d.ordered) {
      // OrderedReady: the StatefulSet controller creates pod i+1 only once pod i is Running and Ready.
      let made = 0;
      while (made < size) {
        const p = sched.place(d.spec, 1);
        made++;
        if (!bind(gi, p.nodes[0]!, p.reason ?? '', d.spec.hostNetwork)) break;
        group.running++;
      }
      group.size = made;
      continue;
    }
    const placements = d.daemonNodes
      ? sched.placeOnNodes(d.daemonNodes)
      : sched.place(d.spec, size, d.preferControlPlane && controlPlanes.length > 0 ? controlPlanes : undefined);
    const unschedulable = placements.reason ?? '';
    for (let i = 0; i < size; i++)
      if (bind(gi, placements.nodes[i]!, unschedulable, d.spec.hostNetwork)) group.running++;
  }
  // Pods an OrderedReady StatefulSet never created: the columns end at the last pod made.
  const made = <T extends Int32Array | Uint32Array>(a: T): T => (next < total ? (a.slice(0, next) as T) : a);
  const packedPods: PackedPods = {
    groups,
    groupOf: made(groupOf),
    nodeOf: made(nodeOf),
    ipOf: made(ipOf),
    reasonOf: made(reasonOf),
    reasons,
    ...(ip6Of ? { ip6Of: made(ip6Of), nodes6: dualFields!.map((f) => f.pods6) } : {}),
    ...(v6only ? { v6only } : {}),
    ...(primary6 && !v6only ? { v6first: true } : {}),
  };
  if (v6only) packedPods.ip6Of = packedPods.ipOf;
  const packedNodes: PackedNode[] = nodes.map((n, i) => packedNodeOf(n, dualFields?.[i], primary6));
  const store = new PodStore(
    packedPods,
    packedNodes.map((n) => n.name),
    packedNodes.map((n) => nodePodCidr(n, 'IPv4') ?? null),
  );
  reportPending(store, warnings);

  const builtIns: ServiceDecl[] = [KUBERNETES, KUBE_DNS].filter((b) => {
    const dup = s.services.some((u) => u.namespace === b.namespace && u.name === b.name);
    if (dup)
      warnings.push({
        code: 'BuiltInServiceIgnored',
        message: `Service ${b.namespace}/${b.name} is created by the cluster itself; the declared one is ignored`,
        subject: `svc/${b.namespace}/${b.name}`,
      });
    return true;
  });
  const userServices = s.services.filter(
    (u) => !builtIns.some((b) => b.namespace === u.namespace && b.name === u.name),
  );
  const cp = nodes.filter((n) => n.role === 'control-plane');
  if (cp.length === 0 && nodes.length > 0) {
    warnings.push({
      code: 'NoControlPlane',
      message:
        'no control-plane node: the API server runs nowhere, so the kubernetes Service has no endpoints and kube-proxy rejects connections to it',
      subject: 'svc/default/kubernetes',
    });
  }
  const services = realizeServices({
    spec,
    services: [...builtIns, ...userServices],
    groups,
    // kube-apiserver's advertise address: the node's primary-family address (kind's first --node-ip).
    apiServerIps: cp.map((n) => (primary6 ? formatIp6(n.family6!.ip) : formatIp(n.ip))),
    apiServerNodes: cp.map((n) => n.name),
    endpointSlices: s.endpointSlices,
    warnings,
    ...(prev ? { carried: prev.services, before: prev.selected } : {}),
  });

  capacityWarnings(packedNodes, ranges, warnings);
  if (spec.secondary && !v6only) reportDualStack(nodes, ranges6!, warnings);

  const cluster = clusterFromPacked(
    {
      info: clusterInfoOf(spec),
      policies: s.networkPolicies,
      namespaces: s.namespaces,
      notModelled: s.notModelled,
      nodes: packedNodes,
      services,
      pods: packedPods,
      warnings,
    },
    store,
  );
  recordLive(cluster, {
    edit: live?.edit ?? 0,
    nodes,
    lastReserved: ranges.map((r) => r?.lastReservedIp),
    cidrNext: cidrs.cidrNext,
    cidrSet: cidrSetKeyOf(spec),
    ...(spec.secondary
      ? {
          family6: {
            lastReserved: ranges6 ? ranges6.map((r) => r?.lastReservedOffset) : [],
            cidrNext: cidrs.cidrNext6 ?? 0,
            cidrSet: cidrSetKey6(spec.secondary.podSubnet, spec.secondary.nodeCIDRMaskSize),
          },
        }
      : {}),
    ...(live ? { bornOf: live.born, serials: live.serials, deployments: live.deployments } : {}),
  });
  return cluster;
}

/** One warning per reason, not per pod: 150,000 Pending pods must not make 150,000 lines. */
function reportPending(store: PodStore, warnings: Warning[]): void {
  const { reasonOf, reasons } = store.packed;
  const count = new Array<number>(reasons.length).fill(0);
  const first = new Array<number>(reasons.length).fill(-1);
  for (let i = 0; i < reasonOf.length; i++) {
    const r = reasonOf[i]!;
    if (r < 0) continue;
    if (count[r] === 0) first[r] = i;
    count[r] = count[r]! + 1;
  }
  reasons.forEach((reason, r) => {
    const i = first[r]!;
    const pod = `${store.group(i).namespace}/${store.name(i)}`;
    const who = count[r] === 1 ? `pod ${pod} is` : `${count[r]} pods are`;
    const node = store.node(i);
    warnings.push({
      code: /^\w+/.exec(reason)![0],
      message: `${who} Pending${node ? ` on ${node}` : ''}: ${reason.replace(/^\w+: /, '')}`,
      subject: `pod/${pod}`,
    });
  });
}

/** kubelet would admit more pods than the node's range can address. */
function capacityWarnings(nodes: PackedNode[], ranges: (PodAddressRange | null)[], warnings: Warning[]): void {
  const seen = new Set<string>();
  nodes.forEach((n, i) => {
    const r = ranges[i];
    if (!r || r.capacity >= n.maxPods) return;
    const key = `${n.podCIDR?.split('/')[1]}:${n.maxPods}`;
    if (seen.has(key)) return;
    seen.add(key);
    warnings.push({
      code: 'PodCIDRSmallerThanMaxPods',
      message: `/${n.podCIDR?.split('/')[1]} per node gives ${r.capacity} pod addresses but kubelet allows ${n.maxPods} pods (node ${n.name} and any node with the same range size)`,
      subject: `node/${n.name}`,
    });
  });
}
