// The edit history is the cluster's history: each edit realizes the new text from the live cluster the
// previous one made (running pods keep their node and IP), Undo and Redo step back and forth to the very
// states they left, and loading a scenario starts a new cluster. Core does the realizing (liveState.ts);
// this file only follows the store's history to know which state each text is applied to.
import { realize } from '../../core/cluster/realize';
import { liveStateOf } from '../../core/cluster/liveState';
import type { RealizedCluster } from '../../core/api/types';
import { parseCached } from './parseCache';
import type { ExplorerState } from './store';

/** One state of the live cluster: `text` applied to the cluster `base` made (none: a new cluster). */
export interface LiveNode {
  text: string;
  base: LiveNode | null;
  cluster?: RealizedCluster;
}

/** States further back than this drop their cluster (recomputed from their base when Undo reaches them). */
const KEEP_CLUSTERS = 20;

export class LiveHistory {
  current: LiveNode;
  /** The state before the latest edit, undo or redo; null after loading a scenario. */
  previous: LiveNode | null = null;
  private readonly back: LiveNode[] = [];
  private forward: LiveNode[] = [];

  constructor(text: string) {
    this.current = { text, base: null };
  }

  /** Follows one store change: an undo, a redo, an edit (applied to the live cluster) or a new scenario. */
  follow(s: Pick<ExplorerState, 'scenarioText' | 'past' | 'future' | 'changedFrom'>, was: typeof s): void {
    if (s.scenarioText === was.scenarioText) return;
    const from = this.current;
    const top = this.back[this.back.length - 1];
    const undo = s.past.length === was.past.length - 1 && s.future[0] === was.scenarioText;
    const redo = s.past.length === was.past.length + 1 && was.future[0] === s.scenarioText;
    if (undo && top?.text === s.scenarioText) {
      this.back.pop();
      this.forward.unshift(from);
      this.current = top;
    } else if (redo && this.forward[0]?.text === s.scenarioText) {
      this.back.push(from);
      this.current = this.forward.shift()!;
    } else {
      // An edit applies the text to the cluster on screen; a loaded scenario (or a history we lost track of) is new.
      const edit = !undo && !redo && s.changedFrom !== null && s.changedFrom === was.scenarioText;
      this.back.push(from);
      this.forward = [];
      this.current = { text: s.scenarioText, base: edit ? from : null };
    }
    this.previous = s.changedFrom === null ? null : from;
    for (let i = 0; i < this.back.length - KEEP_CLUSTERS; i++) delete this.back[i]!.cluster;
    if (this.back.length > 200) this.back.shift();
  }
}

/** The cluster of a state: its text realized from its base's cluster (the base's first, recursively). */
export function clusterOf(node: LiveNode, fresh: (text: string) => RealizedCluster): RealizedCluster {
  if (node.cluster) return node.cluster;
  if (!node.base) return (node.cluster = fresh(node.text));
  const p = parseCached(node.text);
  if (!p.ok) throw new Error(`the scenario does not parse: ${p.errors[0]?.message ?? 'unknown error'}`);
  return (node.cluster = realize(p.scenario, liveStateOf(clusterOf(node.base, fresh))));
}
