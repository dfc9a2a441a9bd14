import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editScenario } from '../../../core/scenario/edit';
import { alignLadders, differences } from './ladderCompare';
import { ladderItems } from './ladderRows';
import { defaultYaml, nodeportYaml, stepsOf } from './ladderTestTraces.testUtil';
import { clipMiddle, rewrites, splitName, wrapText } from './rungText';

const local = (() => {
  const e = editScenario(nodeportYaml, {
    kind: 'service',
    namespace: 'default',
    name: 'frontend',
    field: 'externalTrafficPolicy',
    port: 0,
    value: 'Local',
  });
  if (!e.ok) throw new Error(e.message);
  return e.text;
})();
// nodeport.yaml: the first worker, 172.18.0.3, runs one frontend pod; frontend's nodePort is 30080.
const req = { from: 'external', to: '172.18.0.3:30080' };

describe('comparing two traces', () => {
  it('a trace against itself: every rung the same, nothing listed', () => {
    const steps = stepsOf(defaultYaml, { from: 'node/node-a', to: 'svc/default/web' });
    const rows = alignLadders(steps, steps);
    expect(rows.every((r) => r.mark === 'same' && r.a && r.b)).toBe(true);
    expect(differences(rows, steps, steps)).toEqual([]);
  });

  it('NodePort Cluster vs Local: the SNAT is only in Cluster, and the pod sees the client itself under Local', () => {
    const cluster = stepsOf(nodeportYaml, req);
    const kept = stepsOf(local, req);
    const rows = alignLadders(cluster, kept);
    const snat = rows.find((r) => r.a?.kind === 'step' && cluster[r.a.index]!.hop.action === 'snat')!;
    expect(snat).toMatchObject({ b: null, mark: 'only' });
    expect(kept.some((s) => s.hop.action === 'snat')).toBe(false);
    const texts = differences(rows, cluster, kept)
      .filter((d) => d.key)
      .map((d) => d.text);
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^Request: only in pinned: SNAT on nodeports-worker \(src 203\.0\.113\.10:40000 → 172\.18\.0\.3:\d+\)$/,
      ),
    );
    // Local delivers with the client's own address as the source.
    expect(texts).toContainEqual(
      expect.stringMatching(/^Request: DELIVER: .*; current in pod frontend-\S+, from 203\.0\.113\.10:40000$/),
    );
  });

  it('the alignment keeps both traces whole and in order, and pairs only rungs of the same kind', () => {
    const pool = [
      stepsOf(nodeportYaml, req),
      stepsOf(local, req),
      stepsOf(defaultYaml, { from: 'node/node-a', to: 'svc/default/web' }),
      stepsOf(defaultYaml, { from: 'external', to: '10.10.1.1:8080' }),
      stepsOf(defaultYaml, { from: 'node/node-b', to: '8.8.8.8' }),
    ];
    fc.assert(
      fc.property(fc.nat(pool.length - 1), fc.nat(pool.length - 1), (i, j) => {
        const a = pool[i]!;
        const b = pool[j]!;
        const rows = alignLadders(a, b);
        expect(rows.flatMap((r) => (r.a ? [r.a] : []))).toEqual(ladderItems(a));
        expect(rows.flatMap((r) => (r.b ? [r.b] : []))).toEqual(ladderItems(b));
        for (const r of rows) {
          if (!r.a || !r.b) expect(r.mark).toBe('only');
          else if (r.a.kind === 'step' && r.b.kind === 'step') {
            expect(a[r.a.index]!.hop.action).toBe(b[r.b.index]!.hop.action);
            expect(a[r.a.index]!.phase).toBe(b[r.b.index]!.phase);
          } else expect(r.a).toEqual(r.b);
        }
      }),
    );
  });
});

describe('rung text', () => {
  it('a DNAT names the rewritten destination, old -> new', () => {
    const steps = stepsOf(defaultYaml, { from: 'node/node-a', to: 'svc/default/web' });
    const dnat = steps.find((s) => s.hop.action === 'dnat')!.hop;
    expect(rewrites(dnat)).toEqual([`dst ${dnat.dst} → ${dnat.dstAfter}`]);
    expect(dnat.dst).toMatch(/^10\.106\.175\.246:80$/);
  });

  it('wrapping never makes a line longer than asked, and loses no word unless it cuts with "…"', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9.:→-]{1,30}$/), { maxLength: 20 }),
        fc.integer({ min: 8, max: 60 }),
        fc.integer({ min: 1, max: 6 }),
        (words, width, maxLines) => {
          const lines = wrapText(words.join(' '), width, maxLines);
          expect(lines.length).toBeLessThanOrEqual(maxLines);
          for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
          if (!lines.at(-1)?.endsWith('…')) expect(lines.join('').replace(/ /g, '')).toBe(words.join(''));
        },
      ),
    );
  });
});

describe('column titles', () => {
  it('a long name breaks at the hyphen or space nearest its middle, and is cut in the middle where it must be', () => {
    expect(splitName('nodeports-worker2', 12)).toEqual(['nodeports-', 'worker2']);
    expect(splitName('default gateway', 10)).toEqual(['default', 'gateway']);
    expect(splitName('node-a', 12)).toEqual(['node-a']);
    // The pod's hash at its end is what tells two replicas apart: it survives the cut.
    expect(clipMiddle('coredns-55cdd67f6b-xttgf', 12)).toBe('coredn…xttgf');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.integer({ min: 3, max: 30 }), (s, n) => {
        for (const line of splitName(s, n)) expect(line.length).toBeLessThanOrEqual(Math.max(n, 3));
      }),
    );
  });
});
