// NetworkPolicy on IPv6 traces: kube-network-policies queues an IPv6 connection through its podips-v6 set and
// judges it at the pods' IPv6 addresses, so an ipBlock of one family never matches the other family's packet.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { buildDataplane } from '../dataplane/dataplane';
import { trace } from './trace';

const withBlock = (cidr: string) => {
  const p = parseScenario(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {ipFamily: dual}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec: {nodeName: kind-worker, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: server, labels: {app: server}}
spec: {nodeName: kind-worker2, containers: [{name: s, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-block}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{ipBlock: {cidr: ${cidr}}}]
`);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return buildDataplane(realize(p.scenario));
};
const policyHop = (dp: ReturnType<typeof withBlock>, family: 'IPv4' | 'IPv6') => {
  const r = trace(dp, { from: 'pod/default/client', to: 'pod/default/server', family });
  if (!r.ok) throw new Error(r.message);
  return { verdict: r.result.verdict, hop: r.result.hops.find((h) => h.device.startsWith('NetworkPolicy'))! };
};

describe('NetworkPolicy verdicts over IPv6', () => {
  it("an IPv4 ipBlock admits the IPv4 connection and not the IPv6 one, judged at the client's IPv6 address", () => {
    const dp = withBlock('10.244.1.0/24');
    expect(policyHop(dp, 'IPv4')).toMatchObject({ verdict: 'delivered', hop: { action: 'allow' } });
    const six = policyHop(dp, 'IPv6');
    expect(six.verdict).toBe('dropped');
    expect(six.hop).toMatchObject({
      node: 'kind-worker2',
      action: 'drop',
      src: '[fd00:10:244:1::2]:40000',
      dst: '[fd00:10:244:2::2]:8080',
      rule: 'postrouting: ip6 daddr @podips-v6 queue to 100\nset podips-v6: fd00:10:244:2::2',
    });
    expect(six.hop.explain).toContain('no rule allows TCP 8080 from pod default/client (fd00:10:244:1::2)');
  });

  it('an IPv6 ipBlock admits the IPv6 connection and not the IPv4 one', () => {
    const dp = withBlock('fd00:10:244:1::/64');
    expect(policyHop(dp, 'IPv6')).toMatchObject({ verdict: 'delivered', hop: { action: 'allow' } });
    expect(policyHop(dp, 'IPv6').hop.explain).toContain('allowed by default/from-block ingress[0]');
    expect(policyHop(dp, 'IPv4')).toMatchObject({ verdict: 'dropped', hop: { action: 'drop' } });
  });
});
