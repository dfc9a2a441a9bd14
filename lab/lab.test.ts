// The kernel lab agrees with core: build each scenario in network namespaces
// with the script `k8snet lab` prints, then ask the kernel. Traffic only goes
// to addresses of namespaces this test made; everything is torn down, even
// when a check fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteLookup, renderRoute, type Route } from '../core/dataplane/routes';
import { labNames, labPods, labScript } from '../core/lab/script';
import { renderNftTable } from '../core/dataplane/kubeProxyNftables';
import { DEFAULT_SCENARIO_YAML } from '../core/scenario/defaultScenario';
import { editScenario } from '../core/scenario/edit';
import type { RealizedPod } from '../core/api/types';
import { dataplaneOf, ipOf, kernelLabUnavailable, nsExec, scenarioText, sh } from './kernelLab';
import { trace, CLIENT_PORT } from '../core/trace/trace';
import { tracerouteHops } from '../core/trace/traceroute';

const why = kernelLabUnavailable('the kernel lab agreement tests');
const text = scenarioText;

const oneWebPod = (() => {
  const e = editScenario(DEFAULT_SCENARIO_YAML, { kind: 'replicas', namespace: 'default', name: 'web', value: '1' });
  if (!e.ok) throw new Error(e.message);
  return e.text;
})();

/** "via X dev Y" of a route, or of the kernel's `ip route get` answer. */
const decision = (r: Route) =>
  renderRoute({ ...r, dst: null, proto: undefined, scope: undefined, src: undefined, onlink: false } as Route).replace(
    /^default /,
    '',
  );
function kernelDecision(out: string): string {
  const via = / via (\S+)/.exec(out)?.[1];
  const dev = / dev (\S+)/.exec(out)?.[1];
  return `${via ? `via ${via} ` : ''}dev ${dev}`;
}

const LABS = [
  { title: 'the default scenario (host-gw)', yaml: text() },
  { title: 'the VXLAN scenario', yaml: text('vxlan.yaml') },
  { title: 'a multi-endpoint, multi-port Service', yaml: text('multi-port.yaml') },
  { title: 'a Service with one pod endpoint', yaml: oneWebPod },
  // The same one-pod Service with kube-proxy in nftables mode: the kernel DNATs with core's nft table.
  {
    title: 'kube-proxy in nftables mode',
    yaml: oneWebPod.replace('kubeProxyMode: iptables', 'kubeProxyMode: nftables'),
  },
];

LABS.forEach((lab, i) => {
  describe.skipIf(why !== undefined)(`kernel lab: ${lab.title}`, () => {
    const dp = dataplaneOf(lab.yaml);
    const c = dp.cluster;
    const prefix = `kt${process.pid % 10000}-${i}`;
    const names = labNames(prefix, c);
    const pods = c.nodes.flatMap(labPods);
    const listeners: ChildProcess[] = [];

    beforeAll(() => {
      sh(['bash', '-s'], labScript(dp, { prefix }));
    }, 60_000);
    afterAll(() => {
      for (const l of listeners) l.kill();
      sh(['bash', '-s'], labScript(dp, { prefix, teardown: true }));
      expect(sh(['ip', 'netns', 'list'])).not.toContain(`${prefix}.`);
    }, 60_000);

    it('ip route get, in every node and pod namespace, picks the route core picks for every pod IP', () => {
      const mismatches: string[] = [];
      for (const n of c.nodes) {
        for (const p of pods) {
          const want = decision(dp.routeFor(n, ipOf(p.ip!)));
          const got = kernelDecision(sh(['ip', '-n', names.node(n), 'route', 'get', p.ip!]));
          if (got !== want) mismatches.push(`node ${n.name} → ${p.ip}: kernel "${got}", core "${want}"`);
        }
      }
      for (const src of pods) {
        const table = new RouteLookup(dp.podRoutes(src));
        for (const p of pods) {
          if (p === src) continue;
          const want = decision(table.lookup(ipOf(p.ip!))!);
          const got = kernelDecision(sh(['ip', '-n', names.pod(src), 'route', 'get', p.ip!]));
          if (got !== want) mismatches.push(`pod ${src.name} → ${p.ip}: kernel "${got}", core "${want}"`);
        }
      }
      expect(mismatches).toEqual([]);
    });

    it('traceroute from a pod to a pod on every node shows the hops the tracer predicts', () => {
      const from = pods[0]!;
      const targets = c.nodes
        .map((n) => labPods(n).find((p) => p !== from))
        .filter((p): p is RealizedPod => p !== undefined);
      expect(targets.length).toBeGreaterThan(0);
      for (const to of targets) {
        const r = trace(dp, {
          from: `pod/${from.namespace}/${from.name}`,
          to: `pod/${to.namespace}/${to.name}`,
          port: 33434,
          protocol: 'UDP',
        });
        if (!r.ok) throw new Error(r.message);
        const out = nsExec(names.pod(from), 'traceroute', '-n', '-q', '1', '-w', '2', '-m', '8', to.ip!);
        const hops = out
          .split('\n')
          .slice(1)
          .filter(Boolean)
          .map((l) => l.trim().split(/\s+/)[1]);
        expect({ to: to.name, hops }).toEqual({ to: to.name, hops: tracerouteHops(dp, r.result) });
      }
    });

    it("iptables-save -t nat (and nft, in nftables mode), read back from each node, is core's rendering", () => {
      for (const n of c.nodes) {
        const back = nsExec(names.node(n), 'iptables-save', '-t', 'nat')
          .split('\n')
          .filter((l) => l && !l.startsWith('#'))
          .join('\n');
        // Only the packet counters differ: the lab has carried traffic by now.
        expect(back.replace(/\[\d+:\d+\]/g, '[0:0]')).toBe(dp.node(n.name)!.nat.render());
        const nft = dp.node(n.name)!.nft;
        if (nft) {
          const sorted = (t: string) =>
            t.replace(
              /elements = \{([^}]*)\}/g,
              (_, b: string) =>
                `elements = {${b
                  .split(',')
                  .map((e) => e.trim())
                  .sort()
                  .join(', ')}}`,
            );
          expect(sorted(nsExec(names.node(n), 'nft', 'list', 'table', 'ip', 'kube-proxy'))).toBe(
            sorted(renderNftTable(nft)),
          );
        }
      }
    });

    it('a connection to a one-endpoint ClusterIP arrives, and conntrack holds the DNAT the tracer predicts', async () => {
      // The first Service with exactly one endpoint: default/kubernetes (the API server on a node), or a one-pod Service.
      const svc = [...c.services]
        .reverse()
        .find(
          (s) => s.clusterIP && s.endpoints.length === 1 && s.ports.length === 1 && s.ports[0]!.protocol === 'TCP',
        )!;
      const ep = svc.endpoints[0]!;
      const epPod = pods.find((p) => p.ip === ep.ip);
      const client = pods.find((p) => p.node !== ep.node) ?? pods.find((p) => p !== epPod)!;
      const listenNs = epPod ? names.pod(epPod) : names.node(c.nodes.find((n) => n.name === ep.node)!);
      const server = spawn('ip', [
        'netns',
        'exec',
        listenNs,
        process.execPath,
        '-e',
        `require('net').createServer((s) => s.end('hello from ' + s.localAddress + '\\n')).listen(${ep.port}, '0.0.0.0', () => console.log('ready'))`,
      ]);
      listeners.push(server);
      await new Promise<void>((ok, fail) => {
        server.stdout!.once('data', () => ok());
        server.once('exit', (code) => fail(new Error(`listener exited ${code}`)));
      });
      const port = svc.ports[0]!.port;
      const answer = nsExec(
        names.pod(client),
        process.execPath,
        '-e',
        `const s = require('net').connect({ host: '${svc.clusterIP}', port: ${port}, localPort: ${CLIENT_PORT} }); s.setTimeout(4000, () => { console.log('timeout'); process.exit(1); }); s.on('data', (d) => process.stdout.write(d));`,
      );
      expect(answer.trim()).toBe(`hello from ${ep.ip}`);

      const r = trace(dp, {
        from: `pod/${client.namespace}/${client.name}`,
        to: `svc/${svc.namespace}/${svc.name}`,
        port,
      });
      if (!r.ok) throw new Error(r.message);
      expect(r.result.verdict).toBe('delivered');
      // MASQUERADE --random-fully picks a random source port: when the reply goes to a rewritten address, its port is not compared.
      const tuples = (line: string) => {
        const [o, r] = [...line.matchAll(/src=(\S+) dst=(\S+) sport=(\d+) dport=(\d+)/g)].map((m) => m.slice(1));
        if (o && r && r[1] !== o[0]) r[3] = '*';
        return `${o?.join(' ')} | ${r?.join(' ')}`;
      };
      const predicted = r.result.conntrack.map(tuples);
      const kernel = nsExec(
        names.node(c.nodes.find((n) => n.name === client.node)!),
        'conntrack',
        '-L',
        '-p',
        'tcp',
        '--orig-dst',
        svc.clusterIP!,
      )
        .split('\n')
        .filter(Boolean)
        .map(tuples);
      expect(predicted.length).toBe(1);
      expect({ kernel, predicted: predicted[0] }).toEqual({
        kernel: expect.arrayContaining([predicted[0]]),
        predicted: predicted[0],
      });
    }, 30_000);
  });
});
