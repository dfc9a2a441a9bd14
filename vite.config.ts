/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The example scenarios as a module: public/scenarios stays the one copy (served as
 * files, named in the README and the CLI), read here at build time. Importing
 * from public/ directly makes Vite warn on every example.
 */
function examples(): Plugin {
  const id = 'virtual:examples';
  const dir = fileURLToPath(new URL('./public/scenarios/', import.meta.url));
  return {
    name: 'k8snet-examples',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
        file: string;
        title: string;
        description: string;
      }[];
      for (const e of index) this.addWatchFile(join(dir, e.file));
      const list = index.map((e) => ({ ...e, text: readFileSync(join(dir, e.file), 'utf8') }));
      return `export default ${JSON.stringify(list)};`;
    },
  };
}

// Relative base: the built app works from any subpath of a static host.
export default defineConfig({
  base: './',
  root: '.',
  plugins: [react(), examples()],
  // The budget that matters is gzip, checked by scripts/bundle-size.mjs after every build (265 KB).
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 700 },
  test: {
    include: [
      'core/**/*.test.ts',
      'cli/**/*.test.ts',
      'web/**/*.test.ts',
      'web/**/*.test.tsx',
      'lab/**/*.test.ts',
      'e2e/**/*.test.ts',
    ],
    environment: 'node',
    // A safety net, not a speed check: property tests on a busy 2-core machine can take several seconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
