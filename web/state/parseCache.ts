// The store validates a scenario by parsing it; derive parses it to realize
// it. A big scenario takes a third of a second to parse, so both share one
// small cache keyed by the text itself.
import { parseScenario, type ParseResult } from '../../core/scenario/parse';

const SIZE = 4;
const cache = new Map<string, ParseResult>();

/** Remembers the last few results by text (a Map keeps insertion order: oldest first). */
export function lru<V>(map: Map<string, V>, key: string, size: number, compute: () => V): V {
  const hit = map.get(key);
  if (hit !== undefined) {
    map.delete(key);
    map.set(key, hit);
    return hit;
  }
  const v = compute();
  map.set(key, v);
  if (map.size > size) map.delete(map.keys().next().value!);
  return v;
}

export const parseCached = (text: string): ParseResult => lru(cache, text, SIZE, () => parseScenario(text));
