// The live cluster's states in the worker, by the page's id for each: a big scenario's edit is realized
// from the state it was made on (running pods keep their node and IP), as the page does for small ones
// (web/state/liveHistory.ts). A state the worker no longer holds is recomputed along its chain.
import { realize } from '../../core/cluster/realize';
import { liveStateOf } from '../../core/cluster/liveState';
import { parseScenario } from '../../core/scenario/parse';
import type { RealizedCluster, Scenario } from '../../core/api/types';

/** One state: the page's id for it and its scenario text (undefined: the page did not send it). */
export interface Link<T> {
  id: number;
  text?: T;
}

/** A text the worker needs and lacks: the page sends it (state `state`'s, or the text it named `textId`). */
export class MissingText extends Error {
  constructor(readonly where: { state: number } | { textId: number }) {
    super('a scenario text the worker no longer holds');
  }
}

export class LiveStates<T> {
  private readonly held = new Map<number, RealizedCluster>();

  /**
   * `textOf` reads a link's text (throwing MissingText when it cannot); `fresh` realizes a chain's first
   * text as a new cluster (the worker keeps those by text too); `keep` states are held, the latest used.
   */
  constructor(
    private readonly textOf: (ref: T) => string,
    private readonly fresh: (text: string, scenario: Scenario) => RealizedCluster,
    private readonly keep = 4,
  ) {}

  /** The cluster of the chain's last state (the first is a new cluster, each next one an edit of the one before); undefined for an empty chain. */
  stateOf(chain: readonly Link<T>[]): RealizedCluster | undefined {
    let k = chain.length - 1;
    while (k >= 0 && !this.held.has(chain[k]!.id)) k--;
    let c = k >= 0 ? this.use(chain[k]!.id) : undefined;
    for (let i = k + 1; i < chain.length; i++) {
      const link = chain[i]!;
      if (link.text === undefined) throw new MissingText({ state: link.id });
      const text = this.textOf(link.text);
      const p = parseScenario(text);
      if (!p.ok) throw new Error(`state ${link.id}'s scenario does not parse: ${p.errors[0]?.message ?? ''}`);
      c = this.hold(link.id, c ? realize(p.scenario, liveStateOf(c)) : this.fresh(text, p.scenario));
    }
    return c;
  }

  /** `scenario` applied to the live cluster `base` ends in (a new cluster for an empty chain), held as state `id`. */
  apply(id: number, text: string, scenario: Scenario, base: readonly Link<T>[]): RealizedCluster {
    const prev = this.stateOf(base);
    return this.hold(id, prev ? realize(scenario, liveStateOf(prev)) : this.fresh(text, scenario));
  }

  has(id: number): boolean {
    return this.held.has(id);
  }

  private use(id: number): RealizedCluster {
    const c = this.held.get(id)!;
    this.held.delete(id);
    this.held.set(id, c);
    return c;
  }

  private hold(id: number, c: RealizedCluster): RealizedCluster {
    this.held.delete(id);
    this.held.set(id, c);
    if (this.held.size > this.keep) this.held.delete(this.held.keys().next().value!);
    return c;
  }
}
