// NodePorts on a real kernel: every node and every pod of the lab connects to
// every node's IP at each NodePort (externalTrafficPolicy Cluster and Local,
// one endpoint so the kernel's choice is the tracer's), and the endpoint pod
// sees the client at the address the tracer predicts (SNAT or not), or the
// connection fails where the tracer says it is dropped.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { labPods } from '../core/lab/script';
import { editScenario } from '../core/scenario/edit';
import { trace } from '../core/trace/trace';
import { connect } from './echoLab';
import { dataplaneOf, kernelLabUnavailable, labForSuite, scenarioText } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab NodePort tests');

/** nodeport.yaml with one frontend pod: a one-endpoint NodePort, so which endpoint answers is not a coin toss. */
function onePodNodePorts(): string {
  const e = editScenario(scenarioText('nodeport.yaml'), {
    kind: 'replicas',
    namespace: 'default',
    name: 'frontend',
    value: '1',
  });
  if (!e.ok) throw new Error(e.message);
  return e.text;
}

describe.skipIf(why !== undefined)('kernel lab: NodePorts (nodeport.yaml, one frontend pod)', () => {
  const dp = dataplaneOf(onePodNodePorts());
  const c = dp.cluster;
  const { names, servers } = labForSuite(dp, 'np');

  it('each client reaches each node IP:NodePort as the tracer predicts: the source the endpoint sees, or no answer', async () => {
    const svcs = c.services.filter((s) => s.type === 'NodePort' && s.endpoints.length === 1);
    expect(svcs.map((s) => s.name).sort()).toEqual(['frontend', 'frontend-local']);
    const ep = svcs[0]!.endpoints[0]!;
    const epPod = c.nodes.flatMap(labPods).find((p) => p.ip === ep.ip)!;
    const s = spawn('ip', [
      'netns',
      'exec',
      names.pod(epPod),
      process.execPath,
      '-e',
      `require('net').createServer((s) => s.end(s.remoteAddress + '\\n')).listen(${ep.port}, '0.0.0.0', () => console.log('ready'))`,
    ]);
    servers.push(s);
    await new Promise<void>((ok, fail) => {
      s.stdout!.once('data', () => ok());
      s.once('exit', (code) => fail(new Error(`server exited ${code}`)));
    });

    const clients = [
      ...c.nodes.map((n) => ({ label: `node ${n.name}`, ns: names.node(n), ref: `node/${n.name}` })),
      ...c.nodes
        .flatMap(labPods)
        .filter((p) => p !== epPod)
        .map((p) => ({ label: `pod ${p.name}`, ns: names.pod(p), ref: `pod/${p.namespace}/${p.name}` })),
    ];
    // Each probe waits up to 1.5 s for a dropped SYN: run a target's probes side by side.
    const probes = svcs.flatMap((svc) =>
      c.nodes.flatMap((target) => clients.map((cl) => ({ svc, target, cl, nodePort: svc.ports[0]!.nodePort! }))),
    );
    const mismatches: string[] = [];
    for (let i = 0; i < probes.length; i += 16) {
      const batch = probes.slice(i, i + 16);
      const answers = await Promise.all(
        batch.map((b) => connect(b.cl.ns, b.target.ip, b.nodePort, { timeoutMs: 1500 })),
      );
      batch.forEach(({ svc, target, cl, nodePort }, j) => {
        const r = trace(dp, { from: cl.ref, to: `${target.ip}:${nodePort}` });
        if (!r.ok) throw new Error(r.message);
        const last = r.result.hops[r.result.hops.length - 1]!;
        const toPod = last.namespace === `pod ${epPod.namespace}/${epPod.name}`;
        const want =
          r.result.verdict !== 'delivered'
            ? 'no answer'
            : toPod
              ? last.srcAfter.split(':')[0]!
              : `delivered to ${last.namespace} on ${last.node}`;
        const got = answers[j]!;
        const said =
          r.result.verdict !== 'delivered'
            ? `${r.result.verdict} (${r.result.reason})`
            : toPod
              ? `the pod sees ${want}`
              : want;
        if (got !== want)
          mismatches.push(
            `${cl.label} → ${target.name} ${target.ip}:${nodePort} (${svc.name}, externalTrafficPolicy ${svc.externalTrafficPolicy}): kernel: ${got === 'no answer' ? 'no answer' : `the pod sees ${got}`}; tracer: ${said}`,
          );
      });
    }
    expect(mismatches).toEqual([]);
  }, 180_000);
});
