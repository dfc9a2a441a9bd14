// Messages between the page and the derivation worker. Scenario texts travel
// as UTF-8 bytes in transferred buffers: a generated cluster's text is 5 MB,
// and posting it as a string copies it on both sides of the page's thread.
import type { Change } from '../../core/cluster/diff';
import type { RolloutReport } from '../../core/cluster/rolloutReport';
import type { EditKernelChanges } from '../../core/dataplane/kernelChangeGroups';
import type { ScenarioEdit } from '../../core/scenario/edit';
import type { GenerateOptions } from '../../core/scenario/generate';
import type { Plan } from '../../core/plan/plan';
import type { WirePacked } from '../../core/store/wire';
import type { Scenario, ScenarioIssue } from '../../core/api/types';
import type { RuleCheck } from '../../core/trace/threeRules';

/**
 * A scenario text: sent once as a string, then named by the id the worker
 * gave it (the worker keeps the last few). Re-sending 5 MB of text costs the
 * page ~60 ms; an id costs nothing.
 */
export type TextRef = { text: string } | { textId: number };

/**
 * One state of the live cluster (web/state/liveHistory.ts): the page's id for it and its text, sent only
 * when the page holds a worker id for it or the worker asked for it (the worker usually holds the state).
 */
export interface LiveLink {
  id: number;
  text?: TextRef;
}

/** A state and the ones before it, a new cluster first: each text applied to the live cluster before it. */
export type LiveChain = LiveLink[];

/** The scenario to derive: a text, or one the worker generates. */
export type WorkerSource = TextRef | { generate: GenerateOptions };

export type DeriveRequest = WorkerSource & {
  id: number;
  /** Applied to the text first (a what-if edit on a big scenario). */
  edit?: ScenarioEdit;
  /** The scenario before the change, to say what the change did; 'same' when it is the request's own text. */
  before?: TextRef | 'same';
  /**
   * The live cluster: the text is applied to the state `base` ends in (running pods keep their node and
   * IP), the result held as state `id`; the effect compares it with the state `before` ends in.
   */
  live?: { id: number; base: LiveChain; before?: LiveChain };
};

/** One node's full kube-proxy table of a big scenario: half a million lines at 10,000 Services, built here. */
export type TableRequest = TextRef & { id: number; table: { node: string; kind: 'nat' | 'nft' }; live?: LiveChain };

/**
 * What going from one live state to another changed, both held in the worker (an undo or redo back to a
 * state the page already has): only the effect comes back, never the cluster again.
 */
export interface EffectRequest {
  id: number;
  effect: { before: LiveChain; after: LiveChain };
}

export type WorkerRequest = DeriveRequest | TableRequest | EffectRequest;

/** Lines as one UTF-8 buffer and where each starts: the page decodes only the lines on screen. */
export interface PackedLines {
  bytes: Uint8Array;
  /** starts[i] is line i's first byte; starts[count] is one past the last line's newline. */
  starts: Uint32Array;
}

/** What a change did, computed next to the clusters (capped: a node-mask change can move 150,000 pods). */
export interface EffectSummary {
  changes: Change[];
  total: number;
  changed: string[];
  newWarnings: string[];
  /** The rolling updates the edit set off (core's reports, plain data); none for an undo or redo. */
  rollouts: RolloutReport[];
  /** Each node's route and kube-proxy rule changes, nodes alike together (or why they were not compared). */
  kernels: EditKernelChanges;
}

/**
 * How many workloads and Services the whole scenario has: the reply's scenario
 * lists only the first few (the what-if panel edits those), its cluster spec whole.
 */
export interface ScenarioTotals {
  workloads: number;
  services: number;
}

export interface DerivedReply {
  id: number;
  ok: true;
  /** The worker's id for the derived text. */
  textId: number;
  /** The derived text as UTF-8, when the page does not have it (an edit, a generated cluster). */
  text?: Uint8Array;
  scenario: Scenario;
  totals: ScenarioTotals;
  /** The packed cluster (toWire), its JSON parts as UTF-8 bytes in transferred buffers. */
  cluster: { parts: Uint8Array[]; columns: WirePacked['columns'] };
  rules: RuleCheck[];
  breaksFirst: Plan['breaksFirst'];
  effect?: EffectSummary;
}

export type WorkerReply =
  | DerivedReply
  | { id: number; ok: true; lines: PackedLines }
  | { id: number; ok: true; effect: EffectSummary }
  | { id: number; ok: false; errors: ScenarioIssue[] }
  /** A text the worker does not hold (the one it named `textId`, or live state `state`'s): the page sends it. */
  | { id: number; ok: false; unknownText: true; textId?: number; state?: number }
  /** A heartbeat: the worker is at work on request `id` (sent between phases, so a lost worker is told from a slow one). */
  | { id: number; alive: true };
