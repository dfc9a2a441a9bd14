import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './e2e/browser';

const PORT = 4317;

// The built app, served as static files from a subpath, as it is deployed.
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}/explorer/`,
    viewport: { width: 1280, height: 720 },
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `node e2e/serve.mjs ${PORT} explorer`,
    url: `http://127.0.0.1:${PORT}/explorer/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
