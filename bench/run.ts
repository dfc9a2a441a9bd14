// npm run bench: prints figures; it asserts nothing about time.
import { generateDocuments } from '../core/scenario/generate';
import { parseDocuments } from '../core/scenario/parse';
import { realize } from '../core/cluster/realize';

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

const gc = (globalThis as { gc?: () => void }).gc;
/** Median ms of `a` and of `b`, run in turns (the machine's load falls on both alike), each after a collection. */
function paired(a: () => unknown, b: () => unknown, runs: number): readonly [number, number] {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [f, out] of [
      [a, ta],
      [b, tb],
    ] as const) {
      gc?.();
      const t0 = performance.now();
      f();
      out.push(performance.now() - t0);
    }
  }
  return [median(ta), median(tb)] as const;
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
  rows.push({
    nodes,
    pods: r.value.pods.length,
    services: r.value.services.length,
    parseMs: parsed.ms,
    realizeMs: r.ms,
  });
}

console.log('realize (median of runs; 30 pods per node, one Service per 15 pods)');
console.log('nodes    pods      services  parse ms  realize ms  realize ratio vs previous');
rows.forEach((r, i) => {
  const prev = rows[i - 1];
  const ratio = prev
    ? `${(r.realizeMs / prev.realizeMs).toFixed(1)}× for ${(r.nodes / prev.nodes).toFixed(0)}× input`
    : '';
  console.log(
    `${String(r.nodes).padEnd(9)}${String(r.pods).padEnd(10)}${String(r.services).padEnd(10)}${r.parseMs.toFixed(1).padStart(8)}  ${r.realizeMs.toFixed(1).padStart(10)}  ${ratio}`,
  );
});

// Dual-stack at the largest size: the same cluster with kind's ipFamily dual (issue: under twice the IPv4 figure).
const ipv4At5000 = (() => {
  const p = parseDocuments(generateDocuments({ nodes: 5000, podsPerNode: 30, podsPerService: 15 }));
  if (!p.ok) throw new Error('generated scenario did not parse');
  return p.scenario;
})();
{
  const p = parseDocuments(generateDocuments({ nodes: 5000, podsPerNode: 30, podsPerService: 15, ipFamily: 'dual' }));
  if (!p.ok) throw new Error(`generated dual-stack scenario did not parse: ${p.errors[0]?.message}`);
  const dual = p.scenario;
  realize(dual); // warm-up
  const r = time(() => realize(dual), 1);
  // Timed in turns with the IPv4 cluster of the same size: the machine's load falls on both alike.
  const [t4, t2] = paired(
    () => realize(ipv4At5000),
    () => realize(dual),
    7,
  );
  const sample = r.value.pods.find((x) => x.ips?.length === 2);
  console.log(
    `dual-stack realize (5,000 nodes, ${r.value.pods.length.toLocaleString('en-US')} pods, both families): ${t2.toFixed(1)} ms, ${(t2 / t4).toFixed(2)}× the IPv4 figure (${t4.toFixed(1)} ms, medians of 7 in turns); e.g. ${sample?.ips?.join(', ')}`,
  );
  // IPv6 traces read ip6tables written lazily per Service port, as IPv4 ones read iptables.
  const { buildDataplane } = await import('../core/dataplane/dataplane');
  const { trace } = await import('../core/trace/trace');
  const dp = buildDataplane(r.value);
  const pods = r.value.pods.filter((x) => x.ips?.length === 2 && x.namespace === 'default');
  const trace6 = (i: number) => {
    const from = pods[(i * 7919) % pods.length]!;
    const t0 = performance.now();
    trace(dp, { from: `pod/${from.namespace}/${from.name}`, to: `svc/default/app-${i % 10000}`, family: 'IPv6' });
    return performance.now() - t0;
  };
  const first = trace6(0);
  const rest = Array.from({ length: 200 }, (_, i) => trace6(i + 1));
  console.log(
    `dual-stack trace -6 pod -> Service: first ${first.toFixed(1)} ms (builds the IPv6 Service index), then ${median(rest).toFixed(2)} ms (median of 200, each from a new node)`,
  );
}

// IPv6 single-stack at the largest size: kind's ipFamily ipv6, a /64 per node from a /48.
{
  const p = parseDocuments(generateDocuments({ nodes: 5000, podsPerNode: 30, podsPerService: 15, ipFamily: 'ipv6' }));
  if (!p.ok) throw new Error(`generated IPv6 scenario did not parse: ${p.errors[0]?.message}`);
  const six = p.scenario;
  const r = time(() => realize(six), 1);
  const [t4, t6] = paired(
    () => realize(ipv4At5000),
    () => realize(six),
    7,
  );
  console.log(
    `IPv6 single-stack realize (5,000 nodes, ${r.value.pods.length.toLocaleString('en-US')} pods): ${t6.toFixed(1)} ms, ${(t6 / t4).toFixed(2)}× the IPv4 figure (${t4.toFixed(1)} ms, in turns); e.g. ${r.value.pods.at(-1)?.ip}`,
  );
}

// A live cluster's edits at the largest size: realize from the state before vs a full realize of the result.
{
  const { liveStateOf } = await import('../core/cluster/liveState');
  const docs = generateDocuments({ nodes: 5000, podsPerNode: 30, podsPerService: 15 });
  const withNodes = structuredClone(docs) as { nodes: unknown[] }[];
  for (let i = 0; i < 10; i++) withNodes[0]!.nodes.push({ role: 'worker' });
  const scaled = structuredClone(docs) as { spec: { replicas: number } }[];
  scaled[1]!.spec.replicas += 15;
  const parsed = [docs, withNodes, scaled].map((d) => parseDocuments(d as unknown[]));
  const [base, more, bigger] = parsed.map((p) => {
    if (!p.ok) throw new Error('generated scenario did not parse');
    return p.scenario;
  });
  const before = realize(base!);
  const edits = [
    ['add 10 nodes', more!],
    ['scale one Deployment by 15', bigger!],
  ] as const;
  console.log('\nlive edits (5,000 nodes, 150,000 pods; medians of 7, live and full run in turns)');
  console.log('edit                         live: state + realize   full realize   live / full');
  for (const [what, after] of edits) {
    const [live, full] = paired(
      () => realize(after, liveStateOf(before)),
      () => realize(after),
      7,
    );
    console.log(
      `${what.padEnd(29)}${live.toFixed(1).padStart(10)} ms        ${full.toFixed(1).padStart(8)} ms   ${(live / full).toFixed(2).padStart(8)}×`,
    );
  }
}

// Dataplane and trace at the largest size: the index, traces, memory, then one node's full tables.
{
  const { buildDataplane } = await import('../core/dataplane/dataplane');
  const { trace } = await import('../core/trace/trace');
  const p = parseDocuments(generateDocuments({ nodes: 5000, podsPerNode: 30, podsPerService: 15 }));
  if (!p.ok) throw new Error('generated scenario did not parse');
  const heap = () => {
    gc?.();
    return process.memoryUsage().heapUsed / 1048576;
  };
  const base = heap();
  // realize + index together, median of five fresh runs (each cluster dropped before the next).
  const both: number[] = [];
  const index: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const c = realize(p.scenario);
    const t1 = performance.now();
    buildDataplane(c);
    both.push(performance.now() - t0);
    index.push(performance.now() - t1);
  }
  const cluster = realize(p.scenario);
  const dp = buildDataplane(cluster);
  const held = heap() - base;
  // Sources on three nodes; every trace is Map lookups over the cluster-wide indexes. The first trace of a
  // Service port from a node writes that port's rules on the node (the lazy per-node index); later ones read them.
  const srcNodes = new Set(cluster.nodes.slice(1, 4).map((n) => n.name));
  const pods = cluster.nodes
    .filter((n) => srcNodes.has(n.name))
    .flatMap((n) => n.pods)
    .filter((x) => x.ip !== null);
  const runs = 1000;
  const traces = (offset: number, count: number) => {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const from = pods[(i * 7919) % pods.length]!;
      trace(dp, { from: `pod/${from.namespace}/${from.name}`, to: `svc/default/app-${(offset + i) % 10000}` });
    }
    return (performance.now() - t0) / count;
  };
  traces(5000, 300); // warm-up: other Services, so the pairs measured below are still cold
  const firstTrace = traces(0, runs);
  const perTrace = traces(0, runs);
  const node = cluster.nodes[1]!.name;
  const t = performance.now();
  const tables = dp.node(node)!;
  const nodeMs = performance.now() - t;
  const withTables = heap() - base;
  const lines = tables.nat.lines().length;
  console.log('\ndataplane and trace (5,000 nodes, 150,000 pods, 10,000 Services)');
  console.log(
    `realize + dataplane index  ${median(both).toFixed(1)} ms (index alone ${median(index).toFixed(1)} ms; median of 5)`,
  );
  console.log(
    `lazy node index            ${(firstTrace - perTrace).toFixed(3)} ms per Service port a node writes on first use (a first trace of a pair takes ${firstTrace.toFixed(3)} ms; mean of ${runs})`,
  );
  console.log(
    `one pod -> Service trace   ${perTrace.toFixed(3)} ms (mean of the same ${runs}, after the lazy index build; no node's full table is built)`,
  );
  console.log(
    `heap held by the cluster and its dataplane index: ${held.toFixed(0)} MB (${cluster.pods.length.toLocaleString('en-US')} pods, ${dp.services.rules.length.toLocaleString('en-US')} Service ports)`,
  );
  console.log(
    `one node's full tables     ${nodeMs.toFixed(0)} ms, ${lines.toLocaleString('en-US')} nat lines; heap then ${withTables.toFixed(0)} MB (every pod and endpoint listed out, the tables kept)`,
  );
}

// k8snet diff at 500 nodes.
{
  const { diffBench } = await import('./diff');
  diffBench();
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
