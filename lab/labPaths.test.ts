// Paths between every pair, on a real kernel: traceroute from every pod to
// every other pod shows the tracer's hops, and a server in a pod sees each
// client (every other pod, every node) at the source address the tracer says
// the packet arrives with: the model's "pod to pod and node to pod without NAT".
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { labPods } from '../core/lab/script';
import type { RealizedPod } from '../core/api/types';
import { trace } from '../core/trace/trace';
import { tracerouteHops } from '../core/trace/traceroute';
import { dataplaneOf, kernelLabUnavailable, labForSuite, nsExec, scenarioText } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab path tests');

const LABS = [
  { title: 'the default scenario (host-gw)', file: undefined },
  { title: 'the VXLAN scenario', file: 'vxlan.yaml' },
  { title: 'a multi-endpoint, multi-port Service', file: 'multi-port.yaml' },
];

const ref = (p: RealizedPod) => `pod/${p.namespace}/${p.name}`;
const hostOf = (hp: string) => hp.split(':')[0]!;
/** A port the pod declares (so the tracer delivers), else one nothing else uses in the lab. */
const portOf = (p: RealizedPod) => p.ports.find((x) => x.protocol === 'TCP')?.containerPort ?? 9000;

LABS.forEach((lab, i) => {
  describe.skipIf(why !== undefined)(`kernel lab paths: ${lab.title}`, () => {
    const dp = dataplaneOf(scenarioText(lab.file));
    const c = dp.cluster;
    const { names, servers } = labForSuite(dp, `p${i}`);
    const pods = c.nodes.flatMap(labPods);

    it('traceroute from every pod to every other pod shows the hops the tracer predicts', () => {
      const mismatches: string[] = [];
      for (const from of pods) {
        for (const to of pods) {
          if (from === to) continue;
          const r = trace(dp, { from: ref(from), to: ref(to), port: 33434, protocol: 'UDP' });
          if (!r.ok) throw new Error(r.message);
          const want = tracerouteHops(dp, r.result);
          const out = nsExec(names.pod(from), 'traceroute', '-n', '-q', '1', '-w', '2', '-m', '8', to.ip!);
          const got = out
            .split('\n')
            .slice(1)
            .filter(Boolean)
            .map((l) => l.trim().split(/\s+/)[1]);
          if (JSON.stringify(got) !== JSON.stringify(want))
            mismatches.push(`traceroute -n ${to.ip} in ${from.name}: kernel ${got.join(' ')}; core ${want.join(' ')}`);
        }
      }
      expect(mismatches).toEqual([]);
    }, 120_000);

    it('a server in one pod per node sees every other pod and every node at the source address the tracer predicts', async () => {
      const targets = c.nodes.map((n) => labPods(n)[0]).filter((p): p is RealizedPod => p !== undefined);
      for (const t of targets) {
        const s = spawn('ip', [
          'netns',
          'exec',
          names.pod(t),
          process.execPath,
          '-e',
          `require('net').createServer((s) => s.end(s.remoteAddress + '\\n')).listen(${portOf(t)}, '0.0.0.0', () => console.log('ready'))`,
        ]);
        servers.push(s);
        await new Promise<void>((ok, fail) => {
          s.stdout!.once('data', () => ok());
          s.once('exit', (code) => fail(new Error(`server in ${t.name} exited ${code}`)));
        });
      }
      const clients = [
        ...pods.map((p) => ({ label: `pod ${p.name}`, ns: names.pod(p), ref: ref(p) })),
        ...c.nodes.map((n) => ({ label: `node ${n.name}`, ns: names.node(n), ref: `node/${n.name}` })),
      ];
      const mismatches: string[] = [];
      for (const t of targets) {
        for (const cl of clients) {
          if (cl.ref === ref(t)) continue;
          const r = trace(dp, { from: cl.ref, to: ref(t), port: portOf(t) });
          if (!r.ok) throw new Error(r.message);
          const want =
            r.result.verdict === 'delivered'
              ? hostOf(r.result.hops[r.result.hops.length - 1]!.srcAfter)
              : `(${r.result.verdict}: ${r.result.reason})`;
          // An ordinary unbound client, as curl from a node or a pod would be: the kernel picks the source address.
          const got = nsExec(
            cl.ns,
            process.execPath,
            '-e',
            `const s = require('net').connect({ host: '${t.ip}', port: ${portOf(t)} }); s.setTimeout(4000, () => { console.log('timeout'); process.exit(1); }); s.on('data', (d) => process.stdout.write(d));`,
          ).trim();
          if (got !== want)
            mismatches.push(`${cl.label} → ${t.name} ${t.ip}:${portOf(t)}: server sees ${got}; tracer says ${want}`);
        }
      }
      expect(mismatches).toEqual([]);
    }, 120_000);
  });
});
