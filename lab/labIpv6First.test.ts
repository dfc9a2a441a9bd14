// An IPv6-first dual-stack lab on a real kernel (kind: podSubnet fd00:10:244::/56,10.244.0.0/16): the realized
// objects' primary fields hold IPv6, and the lab still gives every namespace both sides, IPv4 from the IPv4 addresses
// and IPv6 from the IPv6 ones. Traffic flows as core traces it: pod -> pod across nodes untranslated in each family,
// pod -> each of a PreferDualStack Service's ClusterIPs (IPv6 first) DNATed to a web pod's address of that family.
import { describe, expect, it } from 'vitest';
import { podIp } from '../core/api/familyFields';
import type { IpFamilyName } from '../core/ip/anyIp';
import { labPods } from '../core/lab/script';
import { connect, startEchoServers, webAndClients } from './echoLab';
import { dataplaneOf, kernelLabUnavailable, labForSuite, nsExec } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab IPv6-first tests');

const firstSix = (cni: string) =>
  webAndClients(
    `  ipFamily: dual\n  podSubnet: fd00:10:244::/56,10.244.0.0/16\n  serviceSubnet: fd00:10:96::/112,10.96.0.0/16\n  cni: ${cni}`,
    '  ipFamilyPolicy: PreferDualStack',
  );

const FAMILIES: IpFamilyName[] = ['IPv6', 'IPv4'];

for (const cni of ['host-gw', 'vxlan'])
  describe.skipIf(why !== undefined)(`kernel lab: an IPv6-first dual-stack cluster (${cni})`, () => {
    const dp = dataplaneOf(firstSix(cni));
    const c = dp.cluster;
    const { names, servers } = labForSuite(dp, `f6${cni === 'vxlan' ? 'x' : 'h'}`);
    const pods = c.nodes.flatMap(labPods);
    const webs = pods.filter((p) => p.labels.app === 'web');
    const clients = pods.filter((p) => p.labels.app === 'client');
    const startServers = () => startEchoServers(webs.map(names.pod), 8080, servers);

    it("every pod's eth0 holds both its addresses, the IPv6 one (status.podIP) and the IPv4 one", () => {
      expect(c.cluster.podCIDR).toBe('fd00:10:244::/56');
      for (const p of pods) {
        expect(p.ip).toBe(podIp(p, 'IPv6'));
        const eth0 = nsExec(names.pod(p), 'ip', '-o', 'addr', 'show', 'dev', 'eth0');
        expect(eth0).toContain(`inet ${podIp(p, 'IPv4')}/24 `);
        expect(eth0).toContain(`inet6 ${podIp(p, 'IPv6')}/64 scope global`);
      }
    });

    it.each(FAMILIES)("pod -> pod over %s across nodes arrives with the client's own address", async (f) => {
      await startServers();
      const web = webs[0]!;
      const client = clients.find((p) => p.node !== web.node)!;
      expect(await connect(names.pod(client), podIp(web, f)!, 8080)).toBe(`${podIp(web, f)} ${podIp(client, f)}`);
    });

    it.each(FAMILIES)(
      "pod -> the Service's %s ClusterIP is DNATed to a web pod's address of that family",
      async (f) => {
        await startServers();
        const svc = c.services.find((s) => s.name === 'web')!;
        expect(svc.ipFamilies).toEqual(FAMILIES);
        const vip = svc.clusterIPs![FAMILIES.indexOf(f)]!;
        const endpoints = new Set(webs.map((p) => podIp(p, f)));
        for (const client of clients) {
          const answer = await connect(names.pod(client), vip, 80);
          const [local, remote] = answer.split(' ');
          expect(endpoints.has(local), `${client.name} -> ${vip} got "${answer}"`).toBe(true);
          expect(remote).toBe(podIp(client, f));
        }
      },
    );
  });
