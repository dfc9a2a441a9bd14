import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane, type Dataplane } from '../dataplane/dataplane';
import { exportedDataplane, inNftablesMode, sampleQuestions } from './sampleQuestions';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from './trace';

const dir = 'public/scenarios';
// IPv4 dumps: an IPv6 single-stack example has none (tablesRoundTrip6.test.ts walks its IPv6 ones).
const examples = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { file: string }[])
  .map((e) => e.file)
  .filter((f) => !/ipFamily: ipv6/.test(readFileSync(join(dir, f), 'utf8')));

const json = (dp: Dataplane, q: { from: string; to: string }) => {
  const r = trace(dp, q);
  // An IPv6 trace (the default in an IPv6-first example) holds bigint addresses.
  return JSON.stringify(r, (k, v: unknown) => (k === 'packet' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
};

/** The example, or the same cluster with kube-proxy in nftables mode (its nft-ruleset read back too). */
const textOf = (file: string, mode: string) => {
  const text = readFileSync(join(dir, file), 'utf8');
  if (mode === 'as written') return text;
  return /kubeProxyMode: \w+/.test(text)
    ? text.replace(/kubeProxyMode: \w+/, 'kubeProxyMode: nftables')
    : text.replace(/^networking:$/m, 'networking:\n  kubeProxyMode: nftables');
};
const cases = examples.flatMap((file) => [
  [file, 'as written'],
  [file, 'nftables'],
]);

describe('trace --tables over unedited exported tables gives the computed trace (evidence and positions included)', () => {
  it.each(cases)('%s (%s)', (file, mode) => {
    const p = parseScenario(textOf(file, mode));
    if (!p.ok) throw new Error(p.errors[0]!.message);
    const dp = buildDataplane(realize(p.scenario));
    if (mode === 'nftables') expect(dp.cluster.cluster.kubeProxyMode).toBe('nftables');
    const dumped = exportedDataplane(dp);
    for (const q of sampleQuestions(dp)) expect(json(dumped, q), `${q.from} -> ${q.to}`).toBe(json(dp, q));
  });
});

describe('in nftables mode too: trace --tables over the exported nft-ruleset gives the computed trace', () => {
  it.each(examples)('%s', (file) => {
    const p = parseScenario(inNftablesMode(readFileSync(join(dir, file), 'utf8')));
    if (!p.ok) throw new Error(p.errors[0]!.message);
    const dp = buildDataplane(realize(p.scenario));
    expect(dp.cluster.cluster.kubeProxyMode).toBe('nftables');
    // The exported kernel's table is the parsed file, not the computed object.
    const dumped = exportedDataplane(dp);
    const node = dp.cluster.nodes[0]!.name;
    expect(dumped.kernel(node)!.nft!()).not.toBe(dp.node(node)!.nft);
    expect(dumped.kernel(node)!.nft!()).toEqual(dp.node(node)!.nft);
    for (const q of sampleQuestions(dp)) expect(json(dumped, q), `${q.from} -> ${q.to}`).toBe(json(dp, q));
  });
});
