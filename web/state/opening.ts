// A big share link or saved scenario is opened after the page is up: the
// worker parses and derives it while the default cluster stays on screen and
// usable. Nothing is autosaved until it arrives (or the user starts from the
// default instead), so the saved scenario is never written over meanwhile.
import { ownStartup, type PendingOpen, type Startup } from './persist';
import { opened, storage, useExplorer } from './store';
import { askWorker, isBig } from '../worker/workerClient';

let pending: PendingOpen | null = null;
/** What was on screen when the opening began: untouched, it is no undo step. */
let shownBefore = '';

function ask(p: PendingOpen): void {
  pending = p;
  shownBefore = useExplorer.getState().scenarioText;
  useExplorer.setState({ opening: { from: p.from, bytes: p.scenario.length, failed: null } });
  void askWorker({ text: p.scenario }).then((r) => {
    const s = useExplorer.getState();
    // Another scenario was opened since (Start from the default, a second request): this answer is stale.
    if (pending !== p || s.opening === null) return;
    if (r.ok) return arrived(p);
    const why = `${r.errors[0]!.document}: ${r.errors[0]!.message}`;
    // A lost worker is not a bad scenario: keep waiting (autosave stays paused) until Retry.
    if (s.backgroundLost !== null)
      return useExplorer.setState({ opening: { from: p.from, bytes: p.scenario.length, failed: why } });
    pending = null;
    if (p.from === 'link') return open(ownStartup(storage(), isBig, `its scenario is not valid: ${why}`));
    useExplorer.setState({
      opening: null,
      notice: `Your saved scenario could not be restored (${why}); the default scenario is shown.`,
    });
  });
}

function arrived(p: PendingOpen): void {
  pending = null;
  const t = p.trace;
  useExplorer.setState((s) => ({
    scenarioText: p.scenario,
    selection: p.selection,
    trace: t
      ? {
          from: t.from,
          to: t.to,
          ...(t.port !== undefined ? { port: t.port } : {}),
          ...(t.protocol ? { protocol: t.protocol } : {}),
        }
      : null,
    traceStep: t?.step ?? 0,
    // What the user did meanwhile stays one Undo away.
    past: s.past.length === 0 && s.scenarioText === shownBefore ? [] : [...s.past, s.scenarioText],
    future: [],
    changedFrom: null,
    rejected: null,
    opening: null,
    visiting: p.from === 'link',
  }));
}

/** Applies what start-up found: a scenario at once, or a pending one asked of the worker. */
export function open(o: Startup): void {
  if (o.notice) useExplorer.setState({ notice: o.notice });
  if (o.pending) return ask(o.pending);
  useExplorer.setState({
    opening: null,
    ...(o.saved ? { scenarioText: o.saved.scenario, selection: o.saved.selection, changedFrom: null } : {}),
  });
}

/** The user gives up waiting: a link gives way to their own saved scenario; their own big one to the default. */
export function cancelOpening(): void {
  const from = pending?.from;
  pending = null;
  useExplorer.setState({ opening: null, visiting: false });
  if (from === 'link') open(ownStartup(storage(), isBig, null));
}

if (typeof window !== 'undefined') {
  if (opened.pending) ask(opened.pending);
  // Retry after a lost worker asks again for what was being opened.
  useExplorer.subscribe((s, prev) => {
    if (s.backgroundRetries !== prev.backgroundRetries && s.opening?.failed && pending) ask(pending);
  });
}
