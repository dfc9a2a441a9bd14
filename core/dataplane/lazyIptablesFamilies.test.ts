// The walker's iptables and ip6tables are written lazily, one Service port at a time, each rule at the position it
// has in the whole table (ServiceChainPositions counts every Service port's rules in the long chains). A Service's
// families may have different endpoints: one whose pods all run on a node with a pinned single (IPv4) podCIDR has
// IPv4 endpoints and no IPv6 ones, whichever family it lists first. Each family's count must read that family's.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { endpointsIn } from '../api/familyFields';
import type { IpFamilyName } from '../ip/anyIp';
import { parseAny } from '../ip/anyIp';
import { buildDataplane } from './dataplane';
import { nodeIp6tables } from './ip6tables';
import { renderRule } from './iptablesRule';
import { DUAL_SCENARIO } from './dualStack.testUtil';

const SOLO = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: solo}
spec:
  replicas: 1
  selector: {matchLabels: {app: solo}}
  template:
    metadata: {labels: {app: solo}}
    spec: {nodeName: kind-worker3, containers: [{name: solo, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: solo}
spec:
  type: NodePort
  ipFamilyPolicy: RequireDualStack
  ipFamilies: [FAMILIES]
  selector: {app: solo}
  ports: [{port: 80, targetPort: 8080}]
`;

function cluster(ranges: string, families: string) {
  const text = (DUAL_SCENARIO() + SOLO.replace('FAMILIES', families))
    .replace('networking: {ipFamily: dual,', `networking: {ipFamily: dual, ${ranges},`)
    .replace('{role: worker}]', '{role: worker}, {role: worker, podCIDR: 10.244.9.0/24}]');
  const r = parseScenario(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return realize(r.scenario);
}

describe.each([
  ['IPv4-first', 'podSubnet: "10.244.0.0/16,fd00:10:244::/56", serviceSubnet: "10.96.0.0/16,fd00:10:96::/112"'],
  ['IPv6-first', 'podSubnet: "fd00:10:244::/56,10.244.0.0/16", serviceSubnet: "fd00:10:96::/112,10.96.0.0/16"'],
])('%s cluster', (_, ranges) => {
  it.each(['IPv4, IPv6', 'IPv6, IPv4'])(
    'a Service [%s] with IPv4 endpoints only: the walker reads each rule where the full table has it',
    (families) => {
      const c = cluster(ranges, families);
      const solo = c.services.find((s) => s.name === 'solo')!;
      expect([endpointsIn(solo, 'IPv4').length, endpointsIn(solo, 'IPv6').length]).toEqual([1, 0]);
      const dp = buildDataplane(c);
      let checked = 0;
      for (const node of c.nodes) {
        const full = { IPv4: dp.node(node.name)!, IPv6: nodeIp6tables(c, dp.services6()!, node)! };
        const k = dp.kernel(node.name)!;
        for (const f of ['IPv4', 'IPv6'] as IpFamilyName[]) {
          // A packet to each Service's ClusterIP of the family: the candidates, the NodePorts jump last of all.
          for (const s of c.services) {
            const ip = s.clusterIPs?.find((x) => x.includes(':') === (f === 'IPv6'));
            const dst = ip === undefined ? undefined : parseAny(ip);
            if (!dst?.ok) continue;
            for (const table of ['nat', 'filter'] as const) {
              const rules = full[f][table].chainRules('KUBE-SERVICES').map((r) => renderRule('KUBE-SERVICES', r));
              const key = { dst: dst.value, proto: 'tcp' as const, dport: s.ports[0]!.port };
              const cands = k.table(table, f)?.candidates('KUBE-SERVICES', key) ?? [];
              for (const r of cands) {
                checked++;
                expect([f, table, r.index]).toEqual([f, table, rules.indexOf(renderRule('KUBE-SERVICES', r.rule))]);
              }
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(50);
    },
  );
});
