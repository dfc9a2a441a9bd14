// Finds a Chromium for the browser tests and the bench: $CHROMIUM_PATH, then Playwright's own
// download, then the system's (Debian's /usr/bin/chromium), then the one shipped inside the
// @sparticuz/chromium devDependency; otherwise says how to get one.
import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';
import { packagedChromium } from './packagedChromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export interface FoundChromium {
  executablePath: string;
  /** Variables the browser needs on top of this process's environment. */
  env?: Record<string, string>;
}

function playwrightsOwn(): string | undefined {
  try {
    const own = chromium.executablePath();
    return existsSync(own) ? own : undefined;
  } catch {
    return undefined;
  }
}

export function findChromium(): FoundChromium {
  const fromEnv = process.env.CHROMIUM_PATH ?? process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return { executablePath: fromEnv };
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but there is no file there.`);
  }
  const own = playwrightsOwn();
  if (own) return { executablePath: own };
  const system = SYSTEM_CHROMIUMS.find((p) => existsSync(p));
  if (system) return { executablePath: system };
  const packaged = packagedChromium();
  if (packaged) return packaged;
  throw new Error(
    'No Chromium found for the end-to-end tests. `npm install` brings one (the @sparticuz/chromium devDependency, ' +
      'Linux x64 only); otherwise install one with `apt-get install -y chromium` (Debian/Ubuntu) ' +
      'or set CHROMIUM_PATH=/path/to/chrome.',
  );
}

/** What `chromium.launch` (or Playwright's `launchOptions`) needs to start the Chromium found. */
export function chromiumLaunchOptions(): LaunchOptions {
  const found = findChromium();
  const options: LaunchOptions = { executablePath: found.executablePath, args: CHROMIUM_ARGS };
  if (found.env) {
    const inherited = Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined);
    options.env = { ...Object.fromEntries(inherited), ...found.env };
  }
  return options;
}
