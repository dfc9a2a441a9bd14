// An IPv6 single-stack lab on a real kernel (kind `networking.ipFamily: ipv6`): the lab is the dual-stack lab's IPv6
// side alone. No namespace holds an IPv4 address or route, each node holds the IPv6 routes core computes, and IPv6
// traffic flows as core says: pod -> pod across nodes untranslated, pod -> the Service's IPv6 ClusterIP DNATed to a
// web pod and answered (conntrack holds the DNAT), and the underlay -> a node's IPv6 address at the NodePort answered.
import { describe, expect, it } from 'vitest';
import { nodeGateway, nodeIp, nodePodCidr, podIp } from '../core/api/familyFields';
import { nodeRoutes6, renderRoute6 } from '../core/dataplane/routes6';
import { labPods } from '../core/lab/script';
import { connect, startEchoServers, webAndClients } from './echoLab';
import { dataplaneOf, kernelLabUnavailable, labForSuite, nsExec } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab IPv6 single-stack tests');

const ipv6Lab = (cni: string, mode: string) =>
  webAndClients(`  ipFamily: ipv6\n  cni: ${cni}\n  kubeProxyMode: ${mode}`, '  type: NodePort');

const SUITES = [
  { cni: 'host-gw', mode: 'iptables', tag: 'o6h' },
  { cni: 'vxlan', mode: 'iptables', tag: 'o6x' },
  { cni: 'vxlan', mode: 'nftables', tag: 'o6n' },
];

for (const { cni, mode, tag } of SUITES)
  describe.skipIf(why !== undefined)(`kernel lab: an IPv6 single-stack cluster (${cni}, ${mode})`, () => {
    const dp = dataplaneOf(ipv6Lab(cni, mode));
    const c = dp.cluster;
    const { names, servers } = labForSuite(dp, tag);
    const pods = c.nodes.flatMap(labPods);
    const webs = pods.filter((p) => p.labels.app === 'web');
    const clients = pods.filter((p) => p.labels.app === 'client');
    const v6 = (p: (typeof pods)[number]) => podIp(p, 'IPv6')!;
    const startServers = () => startEchoServers(webs.map(names.pod), 8080, servers);
    const vip = c.services.find((s) => s.name === 'web')!.clusterIP!;

    it('every pod has only its IPv6 address, no namespace an IPv4 one, and each node the IPv6 routes core computes', () => {
      expect(c.cluster.ipFamily).toBe('ipv6');
      for (const p of pods) {
        const eth0 = nsExec(names.pod(p), 'ip', '-o', 'addr', 'show', 'dev', 'eth0');
        expect(eth0).toContain(`inet6 ${v6(p)}/64 scope global`);
        expect(eth0).not.toContain('inet ');
        expect(nsExec(names.pod(p), 'ip', '-4', 'route')).toBe('');
      }
      expect(nsExec(names.underlay, 'ip', '-o', 'addr', 'show', 'dev', 'br0')).not.toContain('inet ');
      for (const n of c.nodes) {
        const ns = names.node(n);
        // Only lo's 127.0.0.1: no IPv4 address on eth0, cni0 or anywhere else, no flannel.1, no IPv4 route.
        expect(nsExec(ns, 'ip', '-4', '-o', 'addr').trim().split('\n')).toEqual([
          expect.stringMatching(/^1: lo +inet 127\.0\.0\.1\/8 /),
        ]);
        expect(nsExec(ns, 'ip', '-4', 'route')).toBe('');
        expect(nsExec(ns, 'ip', '-o', 'link', 'show', 'dev', 'cni0')).toContain('cni0');
        const links = nsExec(ns, 'ip', '-o', 'link');
        expect(links).not.toContain('flannel.1');
        expect(links.includes('flannel-v6.1')).toBe(cni === 'vxlan');
        const kernel = nsExec(ns, 'ip', '-6', 'route')
          .split('\n')
          .map((l) => l.trimEnd());
        const computed = nodeRoutes6(c, n)!.filter((r) => r.proto !== 'kernel');
        expect(computed.length).toBeGreaterThanOrEqual(c.nodes.length);
        for (const r of computed) expect(kernel, n.name).toContain(renderRoute6(r));
        const nat6 = nsExec(ns, 'ip6tables-save', '-t', 'nat');
        expect(nat6).toContain('flanneld masq');
        // kube-proxy's IPv6 proxier only: its rules in ip6tables (iptables mode) or `table ip6 kube-proxy`, none in IPv4.
        expect(nat6.includes(`-d ${vip}/128`)).toBe(mode === 'iptables');
        const tables = nsExec(ns, 'nft', 'list', 'tables');
        expect(tables.includes('table ip6 kube-proxy')).toBe(mode === 'nftables');
        expect(tables).not.toContain('table ip kube-proxy');
        expect(nsExec(ns, 'iptables-save')).not.toMatch(/^-A /m);
      }
    });

    it("pod -> pod over IPv6 across nodes arrives with the client pod's own address (no NAT inside the cluster)", async () => {
      await startServers();
      for (const web of webs) {
        const client = clients.find((p) => p.node !== web.node)!;
        expect(client).toBeDefined();
        expect(await connect(names.pod(client), v6(web), 8080)).toBe(`${v6(web)} ${v6(client)}`);
      }
    });

    it("pod -> the Service's IPv6 ClusterIP is DNATed to a web pod and answered; conntrack -f ipv6 holds the DNAT", async () => {
      await startServers();
      const svc = c.services.find((s) => s.name === 'web')!;
      expect(svc.clusterIPs).toEqual([vip]);
      expect(vip).toContain(':');
      const endpoints = new Set(webs.map(v6));
      for (const client of clients) {
        const answer = await connect(names.pod(client), vip, 80);
        const [local, remote] = answer.split(' ');
        expect(endpoints.has(local!), `${client.name} got "${answer}"`).toBe(true);
        expect(remote).toBe(v6(client));
        const node = c.nodes.find((n) => n.name === client.node)!;
        const ct = nsExec(names.node(node), 'conntrack', '-L', '-f', 'ipv6', '-p', 'tcp', '--orig-dst', vip);
        expect(ct).toMatch(
          new RegExp(`src=${v6(client)} dst=${vip} sport=\\d+ dport=80 .*src=${local} dst=${v6(client)} sport=8080`),
        );
      }
    });

    it("the underlay -> each node's IPv6 address at the NodePort is DNATed to a web pod, masqueraded and answered", async () => {
      await startServers();
      const svc = c.services.find((s) => s.name === 'web')!;
      const nodePort = svc.ports[0]!.nodePort!;
      const endpoints = new Set(webs.map(v6));
      for (const n of c.nodes) {
        const answer = await connect(names.underlay, nodeIp(n, 'IPv6')!, nodePort);
        const [local, remote] = answer.split(' ');
        expect(endpoints.has(local!), `${n.name} [${nodeIp(n, 'IPv6')}]:${nodePort} got "${answer}"`).toBe(true);
        // externalTrafficPolicy Cluster: masqueraded to the address of the device toward the endpoint, never the
        // underlay's: cni0's gateway for a pod on the node, else eth0's (host-gw) or flannel-v6.1's (VXLAN).
        const web = webs.find((p) => v6(p) === local)!;
        const snat =
          web.node === n.name
            ? nodeGateway(n, 'IPv6')
            : cni === 'vxlan'
              ? nodePodCidr(n, 'IPv6')!.split('/')[0]
              : nodeIp(n, 'IPv6');
        expect(remote, `${n.name} -> ${web.name}`).toBe(snat);
        const ct = nsExec(
          names.node(n),
          'conntrack',
          '-L',
          '-f',
          'ipv6',
          '-p',
          'tcp',
          '--orig-dst',
          nodeIp(n, 'IPv6')!,
        );
        expect(ct).toMatch(new RegExp(`dport=${nodePort} .*src=${local} dst=${remote} sport=8080`));
      }
    });
  });
