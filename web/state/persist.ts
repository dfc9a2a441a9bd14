// Where a scenario lives between visits: localStorage (autosave) and share
// links. Both are untrusted on the way back in: anything that does not decode
// or parse opens the default scenario with a message instead.
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { MAX_SCENARIO_BYTES } from '../../core/scenario/parse';
import { parseCached as parseScenario } from './parseCache';

export const STORAGE_KEY = 'k8snet-explorer/v1';

export interface Saved {
  scenario: string;
  selection: string | null;
}

/** A traced packet a link carries: the request as the Trace form takes it, and the step on screen (0-based). */
export interface SharedTrace {
  from: string;
  to: string;
  port?: number;
  protocol?: 'TCP' | 'UDP';
  family?: 'IPv4' | 'IPv6';
  step: number;
}

/** What a share link opens: the scenario and selection, and the trace at its step. */
export interface Shared extends Saved {
  trace?: SharedTrace | null;
}

export interface Startup {
  saved: Saved | null;
  /** Opened from a share link: a visit, shown over the user's own saved state, which stays untouched. */
  visiting: boolean;
  /** Said to the user when a link or the saved state could not be used. */
  notice: string | null;
  /** The trace a share link carried. */
  trace: SharedTrace | null;
  /** A big link or saved scenario: checked off the main thread once the page is up, not here. */
  pending: PendingOpen | null;
}

/** What is being opened in the background; `failed` when the worker was lost (Retry asks again). */
export interface Opening {
  from: PendingOpen['from'];
  bytes: number;
  failed: string | null;
}

/** Input too big to parse at start without freezing the page: the worker validates it. */
export interface PendingOpen extends Saved {
  from: 'link' | 'saved';
  trace: SharedTrace | null;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The URL fragment that reopens this scenario, selection and trace step: never sent to a server. */
export function shareHash(state: Shared): string {
  const params = new URLSearchParams();
  params.set('scenario', toBase64Url(deflateSync(strToU8(state.scenario), { level: 9 })));
  if (state.selection) params.set('select', state.selection);
  const t = state.trace;
  if (t) {
    params.set('from', t.from);
    params.set('to', t.to);
    if (t.port !== undefined) params.set('port', String(t.port));
    if (t.protocol) params.set('protocol', t.protocol);
    if (t.family) params.set('family', t.family);
    params.set('step', String(t.step + 1));
  }
  return `#${params.toString()}`;
}

/** The trace part of a share link; a reason when a field is there but unusable. */
function readSharedTrace(
  params: URLSearchParams,
): { ok: true; trace: SharedTrace | null } | { ok: false; why: string } {
  const from = params.get('from');
  const to = params.get('to');
  if (from === null && to === null) return { ok: true, trace: null };
  if (!from || !to) return { ok: false, why: `its trace names ${from ? 'no destination (to)' : 'no source (from)'}` };
  const port = params.get('port');
  const protocol = params.get('protocol');
  const family = params.get('family');
  const step = params.get('step') ?? '1';
  // The same rule as the Trace form: a whole number from 1 to 65535.
  if (port !== null && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535))
    return { ok: false, why: `its trace port "${port}" is not a whole number from 1 to 65535` };
  if (protocol !== null && protocol !== 'TCP' && protocol !== 'UDP')
    return { ok: false, why: `its trace protocol "${protocol}" is neither TCP nor UDP` };
  if (family !== null && family !== 'IPv4' && family !== 'IPv6')
    return { ok: false, why: `its trace family "${family}" is neither IPv4 nor IPv6` };
  if (!/^\d+$/.test(step) || Number(step) < 1)
    return { ok: false, why: `its trace step "${step}" is not a step number (1, 2, ...)` };
  return {
    ok: true,
    trace: {
      from,
      to,
      ...(port !== null ? { port: Number(port) } : {}),
      ...(protocol !== null ? { protocol } : {}),
      ...(family !== null ? { family } : {}),
      step: Number(step) - 1,
    },
  };
}

type Read<T> = { ok: true; saved: T } | { ok: false; why: string } | null;

/** Why a scenario text is refused, or null when it parses. */
function refusal(text: string): string | null {
  const p = parseScenario(text);
  return p.ok ? null : `${p.errors[0]!.document}: ${p.errors[0]!.message}`;
}

/** Reads a share fragment; null when the fragment is not a share link. */
export function readShareHash(hash: string): Read<Shared> {
  const link = decodeShareHash(hash);
  const why = link?.ok ? refusal(link.saved.scenario) : null;
  return why ? { ok: false, why: `its scenario is not valid: ${why}` } : link;
}

/** A share fragment's scenario, selection and trace, decoded but not parsed. */
function decodeShareHash(hash: string): Read<Shared> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get('scenario');
  if (packed === null) return null;
  let text: string;
  try {
    // A fixed output buffer: a crafted link cannot inflate into gigabytes.
    const out = inflateSync(fromBase64Url(packed), { out: new Uint8Array(MAX_SCENARIO_BYTES + 1) });
    if (out.length > MAX_SCENARIO_BYTES)
      return { ok: false, why: `its scenario is larger than ${MAX_SCENARIO_BYTES.toLocaleString('en-US')} bytes` };
    text = strFromU8(out);
  } catch {
    return {
      ok: false,
      why: 'the link is damaged (its scenario does not decode); perhaps it was cut short when copied',
    };
  }
  const shared = readSharedTrace(params);
  if (!shared.ok) return shared;
  return { ok: true, saved: { scenario: text, selection: params.get('select'), trace: shared.trace } };
}

/** The raw autosave, or null when there is none or storage is disabled. */
export function rawSaved(storage: Storage | undefined): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled: start fresh, silently
  }
}

/** An autosave (from this tab's storage or another tab's storage event) checked like any other input. */
export function parseSaved(raw: string | null): Read<Saved> {
  const saved = decodeSaved(raw);
  const why = saved?.ok ? refusal(saved.saved.scenario) : null;
  return why ? { ok: false, why } : saved;
}

/** An autosave's JSON read, its scenario not yet parsed. */
function decodeSaved(raw: string | null): Read<Saved> {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<Saved>;
    if (typeof v.scenario !== 'string') throw new Error('no scenario');
    return {
      ok: true,
      saved: { scenario: v.scenario, selection: typeof v.selection === 'string' ? v.selection : null },
    };
  } catch {
    return { ok: false, why: 'it is not in a format this version understands' };
  }
}

/** The user's own saved scenario and selection, as they are in storage now; null when there is none usable. */
export function readOwn(storage: Storage | undefined): Saved | null {
  const stored = parseSaved(rawSaved(storage));
  return stored?.ok ? stored.saved : null;
}

/** Nothing opened yet: the default scenario, no visit, no notice. */
const none: Startup = { saved: null, visiting: false, notice: null, trace: null, pending: null };

/**
 * What to open: a share link first (as a visit: the autosave stays the user's own), then the autosaved
 * state, else the default. Texts `deferred` says are big are not parsed here but returned as `pending`.
 */
export function startup(hash: string, storage: Storage | undefined, deferred = (_: string) => false): Startup {
  const link = decodeShareHash(hash);
  if (link?.ok) {
    const { trace, ...saved } = link.saved;
    // The user's own (small) scenario stays on screen while the link is opened.
    if (deferred(saved.scenario))
      return {
        ...none,
        saved: ownStartup(storage, deferred, null).saved,
        pending: { ...saved, trace: trace ?? null, from: 'link' },
      };
    const why = refusal(saved.scenario);
    if (!why) return { ...none, saved, visiting: true, trace: trace ?? null };
    return ownStartup(storage, deferred, `its scenario is not valid: ${why}`);
  }
  return ownStartup(storage, deferred, link ? link.why : null);
}

/** The user's own saved state at start; `linkRefused` says why a share link given could not be opened. */
export function ownStartup(
  storage: Storage | undefined,
  deferred: (text: string) => boolean,
  linkRefused: string | null,
): Startup {
  const stored = decodeSaved(rawSaved(storage));
  const big = stored?.ok && deferred(stored.saved.scenario);
  const why = stored?.ok && !big ? refusal(stored.saved.scenario) : stored?.ok === false ? stored.why : null;
  const own = stored?.ok && !why ? stored.saved : null;
  const opened = big ? { ...none, pending: { ...own!, trace: null, from: 'saved' as const } } : { ...none, saved: own };
  if (linkRefused !== null)
    return {
      ...opened,
      notice: `The shared link could not be opened: ${linkRefused}. ${own ? 'Your last scenario' : 'The default scenario'} is shown instead.`,
    };
  if (why)
    return { ...none, notice: `Your saved scenario could not be restored (${why}); the default scenario is shown.` };
  return opened;
}

/** Browsers keep about 5 MB per site; a bigger scenario is not autosaved (Export keeps it). */
export const MAX_SAVED_CHARS = 4 * 1024 * 1024;

/** Saves the state; false when it could not be kept (too big, or the browser refused), so the page can say so. */
export function save(storage: Storage | undefined, state: Saved): boolean {
  try {
    // Too big to keep: forget the older save too, or a reload would bring back a scenario from before.
    if (state.scenario.length > MAX_SAVED_CHARS) {
      storage?.removeItem(STORAGE_KEY);
      return false;
    }
    storage?.setItem(STORAGE_KEY, JSON.stringify(state));
    return true;
  } catch {
    // Quota exceeded or storage disabled: autosave is a convenience, never an error.
    return false;
  }
}

/**
 * The longest share link offered: Chromium opens URLs up to 2 MB (url::kMaxURLChars) but its address bar
 * takes only 32 KiB (kMaxURLDisplayChars), so a longer link pasted there is cut short; Firefox (64 KiB shown)
 * and Safari take more. 32,000 characters opens in all three, pasted or clicked.
 */
export const MAX_SHARE_URL_CHARS = 32_000;

/** Why a share link cannot be offered (too long for a browser to open), or null when it can. */
export function shareRefusal(url: string): string | null {
  if (url.length <= MAX_SHARE_URL_CHARS) return null;
  return `This link would be ${url.length.toLocaleString('en-US')} characters long; browsers do not reliably open links over ${MAX_SHARE_URL_CHARS.toLocaleString('en-US')} characters (Chrome's address bar cuts them short). Use Export to share the scenario as a file.`;
}
