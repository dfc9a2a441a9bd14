import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane, renderRouteTable, type Dataplane } from '../dataplane/dataplane';
import { nodeDevices } from '../dataplane/devices';
import { dumpedKernel, withKernels } from '../dataplane/dumpedKernel';
import { renderIpAddr } from '../dataplane/kernelDumps';
import type { NodeKernel } from '../dataplane/nodeKernel';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';

const dir = 'public/scenarios';
const examples = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { file: string }[]).map((e) => e.file);

/** What `k8snet tables` writes for every node, read back as `trace --tables` reads it. */
export function exported(dp: Dataplane, edit: (node: string, iptablesSave: string) => string = (_, t) => t): Dataplane {
  const kernels = new Map<string, NodeKernel>();
  for (const n of dp.cluster.nodes) {
    const d = dp.node(n.name)!;
    const k = dumpedKernel(n.name, {
      iptablesSave: {
        text: edit(n.name, `${d.nat.render()}\n${d.filter.render()}\n`),
        document: `${n.name}/iptables-save`,
      },
      ipRoute: { text: renderRouteTable(d.routes), document: `${n.name}/ip-route` },
      ipAddr: { text: renderIpAddr(nodeDevices(dp.cluster, n)), document: `${n.name}/ip-addr` },
    });
    if (!k.ok) throw new Error(JSON.stringify(k.error));
    kernels.set(n.name, k.kernel);
  }
  return withKernels(dp, kernels);
}

/** Sources and destinations like scripts/golden.ts: pods, Services, nodes, the outside world. */
export function questions(dp: Dataplane): { from: string; to: string }[] {
  const c = dp.cluster;
  const pods = c.nodes
    .flatMap((n) => n.pods)
    .filter((p) => p.ip !== null)
    .slice(0, 6);
  const to = [
    ...pods.map((p) => `pod/${p.namespace}/${p.name}`),
    ...c.services.slice(0, 8).map((s) => `svc/${s.namespace}/${s.name}`),
    ...c.nodes.slice(0, 3).map((n) => `node/${n.name}`),
    ...c.services.flatMap((s) =>
      s.ports.filter((p) => p.nodePort !== null).map((p) => `${c.nodes[0]!.ip}:${p.nodePort}`),
    ),
    '8.8.8.8:443',
  ];
  const from = [...pods.slice(0, 3).map((p) => `pod/${p.namespace}/${p.name}`), `node/${c.nodes[0]!.name}`, 'external'];
  return from.flatMap((f) => to.filter((t) => t !== f).map((t) => ({ from: f, to: t })));
}

const json = (dp: Dataplane, q: { from: string; to: string }) => {
  const r = trace(dp, q);
  return JSON.stringify(r, (k, v: unknown) => (k === 'packet' ? undefined : v));
};

describe('trace --tables over unedited exported tables gives the computed trace (evidence and positions included)', () => {
  it.each(examples)('%s', (file) => {
    const p = parseScenario(readFileSync(join(dir, file), 'utf8'));
    if (!p.ok) throw new Error(p.errors[0]!.message);
    const dp = buildDataplane(realize(p.scenario));
    const dumped = exported(dp);
    for (const q of questions(dp)) expect(json(dumped, q), `${q.from} -> ${q.to}`).toBe(json(dp, q));
  });
});
