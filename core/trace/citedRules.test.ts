// The property issue 15 asks for: the trace is a walk over the very tables we print, so the rules it cites
// are exactly the ones that decide it.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane, type Dataplane } from '../dataplane/dataplane';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { exportedDataplane as exported, sampleQuestions as questions } from './sampleQuestions';
import { trace } from './trace';
import type { Evidence, TraceResult } from './types';

const dir = 'public/scenarios';
const examples = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { file: string }[]).map((e) => e.file);
const planes = new Map<string, Dataplane>();
const planeOf = (file: string) => {
  let dp = planes.get(file);
  if (!dp) {
    const p = parseScenario(readFileSync(join(dir, file), 'utf8'));
    if (!p.ok) throw new Error(p.errors[0]!.message);
    planes.set(file, (dp = buildDataplane(realize(p.scenario))));
  }
  return dp;
};

/** Every `-A` line of a node's iptables-save, with the table, chain and position it stands at. */
function ruleLines(text: string): { line: number; table: string; chain: string; index: number; text: string }[] {
  const out = [];
  let table = '';
  const count = new Map<string, number>();
  for (const [i, l] of text.split('\n').entries()) {
    if (l.startsWith('*')) table = l.slice(1);
    const m = /^-A (\S+) /.exec(l);
    if (!m) continue;
    const k = `${table}|${m[1]}`;
    const index = count.get(k) ?? 0;
    count.set(k, index + 1);
    out.push({ line: i, table, chain: m[1]!, index, text: l });
  }
  return out;
}

const legs = (r: TraceResult) => [r, ...(r.dns ? [r.dns.query] : []), ...(r.reply ? [r.reply] : [])];
const cited = (r: TraceResult) =>
  legs(r).flatMap((l) => l.hops.flatMap((h) => (h.evidence ?? []).map((e: Evidence) => ({ node: h.node, ...e }))));
/** The trace as a user sees it, rules cited by their text (a removed line shifts the positions after it). */
const shown = (r: ReturnType<typeof trace>) =>
  JSON.stringify(r, (k, v: unknown) =>
    k === 'packet' || k === 'index' ? undefined : typeof v === 'bigint' ? `${v}n` : v,
  );

describe('the rules a trace cites decide it', () => {
  it('removing a cited rule changes the trace; removing any other rule leaves it unchanged', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (file, qi, ni, ri, pickCited) => {
          const dp = planeOf(file);
          const qs = questions(dp);
          // The rules edited are iptables-save's (IPv4): the trace is IPv4 wherever the cluster has it (an
          // IPv6-first cluster's default trace is IPv6).
          const q = {
            ...qs[qi % qs.length]!,
            ...(dp.cluster.cluster.ipFamily !== 'ipv6' ? { family: 'IPv4' as const } : {}),
          };
          const r = trace(exported(dp), q);
          if (!r.ok) return;
          const refs = cited(r.result);
          const nodes = dp.cluster.nodes.map((n) => n.name);
          const node = pickCited && refs.length ? refs[ri % refs.length]!.node : nodes[ni % nodes.length]!;
          const d = dp.node(node)!;
          const lines = ruleLines(`${d.nat.render()}\n${d.filter.render()}\n`);
          const mine = refs.filter((x) => x.node === node);
          const isCited = (l: (typeof lines)[number]) =>
            mine.some((x) => x.table === l.table && x.chain === l.chain && x.index === l.index);
          // Read without matching, so left out: a statistic ladder's other rungs (removing one changes every
          // rung's odds, as it would the kernel's random draw) and the -m recent --rcheck rules whose timeout
          // the explanation quotes.
          const read = (l: (typeof lines)[number]) =>
            (/-m statistic /.test(l.text) || /--rcheck /.test(l.text)) &&
            mine.some((x) => x.table === l.table && x.chain === l.chain);
          const pool = lines.filter((l) => (pickCited ? isCited(l) : !isCited(l) && !read(l)));
          if (pool.length === 0) return;
          const gone = pool[ri % pool.length]!;
          const edited = trace(
            exported(dp, (n, text) =>
              n === node
                ? text
                    .split('\n')
                    .filter((_, i) => i !== gone.line)
                    .join('\n')
                : text,
            ),
            q,
          );
          if (pickCited) expect(shown(edited), `${file} ${q.from} -> ${q.to} without ${gone.text}`).not.toBe(shown(r));
          else expect(shown(edited), `${file} ${q.from} -> ${q.to} without ${gone.text}`).toBe(shown(r));
        },
      ),
      { numRuns: 150 },
    );
  });
});
