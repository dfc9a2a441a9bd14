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
  /** The worker holds a big scenario's states by this id (web/worker/liveStates.ts). */
  id: number;
  text: string;
  base: LiveNode | null;
  cluster?: RealizedCluster;
}

/** A state and the ones it was made from, the new cluster first: what the worker needs to recompute it. */
export function chainOf(node: LiveNode): { id: number; text: string }[] {
  const out: { id: number; text: string }[] = [];
  for (let n: LiveNode | null = node; n; n = n.base) out.push({ id: n.id, text: n.text });
  return out.reverse();
}

/** States further back than this drop their cluster (recomputed from their base when Undo reaches them). */
const KEEP_CLUSTERS = 20;

export class LiveHistory {
  private nextId = 1;
  current: LiveNode;
  /** The state before the latest edit, undo or redo; null after loading a scenario. */
  previous: LiveNode | null = null;
  private readonly back: LiveNode[] = [];
  private forward: LiveNode[] = [];
  /** Ids given to edits the worker is computing: the state the edit makes takes its id (see reserve). */
  private reserved: { id: number; base: LiveNode; text?: string }[] = [];

  constructor(text: string) {
    this.current = { id: this.nextId++, text, base: null };
  }

  /** An id for the state an edit of the current one will make (the worker computes it before the store moves). */
  reserve(): number {
    const id = this.nextId++;
    this.reserved = [...this.reserved.slice(-3), { id, base: this.current }];
    return id;
  }

  /** The reserved state `id` turned out to be `text` (the worker applied the edit). */
  settle(id: number, text: string): void {
    const r = this.reserved.find((x) => x.id === id);
    if (r) r.text = text;
  }

  private idFor(base: LiveNode, text: string): number {
    const k = this.reserved.findIndex((r) => r.base === base && r.text === text);
    if (k < 0) return this.nextId++;
    const { id } = this.reserved[k]!;
    this.reserved.splice(k, 1);
    return id;
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
      this.current = edit
        ? { id: this.idFor(from, s.scenarioText), text: s.scenarioText, base: from }
        : { id: this.nextId++, text: s.scenarioText, base: null };
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
