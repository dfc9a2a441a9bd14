// What the user chose about the page itself (theme, the first-run panel), kept across visits.
// Apart from the scenario's autosave: a preference never carries cluster data.
export type ThemeChoice = 'light' | 'dark';

export const PREFS_KEY = 'k8snet-explorer/prefs';

export interface Prefs {
  /** Absent until the user picks one: the system's prefers-color-scheme decides until then. */
  theme?: ThemeChoice;
  /** The first-run panel was dismissed. */
  onboarded?: boolean;
}

export function readPrefs(storage: Storage | undefined): Prefs {
  try {
    const raw = storage?.getItem(PREFS_KEY);
    if (!raw) return {};
    const v = JSON.parse(raw) as Record<string, unknown>;
    const out: Prefs = {};
    if (v.theme === 'light' || v.theme === 'dark') out.theme = v.theme;
    if (v.onboarded === true) out.onboarded = true;
    return out;
  } catch {
    return {}; // storage disabled or a value from elsewhere: the defaults, silently
  }
}

/** Merges one change into what is stored; a browser that refuses storage keeps the choice for this visit only. */
export function writePrefs(storage: Storage | undefined, change: Prefs): void {
  try {
    storage?.setItem(PREFS_KEY, JSON.stringify({ ...readPrefs(storage), ...change }));
  } catch {
    // Quota or privacy mode: a preference is a convenience, never an error.
  }
}

/** The theme to open with: the stored choice, else the system's preference. */
export function initialTheme(prefs: Prefs, systemPrefersDark: boolean): ThemeChoice {
  return prefs.theme ?? (systemPrefersDark ? 'dark' : 'light');
}

export interface PrefsState {
  theme: ThemeChoice;
  /** The first-run panel was dismissed (kept across visits). */
  onboarded: boolean;
  toggleTheme: () => void;
  dismissOnboarding: () => void;
}

type Set = (change: Partial<PrefsState> | ((s: PrefsState) => Partial<PrefsState>)) => void;

/** The store's part for preferences: each choice is written through to storage as it is made. */
export function prefsSlice(set: Set, storage: () => Storage | undefined, systemPrefersDark: boolean): PrefsState {
  const prefs = readPrefs(storage());
  return {
    theme: initialTheme(prefs, systemPrefersDark),
    onboarded: prefs.onboarded === true,
    toggleTheme: () =>
      set((s) => {
        const theme = s.theme === 'light' ? 'dark' : 'light';
        writePrefs(storage(), { theme });
        return { theme };
      }),
    dismissOnboarding: () => {
      writePrefs(storage(), { onboarded: true });
      set({ onboarded: true });
    },
  };
}
