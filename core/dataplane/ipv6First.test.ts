// An IPv6-first dual-stack cluster (kind: podSubnet fd00:10:244::/56,10.244.0.0/16) holds IPv6 in every primary
// field, but each node's kernel holds the same tables as in the IPv4-first cluster with the same ranges: `ip route`
// and `ip -6 route`, iptables and ip6tables, nft's ip and ip6 tables, the devices' addresses, the pods' tables and
// the walker's route, local-address and device-address answers. Only the Services that default to one family
// (kubernetes and kube-dns: SingleStack in the primary one) sit in the other family's tables.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { history } from '../cluster/liveHistory.testUtil';
import { formatAny, parseAny, type IpFamilyName } from '../ip/anyIp';
import { clusterIp } from '../api/familyFields';
import { policyEnforcerTable } from '../policy/enforcer';
import { policyContext } from '../policy/evaluate';
import { reachMatrix, renderReach } from '../policy/reach';
import { plan } from '../plan/plan';
import type { RealizedCluster, Scenario } from '../api/types';
import { renderAnyRoute } from './anyRoute';
import { renderRule } from './iptablesRule';
import { cniRoutesByNode } from './cniRoutes';
import { buildDataplane, renderRouteTable } from './dataplane';
import { nodeDevices, podLinks6, renderVxlanFdb, renderVxlanNeighbors } from './devices';
import { buildServiceRules6, nodeIp6tables } from './ip6tables';
import { kernelChanges } from './kernelChanges';
import { renderIpAddr } from './kernelDumps';
import { nodeAddresses6 } from './kernelDumps6';
import { renderNftRuleset } from './kubeProxyNftables';
import { nodeRoutes6, renderRouteTable6 } from './routes6';
import { DUAL_SCENARIO } from './dualStack.testUtil';

const FIRST4 = 'podSubnet: "10.244.0.0/16,fd00:10:244::/56", serviceSubnet: "10.96.0.0/16,fd00:10:96::/112"';
const FIRST6 = 'podSubnet: "fd00:10:244::/56,10.244.0.0/16", serviceSubnet: "fd00:10:96::/112,10.96.0.0/16"';

// Beside DUAL_SCENARIO's dual-stack Services (in the cluster's order): one SingleStack Service of each family, one
// dual-stack Service in each order (whichever the cluster's is), and a policy for the enforcer.
const withFamilies = (name: string, families: string, policy = 'SingleStack') => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  ipFamilyPolicy: ${policy}
  ipFamilies: [${families}]
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;
const SERVICES =
  withFamilies('four', 'IPv4') +
  withFamilies('six', 'IPv6') +
  withFamilies('four-six', 'IPv4, IPv6', 'RequireDualStack') +
  withFamilies('six-four', 'IPv6, IPv4', 'RequireDualStack');
const POLICY = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-web}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}, {ipBlock: {cidr: 10.244.1.0/24}}]}]
`;

/** `pinned`: a fourth node with a pinned single (IPv4) podCIDR, whose pods have an IPv4 address only. */
function scenarioText(ranges: string, mode: string, cni: string, replicas = 3, pinned = false): string {
  const text = DUAL_SCENARIO(mode) + SERVICES + POLICY;
  return text
    .replace('networking: {ipFamily: dual,', `networking: {ipFamily: dual, cni: ${cni}, ${ranges},`)
    .replace('replicas: 3', `replicas: ${replicas}`)
    .replace('{role: worker}]', pinned ? '{role: worker}, {role: worker, podCIDR: 10.244.9.0/24}]' : '{role: worker}]');
}

function parsed(text: string): Scenario {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

const SYSTEM = new Set(['default/kubernetes', 'kube-system/kube-dns']);
/** The cluster without the Services that are SingleStack in the primary family (they move with it). */
const withoutSystem = (c: RealizedCluster): RealizedCluster => ({
  ...c,
  services: c.services.filter((s) => !SYSTEM.has(`${s.namespace}/${s.name}`)),
});

/** Every table each node and pod holds, as the tools print them, and the walker's answers for every address. */
function kernelText(c: RealizedCluster): string {
  const dp = buildDataplane(c);
  const services6 = buildServiceRules6(c)!;
  // The lists hold the primary family first: each address once, in one order for both clusters.
  const addresses = [
    ...c.pods.flatMap((p) => p.ips ?? []),
    ...c.nodes.flatMap((n) => [...(n.ips ?? []), ...(n.gateways ?? [])]),
    ...c.services.flatMap((s) => s.clusterIPs ?? []),
    '8.8.8.8',
    '2001:db8::1',
  ].sort();
  const out: string[] = [];
  for (const n of c.nodes) {
    const nd = dp.node(n.name)!;
    const t6 = nodeIp6tables(c, services6, n)!;
    const k = dp.kernel(n.name)!;
    out.push(
      `== ${n.name}`,
      renderRouteTable(nd.routes),
      renderRouteTable6(nodeRoutes6(c, n) ?? []),
      nd.nat.render(),
      nd.filter.render(),
      t6.nat.render(),
      t6.filter.render(),
      renderNftRuleset([...(nd.nft ? [nd.nft] : []), ...(nd.nft6 ? [nd.nft6] : [])]),
      renderIpAddr(nodeDevices(c, n), nodeAddresses6(c, n)),
      renderVxlanNeighbors(c, n),
      renderVxlanFdb(c, n),
      JSON.stringify(podLinks6(n)),
      JSON.stringify([cniRoutesByNode(c, n.name, 'IPv4'), cniRoutesByNode(c, n.name, 'IPv6')]),
      JSON.stringify(policyEnforcerTable(c, n.name)),
    );
    for (const a of addresses) {
      const ip = parseAny(a);
      if (!ip.ok) throw new Error(a);
      const r = k.route(ip.value);
      out.push(`${a}: ${r ? renderAnyRoute(r) : 'no route'} local=${k.isLocal(ip.value)}`);
    }
    // The walker's tables (written lazily, one Service port at a time) as it reads them for packets to every
    // ClusterIP: the candidate rules, each at its position in the whole table.
    for (const f of ['IPv4', 'IPv6'] as const) {
      const dst = parseAny(
        clusterIp(
          c.services.find((s) => s.name === 'web')!,
          f,
        )!,
      );
      if (!dst.ok) throw new Error('no ClusterIP');
      const key = { dst: dst.value, proto: 'tcp' as const, dport: 80 };
      for (const table of ['nat', 'filter'] as const)
        for (const chain of ['PREROUTING', 'POSTROUTING', 'FORWARD', 'KUBE-SERVICES', 'FLANNEL-POSTRTG', 'FLANNEL-FWD'])
          for (const r of k.table(table, f)?.candidates(chain, key) ?? [])
            out.push(`${f} ${table} ${r.index}: ${renderRule(chain, r.rule)}`);
    }
    for (const dev of ['lo', 'eth0', 'cni0', 'flannel.1', 'flannel-v6.1'])
      out.push(
        `${dev}: ${[k.addressOn(dev, 'IPv4'), k.addressOn(dev, 'IPv6')].map((a) => (a === undefined ? '-' : formatAny(a))).join(' ')}`,
      );
    for (const p of n.pods)
      out.push(`pod ${p.name}`, renderRouteTable(dp.podRoutes(p)), renderRouteTable6(dp.podRoutes6(p)));
  }
  return out.join('\n');
}

describe.each([
  ['iptables', 'host-gw'],
  ['iptables', 'vxlan'],
  ['nftables', 'host-gw'],
  ['nftables', 'vxlan'],
])('IPv6-first dual-stack, kube-proxy %s, %s: each family’s tables as in the IPv4-first cluster', (mode, cni) => {
  const first4 = realize(parsed(scenarioText(FIRST4, mode, cni, 5, true)));
  const first6 = realize(parsed(scenarioText(FIRST6, mode, cni, 5, true)));

  it('realizes IPv6 in the primary fields (and IPv4 in them when IPv4 is first)', () => {
    expect([
      first6.cluster.podCIDR,
      first6.nodes[1]!.ip,
      first6.pods.find((p) => p.name.startsWith('web-'))?.ip,
    ]).toEqual([expect.stringContaining(':'), expect.stringContaining(':'), expect.stringContaining(':')]);
    expect(first4.nodes[1]!.ip).toBe('172.18.0.3');
    // The pinned node's pods have their IPv4 address only, in the primary field too.
    const pinned = first6.pods.filter((p) => p.node === first6.nodes[3]!.name && !p.hostNetwork && p.ip);
    expect(pinned.map((p) => [p.ip, p.ips])).toContainEqual([expect.stringMatching(/^10\.244\.9\./), [pinned[0]!.ip]]);
  });

  it('writes the same routes, rules, devices and walker answers in both families', () => {
    const text = kernelText(withoutSystem(first4));
    // Both families' tables are there to compare: IPv4 and IPv6 routes to the other nodes' PodCIDRs, both
    // proxiers' rules for the dual-stack Service and its endpoints, cni0's address in each family.
    expect(text).toContain('10.244.2.0/24 via ');
    expect(text).toContain('fd00:10:244:2::/64 via ');
    expect(text).toMatch(
      mode === 'iptables' ? /-d 10\.96\.\S+\/32 .*default\/web/ : /ip daddr 10\.96\.\S+ tcp dport 80/,
    );
    expect(text).toMatch(mode === 'iptables' ? /-d fd00:10:96::\S+\/128 .*default\/web/ : /ip6 daddr fd00:10:96::/);
    // A Service listing the other family first still has each family's endpoints in that family's table.
    expect(text).toMatch(/default\/six-four( -> |\/tcp\/__)10\.244\./);
    expect(text).toMatch(/default\/four-six( -> \[|\/tcp\/__)fd00.10.244/);
    expect(text).toContain('inet 10.244.1.1/24');
    expect(text).toContain('cni0: 10.244.1.1 fd00:10:244:1::1');
    expect(kernelText(withoutSystem(first6))).toBe(text);
  });

  it('draws the primary family’s CNI routes unless asked for the other', () => {
    const worker = first6.nodes[1]!.name;
    expect(cniRoutesByNode(first6, worker)).toEqual(cniRoutesByNode(first6, worker, 'IPv6'));
    expect(cniRoutesByNode(first6, worker)[0]!.line).toMatch(/^fd00:10:244:/);
    expect(cniRoutesByNode(first4, worker)).toEqual(cniRoutesByNode(first4, worker, 'IPv4'));
  });

  it('puts kubernetes and kube-dns in the primary family’s tables only', () => {
    // A worker's nat tables (or nft tables), IPv4's then IPv6's.
    const tables = (c: RealizedCluster) => {
      const node = c.nodes[1]!;
      const nd = buildDataplane(c).node(node.name)!;
      if (mode === 'nftables') return [renderNftRuleset([nd.nft!]), renderNftRuleset([nd.nft6!])];
      return [nd.nat.render(), nodeIp6tables(c, buildServiceRules6(c)!, node)!.nat.render()];
    };
    const [v4, v6] = tables(first6);
    expect(v4).not.toContain('kube-dns');
    expect(v6).toMatch(/kube-dns[^\n]*fd00:10:96::a|fd00:10:96::a[^\n]*kube-dns|fd00:10:96::a . udp . 53/);
    const [four4, four6] = tables(first4);
    expect(four4).toContain('10.96.0.10');
    expect(four6).not.toContain('kube-dns');
  });
});

describe('IPv6-first dual-stack: the views over the dataplane as in the IPv4-first cluster', () => {
  const texts = (ranges: string, replicas = 3) => scenarioText(ranges, 'iptables', 'host-gw', replicas);

  it('lists the same kernel changes for an edit (one more web replica)', () => {
    const changes = (ranges: string) => {
      const [before, after] = history(texts(ranges), texts(ranges, 4)).map(withoutSystem);
      return kernelChanges(buildDataplane(before!), buildDataplane(after!));
    };
    const four = changes(FIRST4);
    // The new web pod's endpoint rules in both families.
    const added = four.flatMap((c) => c.rules.added).join('\n');
    expect(added).toMatch(/-t nat -A KUBE-SVC-\S+ -m comment --comment "default\/web -> 10\.244\./);
    expect(added).toMatch(/-6 -t nat -A KUBE-SVC-\S+ -m comment --comment "default\/web -> \[fd00:10:244:/);
    expect(changes(FIRST6)).toEqual(four);
  });

  it('plans the same capacity', () => {
    const [s4, s6] = [parsed(texts(FIRST4)), parsed(texts(FIRST6))];
    // Each family's ClusterIPs used count kubernetes and kube-dns where they are.
    expect(plan(s6, withoutSystem(realize(s6)))).toEqual(plan(s4, withoutSystem(realize(s4))));
  });

  it('judges reach in the primary family unless asked for the other: the pods’ addresses of that family', () => {
    // The example where web may not reach db: the denied cell names web's address.
    const example = readFileSync('public/scenarios/policy-limit-to-workload.yaml', 'utf8');
    const reach = (ranges: string, family?: IpFamilyName) => {
      const [pods, services] = ranges.split(', ').map((x) => x.split(': ')[1]);
      const text = example.replace(
        'networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n',
        `networking:\n  ipFamily: dual\n  podSubnet: ${pods}\n  serviceSubnet: ${services}\n`,
      );
      const r = realize(parsed(text));
      return renderReach(reachMatrix(policyContext(r.policies, r.namespaces), r, family ? { family } : {}));
    };
    expect(reach(FIRST4)).toMatch(/\(10\.244\./);
    expect(reach(FIRST6)).toMatch(/\(fd00:10:244:/);
    expect(reach(FIRST6, 'IPv4')).toBe(reach(FIRST4));
    expect(reach(FIRST6)).toBe(reach(FIRST4, 'IPv6'));
  });
});
