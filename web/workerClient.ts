// The page's side of the derivation worker: requests with ids, replies as
// promises, and every derived cluster handed to whoever listens (derive.ts caches it).
import type { ScenarioEdit } from '../core/model/edit';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

/** Scenario texts longer than this are validated, edited and derived in the worker. */
export const WORKER_THRESHOLD = 256 * 1024;

export const workerAvailable = () => typeof Worker !== 'undefined';
export const isBig = (text: string) => text.length > WORKER_THRESHOLD && workerAvailable();

type Derived = Extract<WorkerReply, { ok: true }>;
/** Told of every derived cluster, with the text it was compared against (the same string the page holds). */
export const derivedListeners = new Set<(d: Derived, before: string | undefined) => void>();

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (r: WorkerReply) => void; before: string | undefined }>();

export function askWorker(text: string, edit?: ScenarioEdit, before?: string): Promise<WorkerReply> {
  if (!worker) {
    worker = new Worker(new URL('./deriveWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const r = e.data;
      const w = waiting.get(r.id);
      waiting.delete(r.id);
      if (r.ok) for (const l of derivedListeners) l(r, w?.before);
      w?.resolve(r);
    };
  }
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, { resolve, before });
    worker!.postMessage({ id, text, ...(edit ? { edit } : {}), ...(before !== undefined ? { before } : {}) } satisfies WorkerRequest);
  });
}
