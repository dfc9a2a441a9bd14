// A dual-stack lab on a real kernel: the lab script gives every namespace its IPv6 side (addresses, `ip -6 route`
// as core computes it, ip6tables loaded with ip6tables-restore), and IPv6 traffic flows as core says: pod -> pod
// across nodes untranslated, pod -> a Service's IPv6 ClusterIP DNATed by the IPv6 proxier's rules to a pod's IPv6
// address and answered, with conntrack holding the DNAT. The IPv4 side of the same lab still works.
import { describe, expect, it } from 'vitest';
import { labPods } from '../core/lab/script';
import { connect, startEchoServers, webAndClients } from './echoLab';
import { dataplaneOf, kernelLabUnavailable, labForSuite, nsExec } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab IPv6 tests');

const dualLab = (cni: string) => webAndClients(`  ipFamily: dual\n  cni: ${cni}`, '  ipFamilyPolicy: PreferDualStack');

for (const cni of ['host-gw', 'vxlan'])
  describe.skipIf(why !== undefined)(`kernel lab: a dual-stack cluster (${cni})`, () => {
    const dp = dataplaneOf(dualLab(cni));
    const c = dp.cluster;
    const { names, servers } = labForSuite(dp, `v6${cni === 'vxlan' ? 'x' : 'h'}`);
    const pods = c.nodes.flatMap(labPods);
    const webs = pods.filter((p) => p.labels.app === 'web');
    const clients = pods.filter((p) => p.labels.app === 'client');
    const v6 = (p: { ips?: string[] }) => p.ips!.find((ip) => ip.includes(':'))!;

    const startServers = () => startEchoServers(webs.map(names.pod), 8080, servers);

    it('every namespace has its IPv6 address, and each node the IPv6 routes core computes', () => {
      for (const p of pods)
        expect(nsExec(names.pod(p), 'ip', '-6', '-o', 'addr', 'show', 'dev', 'eth0')).toContain(
          `inet6 ${v6(p)}/64 scope global`,
        );
      for (const n of c.nodes) {
        const routes = nsExec(names.node(n), 'ip', '-6', 'route');
        for (const o of c.nodes) if (o !== n) expect(routes).toContain(`${o.podCIDRs![1]} via `);
        expect(nsExec(names.node(n), 'ip6tables-save', '-t', 'nat')).toContain('! -d ::1/128');
      }
    });

    it("pod -> pod over IPv6 across nodes arrives with the client pod's IPv6 address (no NAT inside the cluster)", async () => {
      await startServers();
      const web = webs[0]!;
      const client = clients.find((p) => p.node !== web.node)!;
      expect(client).toBeDefined();
      expect(await connect(names.pod(client), v6(web), 8080)).toBe(`${v6(web)} ${v6(client)}`);
      // The IPv4 side of the same lab is untouched.
      expect(await connect(names.pod(client), web.ip!, 8080)).toBe(`${web.ip} ${client.ip}`);
    });

    it("pod -> the Service's IPv6 ClusterIP is DNATed to a web pod's IPv6 address and answered; conntrack holds the DNAT", async () => {
      await startServers();
      const svc = c.services.find((s) => s.name === 'web')!;
      const vip = svc.clusterIPs!.find((ip) => ip.includes(':'))!;
      const endpoints6 = new Set(webs.map(v6));
      for (const client of clients) {
        const answer = await connect(names.pod(client), vip, 80);
        const [local, remote] = answer.split(' ');
        expect(endpoints6.has(local!), `${client.name} got "${answer}"`).toBe(true);
        expect(remote).toBe(v6(client));
        const node = c.nodes.find((n) => n.name === client.node)!;
        const ct = nsExec(names.node(node), 'conntrack', '-L', '-f', 'ipv6', '-p', 'tcp', '--orig-dst', vip);
        // Original tuple to the ClusterIP, reply tuple from the endpoint: the DNAT, un-done on the way back.
        expect(ct).toMatch(
          new RegExp(`src=${v6(client)} dst=${vip} sport=\\d+ dport=80 .*src=${local} dst=${v6(client)} sport=8080`),
        );
      }
    });
  });
