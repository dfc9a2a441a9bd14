// deletionSet is deletionOrder's first k, computed without sorting every pod by name.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deletionOrder, deletionSet } from './scaleDown';

describe('deletionSet', () => {
  it('holds exactly the first k pods of deletionOrder, for any pods and k', () => {
    const pod = fc.record({
      name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h').chain((p) => fc.nat(50).map((n) => `${p}${n}`)),
      node: fc.integer({ min: -1, max: 3 }),
      running: fc.boolean(),
      born: fc.nat(3),
    });
    const pods = fc.uniqueArray(pod, { selector: (p) => p.name, maxLength: 40 });
    fc.assert(
      fc.property(pods, fc.nat(45), fc.array(fc.nat(5), { minLength: 4, maxLength: 4 }), (ps, k, ranks) => {
        const rank = (n: number) => ranks[n]!;
        const first = new Set(deletionOrder(ps, rank).slice(0, k));
        expect(deletionSet(ps, k, rank)).toEqual(first);
      }),
    );
  });
});
