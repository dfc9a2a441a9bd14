// A SingleStack IPv6 Service in a dual-stack cluster: only the IPv6 proxier writes its rules, an IPv6 trace is
// DNATed to a pod's IPv6 address, and IPv4 (a trace or an A query) is refused with the reason.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane } from '../dataplane/dataplane';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from '../dataplane/ip6tables';
import { trace } from './trace';
import { webDeployment } from '../scenario/webDeployment.testUtil';

const TEXT = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: dual}
nodes: [{role: control-plane}, {role: worker}]
${webDeployment(2)}---
apiVersion: v1
kind: Service
metadata: {name: six}
spec: {type: NodePort, ipFamilies: [IPv6], selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`;

describe('a SingleStack IPv6 Service in a dual-stack cluster', () => {
  const p = parseScenario(TEXT);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  const r = realize(p.scenario);
  const dp = buildDataplane(r);
  const worker = r.nodes[1]!;
  const from = `pod/default/${worker.pods.find((x) => x.name.startsWith('web-'))!.name}`;
  const six = r.services.find((s) => s.name === 'six')!;

  it('has rules in ip6tables only (its NodePort is not opened on the IPv4 addresses)', () => {
    expect(dp.node(worker.name)!.nat.render()).not.toContain('default/six');
    const t6 = nodeIp6tables(r, buildServiceRules6(r)!, worker)!;
    const nat6 = renderIp6tablesSave([t6.nat]);
    expect(nat6).toContain(`-d ${six.clusterIP}/128`);
    expect(nat6).toMatch(/KUBE-NODEPORTS -p tcp -m comment --comment "default\/six" -m tcp --dport \d+/);
  });

  it('is DNATed to a pod IPv6 address over IPv6, and refused over IPv4 with why', () => {
    const v6 = trace(dp, { from, to: 'svc/default/six', family: 'IPv6' });
    if (!v6.ok) throw new Error(v6.message);
    expect(v6.result.verdict).toBe('delivered');
    expect(v6.result.hops.find((h) => h.action === 'dnat')!.dstAfter).toMatch(/^\[fd00:10:244:\d::\d\]:8080$/);
    const v4 = trace(dp, { from, to: 'svc/default/six' });
    const why = v4.ok ? v4.result.reason : v4.message;
    expect(why).toMatch(/SingleStack with ipFamilies \[IPv6\]: it has no IPv4 ClusterIP \(trace it with -6\)/);
  });

  it('has an AAAA record and no A record (CoreDNS answers from the ClusterIPs)', () => {
    const a = trace(dp, { from, to: 'six.default.svc.cluster.local' });
    expect(a.ok && a.result.reason).toMatch(/has no A record: .*no IPv4 ClusterIP/);
    const aaaa = trace(dp, { from, to: 'six.default.svc.cluster.local', family: 'IPv6' });
    expect(aaaa.ok && aaaa.result.dns?.answer).toEqual([six.clusterIP]);
  });
});
