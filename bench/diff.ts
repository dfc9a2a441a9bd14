// `k8snet diff` at 500 nodes: the live realize of an edit and the node kernels it changed (kernelChanges prints
// only the Services the edit touched and the routes to nodes whose route changed, not every node's tables).
import { generateDocuments } from '../core/scenario/generate';
import { parseDocuments } from '../core/scenario/parse';
import { realize } from '../core/cluster/realize';
import { liveStateOf } from '../core/cluster/liveState';
import { clusterChanges } from '../core/cluster/liveDiff';
import { buildDataplane } from '../core/dataplane/dataplane';
import { kernelChanges } from '../core/dataplane/kernelChanges';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function diffBench(nodes = 500, runs = 3): void {
  const docs = generateDocuments({ nodes, podsPerNode: 30, podsPerService: 15 });
  const withNode = structuredClone(docs) as { nodes: unknown[] }[];
  withNode[0]!.nodes.push({ role: 'worker' });
  const scaled = structuredClone(docs) as { spec: { replicas: number } }[];
  scaled[1]!.spec.replicas += 15;
  const dual = generateDocuments({ nodes, podsPerNode: 30, podsPerService: 15, ipFamily: 'dual' });
  const dualScaled = structuredClone(dual) as { spec: { replicas: number } }[];
  dualScaled[1]!.spec.replicas += 15;
  const nft = structuredClone(docs) as { networking: { kubeProxyMode: string } }[];
  nft[0]!.networking.kubeProxyMode = 'nftables';
  const nftScaled = structuredClone(nft) as unknown as { spec: { replicas: number } }[];
  nftScaled[1]!.spec.replicas += 15;
  const scenario = (d: unknown[]) => {
    const p = parseDocuments(d);
    if (!p.ok) throw new Error('generated scenario did not parse');
    return p.scenario;
  };
  const base = realize(scenario(docs));
  const dualBase = realize(scenario(dual));
  const nftBase = realize(scenario(nft));
  const edits = [
    ['scale one Deployment by 15', base, scenario(scaled)],
    ['add a node', base, scenario(withNode)],
    ['dual-stack: scale one by 15', dualBase, scenario(dualScaled)],
    ['nftables: scale one by 15', nftBase, scenario(nftScaled)],
  ] as const;
  console.log(`\ndiff ${nodes} nodes (30 pods per node, one Service per 15 pods; medians of ${runs})`);
  console.log('edit                          live realize   objects   node kernels   nodes changed, lines');
  for (const [what, before, afterScenario] of edits) {
    const t = { realize: [] as number[], objects: [] as number[], kernels: [] as number[] };
    let summary = '';
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const after = realize(afterScenario, liveStateOf(before));
      const t1 = performance.now();
      clusterChanges(before, after);
      const t2 = performance.now();
      const k = kernelChanges(buildDataplane(before), buildDataplane(after));
      const t3 = performance.now();
      t.realize.push(t1 - t0);
      t.objects.push(t2 - t1);
      t.kernels.push(t3 - t2);
      const lines = k.reduce(
        (n, x) => n + x.routes.added.length + x.routes.removed.length + x.rules.added.length + x.rules.removed.length,
        0,
      );
      summary = `${k.length}, ${lines.toLocaleString('en-US')}`;
    }
    const ms = (xs: number[]) => `${median(xs).toFixed(0).padStart(8)} ms`;
    console.log(`${what.padEnd(30)}${ms(t.realize)}  ${ms(t.objects)}  ${ms(t.kernels)}     ${summary}`);
  }
}
