import { describe, expect, it } from 'vitest';
import { initialTheme, PREFS_KEY, readPrefs, writePrefs } from './prefs';

/** A Storage over a Map, as the browser's localStorage behaves for these calls. */
function memoryStorage(init: Record<string, string> = {}): Storage {
  const m = new Map(Object.entries(init));
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe('preferences', () => {
  it('a stored theme wins over the system preference; without one the system decides', () => {
    expect(initialTheme({}, true)).toBe('dark');
    expect(initialTheme({}, false)).toBe('light');
    expect(initialTheme({ theme: 'light' }, true)).toBe('light');
    expect(initialTheme({ theme: 'dark' }, false)).toBe('dark');
  });

  it('writes merge: choosing a theme keeps the dismissed first-run panel', () => {
    const s = memoryStorage();
    writePrefs(s, { onboarded: true });
    writePrefs(s, { theme: 'dark' });
    expect(readPrefs(s)).toEqual({ theme: 'dark', onboarded: true });
  });

  it('ignores values it did not write (another version, a hand edit) and storage that throws', () => {
    expect(readPrefs(memoryStorage({ [PREFS_KEY]: '{"theme":"sepia","onboarded":"yes"}' }))).toEqual({});
    expect(readPrefs(memoryStorage({ [PREFS_KEY]: 'not json' }))).toEqual({});
    const broken = memoryStorage();
    broken.getItem = () => {
      throw new Error('SecurityError');
    };
    broken.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(readPrefs(broken)).toEqual({});
    expect(() => writePrefs(broken, { theme: 'dark' })).not.toThrow();
  });
});
