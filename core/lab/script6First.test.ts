// The lab of an IPv6-first dual-stack cluster (kind: podSubnet fd00:10:244::/56,10.244.0.0/16): its primary fields
// hold IPv6, but the lab still gives every namespace its IPv4 side from the IPv4 addresses and its IPv6 side from the
// IPv6 ones, so the same cluster listed IPv4 first builds the very same addresses, links, routes and VXLAN entries.
import { describe, expect, it } from 'vitest';
import { buildDataplane } from '../dataplane/dataplane';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { webDeployment } from '../scenario/webDeployment.testUtil';
import { labScript } from './script';

const lab = (cni: string, podSubnet: string, serviceSubnet: string) => {
  const p = parseScenario(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: order
networking: {ipFamily: dual, cni: ${cni}, podSubnet: "${podSubnet}", serviceSubnet: "${serviceSubnet}"}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
${webDeployment(3)}`);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return labScript(buildDataplane(realize(p.scenario)), { prefix: 'lab' });
};
/** The lines that build namespaces, links, addresses, routes and flannel's VXLAN entries (not the rule sets). */
const plumbing = (script: string) =>
  script
    .split('\n')
    .filter(
      (l) =>
        /^ip (-n \S+ )?(netns add|link|addr|-6 addr|route|-6 route|neigh|-6 neigh)|bridge fdb/.test(l) ||
        l.includes(' bridge fdb '),
    );

describe.each(['host-gw', 'vxlan'])('an IPv6-first lab (%s)', (cni) => {
  const first6 = lab(cni, 'fd00:10:244::/56,10.244.0.0/16', 'fd00:10:96::/112,10.96.0.0/16');
  const first4 = lab(cni, '10.244.0.0/16,fd00:10:244::/56', '10.96.0.0/16,fd00:10:96::/112');

  it('builds the same plumbing as the cluster listed IPv4 first', () => {
    expect(plumbing(first6).length).toBeGreaterThan(60);
    expect(plumbing(first6)).toEqual(plumbing(first4));
  });

  it("gives eth0 and cni0 their IPv4 addresses without -6, and the pods' IPv4 addresses", () => {
    const v4 = first6.split('\n').filter((l) => / addr add /.test(l) && !/ -6 /.test(l));
    expect(v4.some((l) => l.includes(':'))).toBe(false);
    expect(v4).toContain('ip -n lab.node-order-worker addr add 172.18.0.3/16 dev eth0');
    expect(v4).toContain('ip -n lab.node-order-worker addr add 10.244.1.1/24 dev cni0');
    expect(first6).toContain('# ---- node order-worker: eth0 172.18.0.3, PodCIDR 10.244.1.0/24');
    expect(
      v4.filter((l) => /^ip -n lab\.pod-default\.web-\S+ addr add 10\.244\.\d\.\d+\/24 dev eth0$/.test(l)),
    ).toHaveLength(3);
  });
});
