// npm run bench: prints figures; it asserts nothing about time.
import { generateDocuments } from '../core/model/generate';
import { parseDocuments } from '../core/model/parse';
import { realize } from '../core/model/realize';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(fn: () => T, runs: number): { ms: number; value: T } {
  let value!: T;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), value };
}

const sizes = [50, 500, 5000];
const rows: { nodes: number; pods: number; services: number; parseMs: number; realizeMs: number }[] = [];
for (const nodes of sizes) {
  const docs = generateDocuments({ nodes, podsPerNode: 30, podsPerService: 15 });
  const parsed = time(() => parseDocuments(docs), nodes >= 5000 ? 3 : 7);
  if (!parsed.value.ok) throw new Error(`generated scenario did not parse: ${parsed.value.errors[0]?.message}`);
  const scenario = parsed.value.scenario;
  realize(scenario); // warm-up
  const r = time(() => realize(scenario), nodes >= 5000 ? 5 : 9);
  rows.push({ nodes, pods: r.value.pods.length, services: r.value.services.length, parseMs: parsed.ms, realizeMs: r.ms });
}

console.log('realize (median of runs; 30 pods per node, one Service per 15 pods)');
console.log('nodes    pods      services  parse ms  realize ms  realize ratio vs previous');
rows.forEach((r, i) => {
  const prev = rows[i - 1];
  const ratio = prev ? `${(r.realizeMs / prev.realizeMs).toFixed(1)}× for ${(r.nodes / prev.nodes).toFixed(0)}× input` : '';
  console.log(`${String(r.nodes).padEnd(9)}${String(r.pods).padEnd(10)}${String(r.services).padEnd(10)}${r.parseMs.toFixed(1).padStart(8)}  ${r.realizeMs.toFixed(1).padStart(10)}  ${ratio}`);
});

// Dataplane and trace at the largest size: one node's tables, then traces after the index build.
{
  const { buildDataplane } = await import('../core/dataplane/dataplane');
  const { trace } = await import('../core/trace/trace');
  const p = parseDocuments(generateDocuments({ nodes: 5000, podsPerNode: 30, podsPerService: 15 }));
  if (!p.ok) throw new Error('generated scenario did not parse');
  const cluster = realize(p.scenario);
  let t = performance.now();
  const dp = buildDataplane(cluster);
  const indexMs = performance.now() - t;
  const node = cluster.nodes[1]!.name;
  t = performance.now();
  dp.node(node);
  const nodeMs = performance.now() - t;
  // Sources on three nodes; every trace is Map lookups over the cluster-wide indexes.
  const srcNodes = new Set(cluster.nodes.slice(1, 4).map((n) => n.name));
  const pods = cluster.pods.filter((x) => x.ip !== null && srcNodes.has(x.node!));
  const runs = 1000;
  t = performance.now();
  for (let i = 0; i < runs; i++) {
    const from = pods[(i * 7919) % pods.length]!;
    trace(dp, { from: `pod/${from.namespace}/${from.name}`, to: `svc/default/app-${i % 10000}` });
  }
  const perTrace = (performance.now() - t) / runs;
  console.log('\ndataplane and trace (5,000 nodes, 150,000 pods, 10,000 Services)');
  console.log(`service index build   ${indexMs.toFixed(1)} ms`);
  console.log(`one node's tables     ${nodeMs.toFixed(1)} ms (routes + nat + filter, built on first use)`);
  console.log(`one pod -> Service trace, mean of ${runs}: ${perTrace.toFixed(3)} ms (after the index build; no node's full table is built)`);
  // Memory: what the realized cluster and its dataplane keep alive (after a collection when node gives us one).
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  console.log(`memory in use with the cluster and dataplane held: heap ${(mem.heapUsed / 1048576).toFixed(0)} MB, RSS ${(mem.rss / 1048576).toFixed(0)} MB (holding ${cluster.pods.length.toLocaleString('en-US')} pods and ${dp.services.rules.length.toLocaleString('en-US')} Service ports)`);
}

// The browser: skipped with a message when no Chromium is available, or with --core.
if (process.argv.includes('--core')) console.log('\nbrowser benchmark not run: --core');
else {
  const { browserBench } = await import('./browser');
  try {
    await browserBench();
  } catch (e) {
    console.log(`\nbrowser benchmark not run: ${(e as Error).message.split('\n')[0]}`);
  }
}
