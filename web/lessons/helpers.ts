// Small shared pieces of the lessons: the scenarios they edit, the pods they talk about.
import { parseScenario } from '../../core/scenario/parse';
import { realize } from '../../core/cluster/realize';
import { parseCidr } from '../../core/ip/cidr';
import { hostOf } from '../../core/ip/anyIp';
import { explainCidr } from '../../core/ip/explain';
import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import { editScenario, type ScenarioEdit } from '../../core/scenario/edit';
import type { RealizedCluster, RealizedPod } from '../../core/api/types';
import type { Hop } from '../../core/trace/types';
import { EXAMPLES } from '../state/scenarios';
import type { Facts } from './types';

export const edited = (edits: ScenarioEdit[], base = DEFAULT_SCENARIO_YAML): string =>
  edits.reduce((text, e) => {
    const r = editScenario(text, e);
    if (!r.ok) throw new Error(`lesson scenario: ${r.message}`);
    return r.text;
  }, base);

export const example = (file: string) => {
  const text = EXAMPLES.find((e) => e.file === file)?.text;
  if (text === undefined) throw new Error(`lesson scenario: no example ${file}`);
  return text;
};

const realizedCache = new Map<string, RealizedCluster>();
/** A scenario realized, for a step that compares itself with another one. */
export function realizeText(text: string): RealizedCluster {
  let c = realizedCache.get(text);
  if (!c) {
    const p = parseScenario(text);
    if (!p.ok) throw new Error(`lesson scenario: ${p.errors[0]?.message ?? 'does not parse'}`);
    c = realize(p.scenario);
    realizedCache.set(text, c);
  }
  return c;
}

export const webPods = (c: RealizedCluster) => c.pods.filter((p) => p.owner === 'Deployment/default/web');
export const ref = (p: RealizedPod | undefined) => (p ? `pod/${p.namespace}/${p.name}` : 'external');
export const cidrFacts = (cidr: string, nodeMask?: number) => {
  const p = parseCidr(cidr);
  return p.ok ? explainCidr(p.value, nodeMask) : undefined;
};

/** Two web pods on different nodes, for pod-to-pod traces. */
export const crossNodePair = (c: RealizedCluster): [RealizedPod | undefined, RealizedPod | undefined] => {
  const pods = webPods(c);
  const a = pods[0];
  return [a, pods.find((p) => p.node !== a?.node)];
};

export const requestHops = (f: Facts): Hop[] => (f.trace?.ok ? f.trace.result.hops : []);
export const replyHops = (f: Facts): Hop[] => (f.trace?.ok ? (f.trace.result.reply?.hops ?? []) : []);
export const verdict = (f: Facts) => (f.trace?.ok ? f.trace.result.verdict : '?');
export const ipOf = (hostPort: string | undefined) => (hostPort === undefined ? '?' : hostOf(hostPort));

/** The parked hop, which the screen shows: lesson text about "this hop" reads it from here only. */
export function parked(f: Facts): Hop {
  if (!f.at) throw new Error('this step parks on a hop the trace does not have');
  return f.at.hop;
}

/** "How many steps" as the stepper counts them, split by phase. */
export function stepCount(f: Facts): string {
  const n = (phase: string) => f.steps.filter((s) => s.phase === phase).length;
  const parts = [
    n('DNS lookup') ? `${n('DNS lookup')} for the DNS lookup` : '',
    `${n('Request')} for the request`,
    n('Reply') ? `${n('Reply')} for the reply` : '',
  ].filter(Boolean);
  return `${f.steps.length} steps (${parts.join(', ')})`;
}
