import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/browser';

const PORT = 4317;

// The built app, served as static files from a subpath, as it is deployed.
export default defineConfig({
  testDir: 'e2e',
  // Only the browser tests: e2e/*.test.ts are vitest's (the browser finder's own tests).
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}/explorer/`,
    viewport: { width: 1280, height: 720 },
    // A returning visitor: the first-run welcome is already dismissed (e2e/onboarding.spec.ts opens it).
    storageState: {
      cookies: [],
      origins: [
        {
          origin: `http://127.0.0.1:${PORT}`,
          localStorage: [{ name: 'k8snet-explorer/prefs', value: '{"onboarded":true}' }],
        },
      ],
    },
    launchOptions: chromiumLaunchOptions(),
  },
  webServer: {
    command: `node e2e/serve.mjs ${PORT} explorer`,
    url: `http://127.0.0.1:${PORT}/explorer/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
