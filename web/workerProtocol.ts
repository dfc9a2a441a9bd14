import type { Change } from '../core/model/diff';
import type { ScenarioEdit } from '../core/model/edit';
import type { Plan } from '../core/plan/plan';
import type { PackedCluster } from '../core/model/packedCluster';
import type { Scenario, ScenarioIssue } from '../core/model/types';
import type { RuleCheck } from '../core/trace/threeRules';

export interface WorkerRequest {
  id: number;
  text: string;
  /** Applied to `text` first (a what-if edit on a big scenario). */
  edit?: ScenarioEdit;
  /** The scenario before the change, to say what the change did. */
  before?: string;
}

/** What a change did, computed next to the clusters (capped: a node-mask change can move 150,000 pods). */
export interface EffectSummary {
  changes: Change[];
  total: number;
  changed: string[];
  newWarnings: string[];
}

export type WorkerReply =
  | { id: number; ok: true; text: string; scenario: Scenario; cluster: PackedCluster; rules: RuleCheck[]; breaksFirst: Plan['breaksFirst']; effect?: EffectSummary }
  | { id: number; ok: false; errors: ScenarioIssue[] };
