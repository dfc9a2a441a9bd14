/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Relative base: the built app works from any subpath of a static host.
export default defineConfig({
  base: './',
  root: '.',
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 600 },
  test: {
    include: ['core/**/*.test.ts', 'web/**/*.test.ts', 'web/**/*.test.tsx', 'lab/**/*.test.ts'],
    environment: 'node',
    // A safety net, not a speed check: property tests on a busy 2-core machine can take several seconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
