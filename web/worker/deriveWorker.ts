// Big scenarios are edited, validated and derived here, off the main thread:
// parse, realize, and the checks the warnings panel shows. The page keeps
// answering input meanwhile.
import { buildDataplane, type Dataplane } from '../../core/dataplane/dataplane';
import { editScenario } from '../../core/scenario/edit';
import { parseScenario } from '../../core/scenario/parse';
import { realize } from '../../core/cluster/realize';
import { plan } from '../../core/plan/plan';
import { checkThreeRules } from '../../core/trace/threeRules';
import { newWarnings, summarizeDiff } from '../../core/cluster/diff';
import { rolloutsOf } from '../../core/cluster/rolloutReport';
import { editKernelChanges } from '../../core/dataplane/kernelChangeGroups';
import { packedOf } from '../../core/store/packedCluster';
import { toWire } from '../../core/store/wire';
import { generateScenarioText } from '../../core/scenario/generate';
import type { RealizedCluster, ScenarioIssue } from '../../core/api/types';
import type {
  DeriveRequest,
  EffectRequest,
  EffectSummary,
  LiveChain,
  TableRequest,
  TextRef,
  WorkerReply,
  WorkerRequest,
} from './workerProtocol';
import { packLines } from './packedLines';
import { nftTableLines } from '../../core/dataplane/kubeProxyNftables';
import { LiveStates, MissingText } from './liveStates';

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

/** Workloads and Services the page gets in full (the what-if panel edits a dozen). */
const PREVIEW = 50;
const MAX_CHANGES = 1000;
const MAX_CHANGED_REFS = 20000;

/** What going from `before` to `after` changed; `edit`: `after` was made from `before`, so its rollouts are this change's. */
function effect(before: RealizedCluster, after: RealizedCluster, edit: boolean): EffectSummary {
  const d = summarizeDiff(before, after, MAX_CHANGES, MAX_CHANGED_REFS);
  return {
    changes: d.changes,
    total: d.total,
    changed: d.refs,
    newWarnings: [...newWarnings(before, after)],
    rollouts: edit ? rolloutsOf(after) : [],
    kernels: editKernelChanges(dataplaneOf(before), dataplaneOf(after)),
  };
}

const lastId = (chain: LiveChain | undefined) => chain?.[chain.length - 1]?.id;

/** An undo or redo between two live states: what it changed, as the page computes it for a small scenario. */
function effectBetween(req: EffectRequest): WorkerReply {
  const before = states.stateOf(req.effect.before);
  alive(req.id);
  const after = states.stateOf(req.effect.after);
  if (!before || !after)
    return {
      id: req.id,
      ok: false,
      errors: [{ document: 'scenario', path: '', value: '', message: 'no such live state' }],
    };
  alive(req.id);
  // A redo to the state an edit made runs that edit's rollouts again; an undo runs none.
  const edit =
    req.effect.after.length === req.effect.before.length + 1 &&
    lastId(req.effect.after.slice(0, -1)) === lastId(req.effect.before);
  return { id: req.id, ok: true, effect: effect(before, after, edit) };
}

const encoder = new TextEncoder();

/** Between the phases of a request: the page's watchdog hears the worker is alive. */
const alive = (id: number) => (self as unknown as Worker).postMessage({ id, alive: true } satisfies WorkerReply);

/** Texts by the id the page names them with: the last few, so an edit never re-sends 5 MB. */
const texts = new Map<number, string>();
let nextTextId = 1;
function textIdOf(text: string): number {
  for (const [id, t] of texts) if (t === text) return id;
  const id = nextTextId++;
  texts.set(id, text);
  if (texts.size > 16) texts.delete(texts.keys().next().value!);
  return id;
}
function textOf(ref: TextRef): string {
  if ('text' in ref) return ref.text;
  const t = texts.get(ref.textId);
  if (t === undefined) throw new MissingText({ textId: ref.textId });
  return t;
}

/** The live cluster's latest states, by the page's ids: an edit applies to the state it was made on. */
const states = new LiveStates<TextRef>(textOf, (text, s) => realized.get(text) ?? remember(text, realize(s)));

/** One dataplane per cluster: the three-rules check and a later node table share it. */
const dataplanes = new WeakMap<RealizedCluster, Dataplane>();
function dataplaneOf(cluster: RealizedCluster): Dataplane {
  let dp = dataplanes.get(cluster);
  if (!dp) dataplanes.set(cluster, (dp = buildDataplane(cluster)));
  return dp;
}

/** A node's whole nat (or nft) table, packed: building it takes seconds at 10,000 Services, so it happens here. */
function table(req: TableRequest): { reply: WorkerReply; transfer: ArrayBuffer[] } {
  const fail = (message: string) => ({
    reply: {
      id: req.id,
      ok: false as const,
      errors: [{ document: 'scenario', path: '', value: req.table.node, message }],
    },
    transfer: [],
  });
  const cluster = req.live ? states.stateOf(req.live) : realizedOf(textOf(req));
  if (!cluster) return fail('the scenario does not parse');
  alive(req.id);
  const node = dataplaneOf(cluster).node(req.table.node);
  if (!node) return fail(`no node ${req.table.node}`);
  const lines = req.table.kind === 'nft' ? (node.nft ? nftTableLines(node.nft) : []) : node.nat.lines();
  const packed = packLines(lines);
  return {
    reply: { id: req.id, ok: true, lines: packed },
    transfer: [packed.bytes.buffer as ArrayBuffer, packed.starts.buffer as ArrayBuffer],
  };
}

function handle(req: DeriveRequest): { reply: WorkerReply; transfer: ArrayBuffer[] } {
  const { id, edit } = req;
  const fail = (errors: ScenarioIssue[]) => ({ reply: { id, ok: false as const, errors }, transfer: [] });
  const text = 'generate' in req ? generateScenarioText(req.generate) : textOf(req);
  let input = text;
  if (edit) {
    const e = editScenario(text, edit);
    if (!e.ok) return fail([{ document: 'scenario', path: '', value: '', message: e.message }]);
    input = e.text;
  }
  const p = parseScenario(input);
  if (!p.ok) return fail(p.errors);
  alive(id);
  const { live } = req;
  const cluster = live
    ? states.apply(live.id, input, p.scenario, live.base)
    : (realized.get(input) ?? remember(input, realize(p.scenario)));
  alive(id);
  const before = req.before === 'same' ? text : req.before ? textOf(req.before) : undefined;
  const prev = live?.before ? states.stateOf(live.before) : before !== undefined ? realizedOf(before) : undefined;
  // The raw documents and all but the first workloads and Services are megabytes the page never reads: they stay here.
  const s = p.scenario;
  const scenario = {
    ...s,
    documents: [],
    workloads: s.workloads.slice(0, PREVIEW),
    services: s.services.slice(0, PREVIEW),
    pods: s.pods.slice(0, PREVIEW),
  };
  const totals = { workloads: s.workloads.length, services: s.services.length };
  // The text goes back only when the page lacks it (an edit, a generated cluster), as bytes: decoding is cheap for the page.
  const changed = 'generate' in req || input !== text ? encoder.encode(input) : undefined;
  // The cluster goes as columns and JSON texts (toWire), not 150,000 pod objects to copy.
  const wire = toWire(packedOf(cluster)!);
  const reply: WorkerReply = {
    id,
    ok: true,
    textId: textIdOf(input),
    ...(changed ? { text: changed } : {}),
    scenario,
    totals,
    cluster: { parts: wire.parts.map((t) => encoder.encode(t)), columns: wire.columns },
    rules: checkThreeRules(dataplaneOf(cluster)),
    breaksFirst: plan(p.scenario, cluster).breaksFirst,
    // A live edit (the state it was made on is the one compared with) reports the rollouts it set off.
    ...(prev ? { effect: effect(prev, cluster, !!live && lastId(live.before) === lastId(live.base)) } : {}),
  };
  // The columns are copied, not transferred: this worker keeps the cluster to compare the next change with.
  const transfer = [changed, ...reply.cluster.parts]
    .map((b) => b?.buffer)
    .filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  return { reply, transfer };
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  let out: { reply: WorkerReply; transfer: ArrayBuffer[] };
  alive(e.data.id);
  try {
    out =
      'table' in e.data
        ? table(e.data)
        : 'effect' in e.data
          ? { reply: effectBetween(e.data), transfer: [] }
          : handle(e.data);
  } catch (err) {
    if (err instanceof MissingText)
      return (self as unknown as Worker).postMessage({
        id: e.data.id,
        ok: false,
        unknownText: true,
        ...err.where,
      } satisfies WorkerReply);
    out = {
      reply: {
        id: e.data.id,
        ok: false,
        errors: [
          { document: 'scenario', path: '', value: '', message: `could not be computed: ${(err as Error).message}` },
        ],
      },
      transfer: [],
    };
  }
  (self as unknown as Worker).postMessage(out.reply, out.transfer);
};
