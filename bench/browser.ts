// The browser half of `npm run bench`: the built app in Chromium, timed the
// way a user feels it. Prints figures; asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser';
import { playTrace, type Playback } from './tracePlayback';

const PORT = 4391;
const URL_ = `http://127.0.0.1:${PORT}/explorer/`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Frame intervals (ms) while `act` runs, recorded with requestAnimationFrame in the page. */
async function frames(page: Page, act: () => Promise<void>): Promise<number[]> {
  // Strings, not functions: the bench runs under tsx, whose helpers do not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = []; window.__rec = true;
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__rec) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await act();
  return page.evaluate('(() => { window.__rec = false; return window.__frames.slice(1); })()') as Promise<number[]>;
}

/**
 * Keys typed into the Find box every 40 ms while `act` runs, and the longest
 * time from a keypress to the next paint (Event Timing's duration): what INP
 * would report for this stretch.
 */
async function typingLatency(page: Page, act: () => Promise<void>): Promise<{ worst: number; keys: number }> {
  await page.evaluate(`(() => {
    window.__events = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__events.push(e.duration); }).observe({ type: 'event', durationThreshold: 16, buffered: false });
  })()`);
  const find = page.getByRole('search').getByLabel('Find');
  let typing = true;
  let keys = 0;
  const typer = (async () => {
    await find.focus();
    while (typing) {
      await page.keyboard.press(keys % 8 === 7 ? 'Backspace' : 'a');
      keys++;
      await page.waitForTimeout(40);
    }
  })();
  await act();
  typing = false;
  await typer;
  await page.waitForTimeout(300);
  const durations = (await page.evaluate('window.__events')) as number[];
  return { worst: Math.max(0, ...durations), keys };
}

/** The longest main-thread task (ms) while `act` runs: what a keypress would wait for. */
async function longestTask(page: Page, act: () => Promise<void>): Promise<number> {
  await page.evaluate(`(() => {
    window.__long = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long = Math.max(window.__long, e.duration); }).observe({ type: 'longtask', buffered: false });
  })()`);
  await act();
  await page.waitForTimeout(200);
  return page.evaluate('window.__long') as Promise<number>;
}

const playbackRow = (what: string, p: Playback): [string, string] => [
  `${what}: a trace playing (${p.steps} steps, fast)`,
  `frames p50 / p95 / worst ${pct(p.frames, 50).toFixed(1)} / ${pct(p.frames, 95).toFixed(1)} / ${Math.max(...p.frames).toFixed(0)} ms, ${p.frames.filter((x) => x > 50).length} of ${p.frames.length} over 50 ms; longest task ${p.longestTask.toFixed(0)} ms`,
];

export async function browserBench(nodes = 5000): Promise<void> {
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('vite build failed');
  const server = spawn(process.execPath, ['e2e/serve.mjs', String(PORT), 'explorer'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const browser = await chromium.launch(chromiumLaunchOptions());
  const rows: [string, string][] = [];
  try {
    // A returning visitor: the first-visit welcome would cover the controls the bench clicks.
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(() => localStorage.setItem('k8snet-explorer/prefs', '{"onboarded":true}'));
    const page = await context.newPage();
    let t = Date.now();
    await page.goto(URL_);
    await page.getByRole('button', { name: /^node node-a / }).waitFor();
    rows.push(['default cluster: load to first diagram', `${Date.now() - t} ms`]);
    rows.push(playbackRow('2 nodes', await playTrace(page)));

    const panel = page.getByRole('region', { name: 'Scenario' });
    await panel.getByText('Generate a large cluster').click();
    await panel.getByLabel('Nodes').fill('50');
    await panel.getByRole('button', { name: 'Generate' }).click();
    await page.getByRole('img', { name: /^Overview of 50 nodes/ }).waitFor({ timeout: 60_000 });
    rows.push(playbackRow('50 nodes', await playTrace(page, { from: 'node/gen-50-worker7', to: '10.0.20.2' })));

    await panel.getByLabel('Nodes').fill(String(nodes));
    // Not the 50-node overview still on screen.
    const overviewName = new RegExp(`^Overview of ${nodes.toLocaleString('en-US')} nodes`);
    t = Date.now();
    const genLong = await longestTask(page, async () => {
      await panel.getByRole('button', { name: 'Generate' }).click();
      await page.getByRole('img', { name: overviewName }).waitFor({ timeout: 120_000 });
    });
    rows.push([
      `${nodes.toLocaleString('en-US')} nodes × 30 pods: Generate to first diagram`,
      `${Date.now() - t} ms (longest task ${genLong.toFixed(0)} ms)`,
    ]);

    const canvas = page.getByRole('img', { name: overviewName });
    const box = (await canvas.boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const f = await frames(page, async () => {
      await page.mouse.move(cx, cy);
      for (let i = 0; i < 15; i++) {
        await page.mouse.wheel(0, -120);
        await page.waitForTimeout(16);
      }
      await page.mouse.down();
      for (let i = 0; i < 30; i++) {
        await page.mouse.move(cx - i * 8, cy - i * 4);
        await page.waitForTimeout(16);
      }
      await page.mouse.up();
      for (let i = 0; i < 15; i++) {
        await page.mouse.wheel(0, 120);
        await page.waitForTimeout(16);
      }
    });
    rows.push([
      'pan/zoom on the overview: frame time p50 / p95',
      `${pct(f, 50).toFixed(1)} / ${pct(f, 95).toFixed(1)} ms over ${f.length} frames`,
    ]);

    const field = page.getByRole('region', { name: 'What if' }).getByLabel('Node mask', { exact: true });
    await field.fill('23');
    t = Date.now();
    const editLong = await longestTask(page, async () => {
      await field.press('Enter');
      await page.getByLabel('Cluster ranges').getByText('/23').waitFor({ timeout: 120_000 });
    });
    rows.push([
      'edit (node mask /24 → /23) to updated diagram',
      `${Date.now() - t} ms (longest task ${editLong.toFixed(0)} ms)`,
    ]);

    // Typing while the worker re-derives the whole cluster (node mask back to /24).
    await field.fill('24');
    const typed = await typingLatency(page, async () => {
      await field.press('Enter');
      await page.getByLabel('Cluster ranges').getByText('/24').waitFor({ timeout: 120_000 });
    });
    rows.push([
      'typing during a re-derive: worst keypress to paint (INP)',
      `${typed.worst.toFixed(0)} ms over ${typed.keys} keys`,
    ]);

    await page.getByRole('search').getByLabel('Find').fill('gen-5000-worker4321');
    t = Date.now();
    await page.getByRole('search').getByRole('button', { name: 'Find' }).click();
    await page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('heading', { name: 'Node gen-5000-worker4321' })
      .waitFor();
    rows.push(['Find a node to its inspector', `${Date.now() - t} ms`]);
  } finally {
    await browser.close();
    server.kill();
  }
  console.log('\nbrowser (built app in Chromium, 1280×720)');
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}
