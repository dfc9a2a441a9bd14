// The page's side of the derivation worker: requests with ids, replies as
// promises, and every derived cluster handed to whoever listens (derive.ts caches it).
import type { ScenarioEdit } from '../../core/scenario/edit';
import type { GenerateOptions } from '../../core/scenario/generate';
import { clusterFromPacked } from '../../core/store/packedCluster';
import { fromWire } from '../../core/store/wire';
import type { RealizedCluster, ScenarioIssue } from '../../core/api/types';
import type {
  DerivedReply,
  EffectSummary,
  LiveChain,
  PackedLines,
  TextRef,
  WorkerReply,
  WorkerRequest,
} from './workerProtocol';

/** Scenario texts longer than this are validated, edited and derived in the worker. */
export const WORKER_THRESHOLD = 256 * 1024;

export const workerAvailable = () => typeof Worker !== 'undefined';
export const isBig = (text: string) => text.length > WORKER_THRESHOLD && workerAvailable();

/** A reply with its text as the page's string (the request's own string when the worker did not change it). */
export type Derived = Omit<DerivedReply, 'text' | 'textId' | 'cluster'> & {
  text: string;
  cluster: RealizedCluster;
  /** The live state it is (the id the request gave), when it was realized from one. */
  liveId?: number;
  /** The live state its effect was computed from, when it was one. */
  beforeLiveId?: number;
};

/** One state of the live cluster as the page holds it: its id and text (web/state/liveHistory.ts). */
export interface PageLink {
  id: number;
  text: string;
}

/** A request on the live cluster: the text applied to the state `base` ends in, held as `id`; compared with `before`'s. */
export interface LiveAsk {
  id: number;
  base: PageLink[];
  before?: PageLink[];
}

/**
 * The live state an edit of the text `from` is made on (derive.ts, which follows the history, sets it):
 * the store asks the worker with it, so a big scenario's edit keeps running pods where they are.
 */
export const liveEdits: { of: (from: string) => LiveAsk | undefined } = { of: () => undefined };
export type Answer = Derived | { ok: false; errors: ScenarioIssue[] };

/**
 * No word from a worker that has work for this long: it is lost (a silent crash, a worker the browser
 * killed), not slow. It sends a heartbeat between the phases of each request; the longest phase
 * measured (one node's nat table at 10,000 Services) takes about 5 s on a 2-core machine.
 */
export const SILENCE_LIMIT_MS = 20_000;

/** Told when the worker is given up for lost, with the reason; what it was asked has failed by then. */
export const lostListeners = new Set<(reason: string) => void>();

/** Told of every derived cluster, with the text it was compared against (the same string the page holds). */
export const derivedListeners = new Set<(d: Derived, before: string | undefined) => void>();

let worker: Worker | undefined;
let nextId = 1;
const decoder = new TextDecoder();

/** Texts the worker holds, by its id for them: the page never sends those again. */
const workerIds = new Map<string, number>();
const KNOWN_TEXTS = 8;
function remember(text: string, id: number): void {
  workerIds.delete(text);
  workerIds.set(text, id);
  if (workerIds.size > KNOWN_TEXTS) workerIds.delete(workerIds.keys().next().value!);
}
const refTo = (text: string): TextRef => {
  const id = workerIds.get(text);
  return id !== undefined ? { textId: id } : { text };
};

interface Pending {
  resolve: (r: Answer) => void;
  source: { text: string } | { generate: GenerateOptions };
  edit: ScenarioEdit | undefined;
  before: string | undefined;
  live?: LiveAsk;
  /** Live states whose texts the worker asked for: they go in full. */
  inline?: Set<number>;
}
interface PendingTable {
  resolveTable: (r: TableAnswer) => void;
  source: { text: string };
  table: { node: string; kind: 'nat' | 'nft' };
  live?: PageLink[];
  inline?: Set<number>;
}
export type TableAnswer = { ok: true; lines: PackedLines } | { ok: false; errors: ScenarioIssue[] };
interface PendingEffect {
  resolveEffect: (r: EffectAnswer) => void;
  effect: { before: PageLink[]; after: PageLink[] };
  inline?: Set<number>;
}
export type EffectAnswer = { ok: true; effect: EffectSummary } | { ok: false; errors: ScenarioIssue[] };
type Asked = Pending | PendingTable | PendingEffect;
const waiting = new Map<number, Asked>();

/** Lets the page paint and answer input between the steps of taking a reply in. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A reply is taken in over several short tasks (the text, each JSON part,
 * then the cluster), never one long one: input typed meanwhile is answered
 * within a frame or two. Replies are taken in one at a time, in order.
 */
let intake: Promise<void> = Promise.resolve();

async function takeIn(r: DerivedReply, w: Pending): Promise<void> {
  await nextTask();
  const text = r.text ? decoder.decode(r.text) : 'text' in w.source ? w.source.text : undefined;
  if (text === undefined) return;
  const parsed: unknown[] = [];
  for (const part of r.cluster.parts) {
    await nextTask();
    parsed.push(JSON.parse(decoder.decode(part)));
  }
  await nextTask();
  const cluster = clusterFromPacked(fromWire(parsed, r.cluster.columns));
  remember(text, r.textId);
  const { textId: _, text: __, ...rest } = r;
  const beforeLiveId = w.live?.before?.[w.live.before.length - 1]?.id;
  const d: Derived = {
    ...rest,
    text,
    cluster,
    ...(w.live ? { liveId: w.live.id } : {}),
    ...(beforeLiveId !== undefined ? { beforeLiveId } : {}),
  };
  for (const l of derivedListeners) l(d, w.before);
  w.resolve(d);
}

let lastHeard = 0;
let watchdog: ReturnType<typeof setInterval> | undefined;

function watch(): void {
  if (watchdog) return;
  watchdog = setInterval(() => {
    if (waiting.size === 0) {
      clearInterval(watchdog);
      watchdog = undefined;
    } else if (Date.now() - lastHeard > SILENCE_LIMIT_MS)
      lose(`it sent nothing for ${SILENCE_LIMIT_MS / 1000} s and was stopped`);
  }, 1000);
}

/** The worker is gone: everything it was asked fails with the reason, and the next request starts a new one. */
function lose(reason: string): void {
  worker?.terminate();
  worker = undefined;
  workerIds.clear();
  const errors = [
    {
      document: 'scenario',
      path: '',
      value: '',
      message: `the background computation stopped (${reason}); the cluster shown is the last one computed`,
    },
  ];
  for (const w of waiting.values()) {
    if ('resolveTable' in w) w.resolveTable({ ok: false, errors });
    else if ('resolveEffect' in w) w.resolveEffect({ ok: false, errors });
    else w.resolve({ ok: false, errors });
  }
  waiting.clear();
  for (const l of lostListeners) l(reason);
}

function onReply(r: WorkerReply): void {
  lastHeard = Date.now();
  if ('alive' in r) return;
  const w = waiting.get(r.id);
  waiting.delete(r.id);
  if (!w) return;
  if (!r.ok && 'unknownText' in r) {
    // The worker lacks a text (it dropped it, or a live state's it no longer holds): send that text itself.
    if (r.state !== undefined) (w.inline ??= new Set()).add(r.state);
    else if (r.textId !== undefined) {
      for (const [t, id] of workerIds) if (id === r.textId) workerIds.delete(t);
    } else if ('source' in w)
      for (const t of ['text' in w.source ? w.source.text : undefined, 'before' in w ? w.before : undefined])
        if (t !== undefined) workerIds.delete(t);
    return void send(w);
  }
  if ('resolveEffect' in w)
    return w.resolveEffect(
      r.ok && 'effect' in r && r.effect
        ? { ok: true, effect: r.effect }
        : { ok: false, errors: 'errors' in r ? r.errors : [] },
    );
  if ('resolveTable' in w)
    return w.resolveTable(
      r.ok && 'lines' in r ? { ok: true, lines: r.lines } : { ok: false, errors: 'errors' in r ? r.errors : [] },
    );
  if (!r.ok) return w.resolve({ ok: false, errors: r.errors });
  if (!('cluster' in r)) return;
  intake = intake
    .then(() => takeIn(r, w))
    .catch((e: unknown) => {
      w.resolve({
        ok: false,
        errors: [
          {
            document: 'scenario',
            path: '',
            value: '',
            message: `the derived cluster could not be read: ${(e as Error).message}`,
          },
        ],
      });
    });
}

function send(w: Asked): void {
  if (!worker) {
    worker = new Worker(new URL('./deriveWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<WorkerReply>) => onReply(e.data);
    // A worker that dies (out of memory, say) fails what it was asked, and the next request starts a new one.
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      lose(e.message || 'the worker failed');
    };
  }
  const id = nextId++;
  if (waiting.size === 0) lastHeard = Date.now();
  waiting.set(id, w);
  watch();
  const text = 'source' in w && 'text' in w.source ? w.source.text : undefined;
  // A live state's text goes by id when the worker has it, in full when it asked, else not at all (it holds the state).
  const chain = (links: PageLink[]): LiveChain =>
    links.map((l) => {
      const known = workerIds.get(l.text);
      if (w.inline?.has(l.id)) return { id: l.id, text: { text: l.text } };
      return known !== undefined ? { id: l.id, text: { textId: known } } : { id: l.id };
    });
  const request =
    'resolveEffect' in w
      ? { id, effect: { before: chain(w.effect.before), after: chain(w.effect.after) } }
      : 'table' in w
        ? { id, ...refTo(w.source.text), table: w.table, ...(w.live ? { live: chain(w.live) } : {}) }
        : ({
            id,
            ...(text !== undefined ? refTo(text) : w.source),
            ...(w.edit ? { edit: w.edit } : {}),
            ...(w.before !== undefined ? { before: w.before === text ? 'same' : refTo(w.before) } : {}),
            ...(w.live
              ? {
                  live: {
                    id: w.live.id,
                    base: chain(w.live.base),
                    ...(w.live.before ? { before: chain(w.live.before) } : {}),
                  },
                }
              : {}),
          } as WorkerRequest);
  worker.postMessage(request);
}

/** A node's whole nat or nft table of a big scenario, built in the worker and packed. */
export function askTable(text: string, node: string, kind: 'nat' | 'nft', live?: PageLink[]): Promise<TableAnswer> {
  return new Promise((resolveTable) =>
    send({ resolveTable, source: { text }, table: { node, kind }, ...(live ? { live } : {}) }),
  );
}

/** Derive `text` (after `edit`), or a generated cluster; `before` is what the change is compared with; `live`: the live state it applies to. */
export function askWorker(
  source: { text: string } | { generate: GenerateOptions },
  edit?: ScenarioEdit,
  before?: string,
  live?: LiveAsk,
): Promise<Answer> {
  return new Promise((resolve) => send({ resolve, source, edit, before, ...(live ? { live } : {}) }));
}

/** What going from one live state to another changed (an undo or redo): both held in the worker, only the effect comes back. */
export function askEffect(before: PageLink[], after: PageLink[]): Promise<EffectAnswer> {
  return new Promise((resolveEffect) => send({ resolveEffect, effect: { before, after } }));
}
