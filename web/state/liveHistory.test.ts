// The page's live history names each state, so the worker can hold big scenarios' states by id.
import { describe, expect, it } from 'vitest';
import { chainOf, LiveHistory } from './liveHistory';

type S = { scenarioText: string; past: string[]; future: string[]; changedFrom: string | null };
const edit = (s: S, text: string): S => ({
  scenarioText: text,
  past: [...s.past, s.scenarioText],
  future: [],
  changedFrom: s.scenarioText,
});
const undo = (s: S): S => ({
  scenarioText: s.past[s.past.length - 1]!,
  past: s.past.slice(0, -1),
  future: [s.scenarioText, ...s.future],
  changedFrom: s.scenarioText,
});

describe('live history ids', () => {
  it('an edit the worker computed takes the id reserved for it; its chain runs from the new cluster', () => {
    const s0: S = { scenarioText: 'a', past: [], future: [], changedFrom: null };
    const h = new LiveHistory('a');
    const root = h.current.id;
    const id = h.reserve();
    h.settle(id, 'b');
    const s1 = edit(s0, 'b');
    h.follow(s1, s0);
    expect(h.current.id).toBe(id);
    expect(chainOf(h.current)).toEqual([
      { id: root, text: 'a' },
      { id, text: 'b' },
    ]);
    // An edit nobody reserved for gets an id of its own, never one already in use.
    const s2 = edit(s1, 'c');
    h.follow(s2, s1);
    expect(new Set([root, id, h.current.id]).size).toBe(3);
    h.follow(undo(s2), s2);
    expect(h.current.id).toBe(id);
    expect(h.previous?.text).toBe('c');
  });

  it('a reservation for another text or another base is not taken', () => {
    const s0: S = { scenarioText: 'a', past: [], future: [], changedFrom: null };
    const h = new LiveHistory('a');
    const id = h.reserve();
    h.settle(id, 'x');
    h.follow(edit(s0, 'b'), s0);
    expect(h.current.id).not.toBe(id);
  });
});
