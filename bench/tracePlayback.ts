// A trace playing on the stage: frame intervals and the longest main-thread task while the
// packet moves from hop to hop. Figures only; nothing here asserts a time.
import type { Page } from '@playwright/test';

export interface Playback {
  steps: number;
  frames: number[];
  longestTask: number;
}

/** Starts recording frames and long tasks in the page (strings: tsx's helpers do not exist there). */
const START = `(() => {
  window.__frames = []; window.__rec = true; window.__long = 0;
  let last = performance.now();
  const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__rec) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long = Math.max(window.__long, e.duration); }).observe({ type: 'longtask', buffered: false });
})()`;
const STOP = `(() => { window.__rec = false; return { frames: window.__frames.slice(1), long: window.__long }; })()`;

/** Traces FROM -> TO (typed refs, or the form's defaults when omitted) and plays it to the end at "fast". */
export async function playTrace(page: Page, req?: { from: string; to: string }): Promise<Playback> {
  const panel = page.getByRole('region', { name: 'Trace' });
  if (req) {
    await panel.getByLabel('From', { exact: true }).fill(req.from);
    await panel.getByLabel('To', { exact: true }).fill(req.to);
  }
  await panel.getByRole('button', { name: 'Trace', exact: true }).click();
  const info = panel.getByText(/^Step \d+ of \d+/);
  await info.waitFor();
  const steps = Number(/of (\d+)/.exec((await info.textContent()) ?? '')![1]);
  await panel.getByLabel('Speed').selectOption({ label: 'fast' });
  await page.evaluate(START);
  await panel.getByRole('button', { name: 'Play' }).click();
  await panel.getByText(new RegExp(`^Step ${steps} of ${steps}`)).waitFor({ timeout: 120_000 });
  // The last hop's animation.
  await page.waitForTimeout(500);
  const r = (await page.evaluate(STOP)) as { frames: number[]; long: number };
  return { steps, frames: r.frames, longestTask: r.long };
}
