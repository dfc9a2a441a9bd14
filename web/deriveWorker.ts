// Big scenarios are edited, validated and derived here, off the main thread:
// parse, realize, and the checks the warnings panel shows. The page keeps
// answering input meanwhile.
import { buildDataplane } from '../core/dataplane/dataplane';
import { editScenario } from '../core/model/edit';
import { parseScenario } from '../core/model/parse';
import { realize } from '../core/model/realize';
import { plan } from '../core/plan/plan';
import { checkThreeRules } from '../core/trace/threeRules';
import { diffClusters, newWarnings } from '../core/model/diff';
import { packedOf } from '../core/model/packedCluster';
import type { RealizedCluster } from '../core/model/types';
import type { EffectSummary, WorkerReply, WorkerRequest } from './workerProtocol';

/** The last few realized clusters by text: the "before" of a change is usually the last one derived here. */
const realized = new Map<string, RealizedCluster>();
function realizedOf(text: string): RealizedCluster | undefined {
  const hit = realized.get(text);
  if (hit) return hit;
  const p = parseScenario(text);
  if (!p.ok) return undefined;
  return remember(text, realize(p.scenario));
}
function remember(text: string, c: RealizedCluster): RealizedCluster {
  realized.set(text, c);
  if (realized.size > 2) realized.delete(realized.keys().next().value!);
  return c;
}

const MAX_CHANGES = 1000;
const MAX_CHANGED_REFS = 20000;

function effect(before: RealizedCluster, after: RealizedCluster): EffectSummary {
  const changes = diffClusters(before, after);
  return {
    changes: changes.slice(0, MAX_CHANGES),
    total: changes.length,
    changed: [...new Set(changes.map((c) => c.ref))].slice(0, MAX_CHANGED_REFS),
    newWarnings: [...newWarnings(before, after)],
  };
}

function handle({ id, text, edit, before }: WorkerRequest): WorkerReply {
  let input = text;
  if (edit) {
    const e = editScenario(text, edit);
    if (!e.ok) return { id, ok: false, errors: [{ document: 'scenario', path: '', value: '', message: e.message }] };
    input = e.text;
  }
  const p = parseScenario(input);
  if (!p.ok) return { id, ok: false, errors: p.errors };
  const cluster = remember(input, realize(p.scenario));
  const prev = before !== undefined ? realizedOf(before) : undefined;
  // The raw documents are megabytes and the page never reads them: they stay here.
  const scenario = { ...p.scenario, documents: [] };
  // The cluster goes as its columns (packedOf): a few megabytes of numbers, not 150,000 pod objects to copy.
  return { id, ok: true, text: input, scenario, cluster: packedOf(cluster)!, rules: checkThreeRules(buildDataplane(cluster)), breaksFirst: plan(p.scenario, cluster).breaksFirst, ...(prev ? { effect: effect(prev, cluster) } : {}) };
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  let reply: WorkerReply;
  try {
    reply = handle(e.data);
  } catch (err) {
    reply = { id: e.data.id, ok: false, errors: [{ document: 'scenario', path: '', value: '', message: `could not be computed: ${(err as Error).message}` }] };
  }
  (self as unknown as Worker).postMessage(reply);
};
