// kube-proxy's nftables mode on a real kernel (nodeport.yaml, one frontend pod, kubeProxyMode
// nftables): what the table refuses, the kernel refuses, and the tracer says so. kube-proxy v1.33
// cluster-ips-check rejects a ClusterIP's missing port and drops an unallocated Service address;
// --nodeport-addresses primary leaves cni0's address and 127.0.0.1 out of @nodeport-ips.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { labPods } from '../core/lab/script';
import { editScenario } from '../core/scenario/edit';
import { trace } from '../core/trace/trace';
import { dataplaneOf, kernelLabUnavailable, labForSuite, scenarioText } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab nftables tests');
const run = promisify(execFile);

/** What a TCP client in `ns` gets from ip:port: "answered", "refused" (RST or ICMP unreachable) or "no answer" (dropped). */
async function connect(ns: string, ip: string, port: number): Promise<string> {
  try {
    const { stdout } = await run('ip', [
      'netns',
      'exec',
      ns,
      process.execPath,
      '-e',
      `const s = require('net').connect({ host: '${ip}', port: ${port} }); s.setTimeout(1500, () => { console.log('no answer'); process.exit(0); }); s.on('error', (e) => { console.log(e.code === 'ECONNREFUSED' ? 'refused' : e.code); process.exit(0); }); s.on('data', () => { console.log('answered'); process.exit(0); });`,
    ]);
    return stdout.trim();
  } catch {
    return 'client failed';
  }
}

const yaml = (() => {
  const e = editScenario(scenarioText('nodeport.yaml'), {
    kind: 'replicas',
    namespace: 'default',
    name: 'frontend',
    value: '1',
  });
  if (!e.ok) throw new Error(e.message);
  return e.text.replace(/^networking:$/m, 'networking:\n  kubeProxyMode: nftables');
})();

/** The tracer's outcome in the client's terms. */
const predicted = (v: string) => (v === 'delivered' ? 'answered' : v === 'unreachable' ? 'refused' : 'no answer');

describe.skipIf(why !== undefined)(
  'kernel lab: kube-proxy nftables mode refusals (nodeport.yaml, one frontend pod)',
  () => {
    const dp = dataplaneOf(yaml);
    const c = dp.cluster;
    const { names, servers } = labForSuite(dp, 'nft');

    it('cluster-ips-check, cni0-address and localhost NodePorts: the kernel does what the trace says', async () => {
      expect(c.cluster.kubeProxyMode).toBe('nftables');
      const svc = c.services.find((s) => s.name === 'frontend')!;
      const ep = svc.endpoints[0]!;
      const epPod = c.nodes.flatMap(labPods).find((p) => p.ip === ep.ip)!;
      const s = spawn('ip', [
        'netns',
        'exec',
        names.pod(epPod),
        process.execPath,
        '-e',
        `require('net').createServer((s) => s.end('hi\\n')).listen(${ep.port}, '0.0.0.0', () => console.log('ready'))`,
      ]);
      servers.push(s);
      await new Promise<void>((ok, fail) => {
        s.stdout!.once('data', () => ok());
        s.once('exit', (code) => fail(new Error(`server exited ${code}`)));
      });
      const clientNode = c.nodes.find((n) => n.name !== epPod.node && labPods(n).length > 0) ?? c.nodes[0]!;
      const client = labPods(clientNode)[0]!;
      const nodePort = svc.ports[0]!.nodePort!;
      const cases = [
        {
          what: 'the ClusterIP',
          ns: names.pod(client),
          ref: `pod/${client.namespace}/${client.name}`,
          to: `${svc.clusterIP}:${svc.ports[0]!.port}`,
          want: 'answered',
        },
        {
          what: 'a port the Service lacks',
          ns: names.pod(client),
          ref: `pod/${client.namespace}/${client.name}`,
          to: `${svc.clusterIP}:81`,
          want: 'refused',
        },
        {
          what: 'an unallocated Service address',
          ns: names.pod(client),
          ref: `pod/${client.namespace}/${client.name}`,
          to: '10.100.0.99:80',
          want: 'no answer',
        },
        {
          what: 'the NodePort on the node IP',
          ns: names.pod(client),
          ref: `pod/${client.namespace}/${client.name}`,
          to: `${clientNode.ip}:${nodePort}`,
          want: 'answered',
        },
        {
          what: "the NodePort on cni0's address",
          ns: names.pod(client),
          ref: `pod/${client.namespace}/${client.name}`,
          to: `${clientNode.gateway}:${nodePort}`,
          want: 'refused',
        },
        {
          what: 'the NodePort on 127.0.0.1',
          ns: names.node(clientNode),
          ref: `node/${clientNode.name}`,
          to: `127.0.0.1:${nodePort}`,
          want: 'refused',
        },
      ];
      const rows = await Promise.all(
        cases.map(async (k) => {
          const r = trace(dp, { from: k.ref, to: k.to });
          if (!r.ok) throw new Error(r.message);
          const [ip, port] = [k.to.slice(0, k.to.lastIndexOf(':')), Number(k.to.slice(k.to.lastIndexOf(':') + 1))];
          return {
            what: k.what,
            kernel: await connect(k.ns, ip, port),
            tracer: predicted(r.result.verdict),
            want: k.want,
          };
        }),
      );
      expect(rows.map((r) => `${r.what}: kernel ${r.kernel}, tracer ${r.tracer}`)).toEqual(
        rows.map((r) => `${r.what}: kernel ${r.want}, tracer ${r.want}`),
      );
    }, 120_000);
  },
);
