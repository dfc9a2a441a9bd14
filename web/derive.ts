// Derived state: core computes it from the store's scenario text, memoized
// on the text's identity so every component shares one realized cluster.
import { useExplorer } from './store';
import { parseScenario } from '../core/model/parse';
import { realize } from '../core/model/realize';
import type { RealizedCluster, Scenario } from '../core/model/types';

/** Remembers the last input and output of a one-argument function. */
export function memoLast<A, R>(fn: (a: A) => R): (a: A) => R {
  let lastIn: A | undefined;
  let lastOut: R | undefined;
  let has = false;
  return (a) => {
    if (!has || a !== lastIn) {
      lastOut = fn(a);
      lastIn = a;
      has = true;
    }
    return lastOut as R;
  };
}

export interface Derived {
  scenario: Scenario;
  cluster: RealizedCluster;
}

export const deriveFromText = memoLast((text: string): Derived => {
  const p = parseScenario(text);
  // The store only keeps text that parsed; this guard is for a corrupted store.
  if (!p.ok) throw new Error(`the scenario does not parse: ${p.errors[0]?.message ?? 'unknown error'}`);
  return { scenario: p.scenario, cluster: realize(p.scenario) };
});

export function useDerived(): Derived {
  const text = useExplorer((s) => s.scenarioText);
  return deriveFromText(text);
}
