// `k8snet lab`: the scenario built for real in Linux network namespaces, from
// the same dataplane the tracer reads. A namespace per node (eth0 on a shared
// underlay bridge, cni0 with the gateway, core's routes, kube-proxy's rules
// loaded with iptables-restore) and a namespace per pod (eth0 with its IP and
// core's pod routes). Nothing is connected to the host's own network.
import type { Dataplane } from '../dataplane/dataplane';
import { nodeDevices, vtepMac } from '../dataplane/devices';
import { renderNftRuleset } from '../dataplane/kubeProxyNftables';
import { hasIpv4, nodeNetworkGateway, renderRoute } from '../dataplane/routes';
import { formatIp } from '../ip/cidr';
import { fnv32a } from '../api/names';
import { podCount } from '../store/podQueries';
import type { RealizedCluster, RealizedNode, RealizedPod } from '../api/types';
import { clusterNodeSubnet, ipv4Entry, nodeIp, nodePodCidr, podIp } from '../api/familyFields';
import { lab6, netns6Lines, nodeLinks6, nodeTables6, pod6Lines, underlay6Lines, underlayGateway6 } from './script6';

export interface LabOptions {
  /** Every namespace the lab makes starts with this; two labs with different prefixes coexist. */
  prefix: string;
  /** Only remove what a lab with this prefix made. */
  teardown?: boolean;
}

/** NAME_MAX: `ip netns add` refuses a longer name ("Invalid netns name"). */
export const NETNS_NAME_MAX = 255;

export interface LabNames {
  underlay: string;
  node: (n: RealizedNode) => string;
  pod: (p: RealizedPod) => string;
}

/**
 * Namespace names: "<prefix>.underlay", "<prefix>.node-NAME", "<prefix>.pod-NAMESPACE.NAME". A Kubernetes
 * namespace holds no dot, so the first dot after "pod-" ends it: pod c in a-b ("pod-a-b.c") and pod b-c in a
 * ("pod-a.b-c") cannot meet. A prefix never contains a dot, so one lab's names never start with another's
 * prefix. A name past the kernel's limit is cut and ends in a hash of the whole; should two still clash
 * (checked over every node and pod the lab makes), the later one gets a counter.
 */
export function labNames(prefix: string, c: RealizedCluster): LabNames {
  const taken = new Set<string>([`${prefix}.underlay`]);
  const fitted = (full: string, suffix = '') => {
    const cut = full.length + suffix.length > NETNS_NAME_MAX ? `-${fnv32a(full).toString(16).padStart(8, '0')}` : '';
    return full.slice(0, NETNS_NAME_MAX - cut.length - suffix.length) + cut + suffix;
  };
  const claim = (full: string) => {
    let name = fitted(full);
    for (let k = 2; taken.has(name); k++) name = fitted(full, `-${k}`);
    taken.add(name);
    return name;
  };
  const nodes = new Map(c.nodes.map((n) => [n.name, claim(`${prefix}.node-${n.name}`)]));
  const pods = new Map<string, string>();
  for (const n of c.nodes)
    for (const p of labPods(n)) pods.set(`${p.namespace}/${p.name}`, claim(`${prefix}.pod-${p.namespace}.${p.name}`));
  return {
    underlay: `${prefix}.underlay`,
    node: (n) => nodes.get(n.name) ?? fitted(`${prefix}.node-${n.name}`),
    pod: (p) => pods.get(`${p.namespace}/${p.name}`) ?? fitted(`${prefix}.pod-${p.namespace}.${p.name}`),
  };
}

/** "k8snet-<cluster name>", dots turned into dashes (a cluster name may hold dots; a prefix may not). */
export function defaultLabPrefix(clusterName: string): string {
  return `k8snet-${clusterName.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 40).replace(/-+$/, '');
}

const PREFIX_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * The largest cluster a lab builds: one network namespace per node and per pod,
 * each with veths, routes and a full kube-proxy rule set, is seconds of work per
 * few dozen namespaces on a laptop. Past this the script would be gigabytes.
 */
export const LAB_LIMITS = { nodes: 50, pods: 1000 } as const;

/** Why no lab script is written for this cluster (too big); undefined when one is. */
export function labRefusal(c: RealizedCluster): string | undefined {
  const pods = podCount(c);
  if (c.nodes.length <= LAB_LIMITS.nodes && pods <= LAB_LIMITS.pods) return undefined;
  return `the lab builds a network namespace per node and per pod; this cluster has ${c.nodes.length.toLocaleString('en-US')} nodes and ${pods.toLocaleString('en-US')} pods, and a lab takes at most ${LAB_LIMITS.nodes} nodes and ${LAB_LIMITS.pods.toLocaleString('en-US')} pods (generate a smaller cluster for the lab)`;
}

export function validateLabPrefix(prefix: string): string | undefined {
  return PREFIX_RE.test(prefix)
    ? undefined
    : `the prefix "${prefix}" must be 1-40 characters of a-z, 0-9 and "-", starting with a letter or digit`;
}

/** The pods that get a namespace: running, with an IP, not on the host network. */
export const labPods = (n: RealizedNode) => n.pods.filter((p) => !p.hostNetwork && p.ip !== null);

function teardownLines(prefix: string): string[] {
  return [
    `# Remove every namespace this lab made (deleting a namespace removes its veths, bridges and rules).`,
    `lab_teardown() {`,
    `  for ns in $(ip netns list | awk '{print $1}' | grep -E '^${prefix}\\.(underlay|node-|pod-)' || true); do`,
    `    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true`,
    `    ip netns del "$ns"`,
    `  done`,
    `}`,
    `lab_teardown`,
  ];
}

/** A failed command never leaves half a lab: the build says which line failed and removes what it made. */
const rollbackLines = (prefix: string) => [
  `trap 'status=$?; trap - ERR; echo "lab ${prefix}: failed at line $LINENO: $BASH_COMMAND; removing the namespaces it made" >&2; lab_teardown; exit $status' ERR`,
];

export function labScript(dp: Dataplane, opts: LabOptions): string {
  const bad = validateLabPrefix(opts.prefix);
  if (bad) throw new Error(bad);
  const c = dp.cluster;
  const names = labNames(opts.prefix, c);
  const L: string[] = [
    '#!/usr/bin/env bash',
    `# Kubernetes network explorer lab for cluster "${c.cluster.name}" (${c.cluster.cni}, kube-proxy ${c.cluster.kubeProxyMode}).`,
    `# ${opts.teardown ? 'Tears down' : 'Builds'} the namespaces named "${opts.prefix}.*". Run as root; needs iproute2 and iptables.`,
    'set -euo pipefail',
    '',
    ...teardownLines(opts.prefix),
  ];
  if (opts.teardown) return `${L.join('\n')}\n`;

  // The IPv4 side, read by family: in an IPv6-first dual-stack cluster the primary fields hold IPv6. An IPv6
  // single-stack cluster has none: its lab is script6.ts's IPv6 side alone (no IPv4 address, route or rule).
  const v4 = hasIpv4(c);
  const fam = v4 ? 'IPv4' : 'IPv6';
  const nodeSubnet = clusterNodeSubnet(c.cluster, fam)!;
  const netPrefix = nodeSubnet.split('/')[1];
  const nodes = c.nodes.filter((n) => nodePodCidr(n, 'IPv4') !== undefined);
  const ul = names.underlay;
  // A dual-stack or IPv6 cluster: the same namespaces get their IPv6 side (script6.ts); an IPv4 one is IPv4 only.
  const l6 = lab6(c);
  const gateway = v4 ? formatIp(nodeNetworkGateway(c)) : underlayGateway6(c);
  L.push(
    ...rollbackLines(opts.prefix),
    '',
    `# The underlay: one bridge for the node network ${nodeSubnet}, holding its gateway ${gateway} (a dead end: nothing leaves the lab).`,
    `ip netns add ${ul}`,
    `ip -n ${ul} link set lo up`,
    ...(l6 ? netns6Lines(ul, false) : []),
    `ip -n ${ul} link add br0 type bridge`,
    ...(v4 ? [`ip -n ${ul} addr add ${gateway}/${netPrefix} dev br0`] : []),
    ...(l6 ? underlay6Lines(l6, ul) : []),
    `ip -n ${ul} link set br0 up`,
  );
  c.nodes.forEach((n, i) => {
    const ns = names.node(n);
    const d = dp.node(n.name)!;
    const devs = nodeDevices(c, n);
    const cni0 = devs.find((x) => x.name === 'cni0');
    const vx = devs.find((x) => x.kind === 'vxlan' && x.name === 'flannel.1');
    const eth0 = nodeIp(n, fam)!;
    const podCidr = nodePodCidr(n, 'IPv4');
    L.push(
      '',
      `# ---- node ${n.name}: eth0 ${eth0}, PodCIDR ${nodePodCidr(n, fam) ?? 'none'}`,
      `ip netns add ${ns}`,
      `ip -n ${ns} link set lo up`,
      ...(v4 ? [`ip netns exec ${ns} sysctl -qw net.ipv4.ip_forward=1`] : []),
      ...(l6 ? netns6Lines(ns, true) : []),
      // kube-proxy's iptables proxier sets route_localnet=1 "to allow node-ports on localhost" (localhostNodePorts,
      // an IPv4 proxier's: an IPv6 cluster's kube-proxy has no IPv4 Service to reach there).
      ...(c.cluster.kubeProxyMode === 'iptables' && v4
        ? [`ip netns exec ${ns} sysctl -qw net.ipv4.conf.all.route_localnet=1`]
        : []),
      `ip -n ${ns} link add eth0 type veth peer name n${i} netns ${ul}`,
      `ip -n ${ul} link set n${i} master br0 up`,
      ...(v4 ? [`ip -n ${ns} addr add ${eth0}/${netPrefix} dev eth0`] : []),
      `ip -n ${ns} link set eth0 up`,
    );
    const links6 = l6 ? nodeLinks6(l6, n, ns, !!cni0) : [];
    if (cni0) {
      L.push(
        `ip -n ${ns} link add cni0 type bridge`,
        `ip -n ${ns} link set cni0 mtu ${cni0.mtu}`,
        ...(v4 ? [`ip -n ${ns} addr add ${ipv4Entry(cni0.addresses)} dev cni0`] : []),
        `ip -n ${ns} link set cni0 up`,
        // kube-proxy needs bridged pod traffic to pass through iptables (br_netfilter), as on every real node; an
        // IPv6 cluster's node only through ip6tables (nodeLinks6 turns that on).
        ...(v4
          ? [
              `ip netns exec ${ns} sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || echo "note: br_netfilter is not loaded; same-node Service replies will not be un-NATed" >&2`,
            ]
          : []),
      );
    }
    L.push(...links6);
    if (vx?.vxlan) {
      L.push(
        `ip -n ${ns} link add flannel.1 type vxlan id ${vx.vxlan.id} dstport ${vx.vxlan.port} local ${vx.vxlan.local} dev eth0 nolearning`,
        `ip -n ${ns} link set flannel.1 address ${vx.mac} mtu ${vx.mtu}`,
        `ip -n ${ns} addr add ${ipv4Entry(vx.addresses)} dev flannel.1`,
        `ip -n ${ns} link set flannel.1 up`,
      );
    }
    for (const p of labPods(n)) {
      const pns = names.pod(p);
      const veth = devs.find((x) => x.peer === `${p.namespace}/${p.name}`)!;
      // A pod has an IPv4 address when its node has an IPv4 PodCIDR (a dual-stack node may hold one family only).
      const ip = podIp(p, 'IPv4');
      const mask = podCidr?.split('/')[1];
      const v4 = ip !== undefined && mask !== undefined;
      L.push(
        `# pod ${p.namespace}/${p.name} ${ip ?? podIp(p, 'IPv6')}: eth0 in its own namespace, ${veth.name} on cni0`,
        `ip netns add ${pns}`,
        `ip -n ${pns} link set lo up`,
        ...(l6 ? netns6Lines(pns, false) : []),
        `ip -n ${ns} link add ${veth.name} mtu ${veth.mtu} type veth peer name eth0 mtu ${veth.mtu} netns ${pns}`,
        `ip -n ${ns} link set ${veth.name} master cni0 up`,
        // flannel's CNI config sets hairpinMode: a pod reaching itself through its Service comes back out of the same port.
        `ip -n ${ns} link set ${veth.name} type bridge_slave hairpin on`,
        ...(v4 ? [`ip -n ${pns} addr add ${ip}/${mask} dev eth0`] : []),
        `ip -n ${pns} link set eth0 up`,
        ...(v4 ? dp.podRoutes(p) : [])
          .filter((r) => r.proto !== 'kernel')
          .map((r) => `ip -n ${pns} route add ${renderRoute(r)}`),
        ...(l6 ? pod6Lines(l6, n, p, pns) : []),
      );
    }
    if (v4) L.push(`# ${n.name}'s routes, as core computes them (the kernel adds the "proto kernel" ones itself)`);
    for (const r of d.routes) if (r.proto !== 'kernel') L.push(`ip -n ${ns} route add ${renderRoute(r)}`);
    if (vx) {
      L.push(`# flannel's per-node VXLAN entries: the remote flannel.1 MAC (neighbour) and the node behind it (fdb)`);
      for (const o of nodes) {
        if (o === n) continue;
        L.push(
          `ip -n ${ns} neigh replace ${nodePodCidr(o, 'IPv4')!.split('/')[0]} lladdr ${vtepMac(o.name)} dev flannel.1 nud permanent`,
        );
        L.push(
          `ip netns exec ${ns} bridge fdb append ${vtepMac(o.name)} dev flannel.1 dst ${nodeIp(o, 'IPv4')} self permanent`,
        );
      }
    }
    // An IPv6 cluster's kube-proxy runs its IPv6 proxier only, and flannel writes no IPv4 rule: core's IPv4 tables
    // are empty there, and the lab loads none.
    if (v4)
      L.push(
        `# ${d.nft ? "flannel's" : "kube-proxy's and flannel's"} iptables rules for ${n.name}`,
        `ip netns exec ${ns} iptables-restore <<'RULES'`,
        d.nat.render(),
        d.filter.render(),
        'RULES',
      );
    L.push(...(l6 ? nodeTables6(l6, n, ns) : []));
    const nft = [d.nft, d.nft6].filter((t) => t !== null);
    if (nft.length > 0) {
      const which =
        d.nft === null ? ' ip6 (the IPv6 proxier only)' : d.nft6 ? 's (ip, then ip6: one proxier per family)' : '';
      L.push(
        `# kube-proxy in nftables mode: its table${which} for ${n.name}`,
        `ip netns exec ${ns} nft -f - <<'NFT'`,
        renderNftRuleset(nft).trimEnd(),
        'NFT',
      );
    }
  });
  L.push(
    '',
    `echo "lab ${opts.prefix}: ${c.nodes.length} node and ${c.nodes.reduce((a, n) => a + labPods(n).length, 0)} pod namespaces are up; try: ip netns exec ${c.nodes[0] ? names.node(c.nodes[0]) : ul} ${v4 ? 'ip route' : 'ip -6 route'}"`,
  );
  return `${L.join('\n')}\n`;
}
