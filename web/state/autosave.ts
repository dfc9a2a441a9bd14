// Autosave: the scenario and selection survive a reload, and are never written
// over work that is not this tab's to replace.
// - A share link is a visit: nothing is saved until Keep this; its fragment stays
//   (a reload shows the visit again) and is dropped once the user chooses.
// - Tabs (one localStorage): when another tab saves a different scenario, this
//   tab says so (the storage event) and stops autosaving until Load theirs or
//   Keep mine. Before each save the stored value is compared with the last one
//   this tab saw, so a missed event (a frozen tab) cannot overwrite silently either.
import { parseSaved, rawSaved, save, STORAGE_KEY } from './persist';
import { opened, storage, useExplorer, type ExplorerState } from './store';

/** The stored value as this tab last wrote or read it. */
let lastSeen = rawSaved(storage());

function autosave(s: ExplorerState, force: boolean): boolean {
  const now = rawSaved(storage());
  if (!force && now !== lastSeen) {
    const theirs = parseSaved(now);
    lastSeen = now;
    if (theirs?.ok && theirs.saved.scenario !== s.scenarioText) {
      s.otherTabSaved(theirs.saved);
      return true;
    }
  }
  const kept = save(storage(), { scenario: s.scenarioText, selection: s.selection });
  lastSeen = rawSaved(storage());
  return kept;
}

function dropShareFragment() {
  if (window.location.hash.includes('scenario='))
    history.replaceState(null, '', window.location.pathname + window.location.search);
}

if (typeof window !== 'undefined') {
  // A big link being opened keeps its fragment too: a reload opens it again.
  if (!useExplorer.getState().visiting && opened.pending?.from !== 'link') dropShareFragment();
  useExplorer.subscribe((s, prev) => {
    // A lesson drives the selection; what is saved stays the user's own.
    // A big link that turned out unusable: nothing to reopen on reload.
    if (prev.opening?.from === 'link' && !s.opening && !s.visiting) dropShareFragment();
    // While a big scenario is being opened, what is on screen is not the user's work yet.
    if (s.lesson || s.visiting || s.otherTab || s.opening) return;
    // The user chose (Keep this, Back to mine, Load theirs, Keep mine): save what is on screen now.
    const chose = prev.visiting || prev.otherTab !== null;
    if (prev.visiting) dropShareFragment();
    if (!chose && s.scenarioText === prev.scenarioText && s.selection === prev.selection) return;
    const kept = autosave(s, chose);
    // Said once per scenario: a reload would otherwise bring back an older one without a word.
    if (!kept && (chose || s.scenarioText !== prev.scenarioText) && storage()) {
      useExplorer.setState({
        notice: `This scenario (${(s.scenarioText.length / 1048576).toFixed(1)} MB) is too big to keep in the browser's storage: a reload will not bring it back. Use Export to keep it.`,
      });
    }
  });
  // A share link pasted into an open tab changes only the fragment: open it as a visit like a fresh tab would.
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(window.location.hash.slice(1)).has('scenario')) window.location.reload();
  });
  window.addEventListener('storage', (e) => {
    // key null: another tab cleared the site's storage; nothing newer to protect.
    if (e.key !== STORAGE_KEY || e.storageArea !== storage()) return;
    lastSeen = e.newValue;
    const theirs = parseSaved(e.newValue);
    // Removed (their scenario was too big to keep) or unreadable: nothing to load, nothing to protect.
    if (theirs?.ok) useExplorer.getState().otherTabSaved(theirs.saved);
  });
}
