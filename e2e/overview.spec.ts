// The overview of a big cluster: Find brings the tile into view, a trace's nodes are marked,
// +, -, Fit and the keyboard move the view.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { diagram, tracePanel } from './stageHelpers';

test.use({ viewport: { width: 1280, height: 720 } });

const overviewOf = (page: Page) => diagram(page).getByRole('img', { name: /^Overview of 200 nodes / });

async function generate(page: Page): Promise<Locator> {
  await page.goto('./');
  const panel = page.getByRole('region', { name: 'Scenario' });
  await panel.getByText('Generate a large cluster').click();
  await panel.getByLabel('Nodes').fill('200');
  await panel.getByLabel('Pods per node').fill('5');
  await panel.getByRole('button', { name: 'Generate' }).click();
  await expect(overviewOf(page)).toBeVisible({ timeout: 30_000 });
  return overviewOf(page);
}

async function find(page: Page, what: string) {
  const search = diagram(page).getByRole('search');
  await search.getByLabel('Find').fill(what);
  await search.getByRole('button', { name: 'Find' }).click();
  await expect(search.getByRole('status')).toContainText('Found:');
}

/** Pixels of the canvas in the hop colour (the trace's marks). */
const hopPixels = (overview: Locator) =>
  overview.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const hop = getComputedStyle(c).getPropertyValue('--hop').trim();
    const want = [1, 3, 5].map((i) => parseInt(hop.slice(i, i + 2), 16));
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (want.every((v, j) => Math.abs(d[i + j]! - v) <= 10) && d[i + 3]! > 200) n++;
    return n;
  });

test('Find centres the found tile: a click there selects that node', async ({ page }) => {
  const overview = await generate(page);
  await expect(overview).toHaveAccessibleDescription(/^zoom 1\.0×\./);
  await find(page, 'gen-200-worker150');
  await expect(overview).toHaveAccessibleDescription(/centred on gen-200-worker150\./);
  // A pod's address: its node's tile comes to the middle of the canvas.
  await find(page, '10.0.20.2');
  await expect(overview).toHaveAccessibleDescription(/centred on gen-200-worker20\./);
  await overview.click();
  await expect(diagram(page).getByRole('button', { name: /^node gen-200-worker20 / })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('the keyboard and the buttons zoom, pan and fit the overview', async ({ page }) => {
  const overview = await generate(page);
  const zoom = diagram(page).getByRole('group', { name: 'Overview zoom' });
  await zoom.getByRole('button', { name: 'Zoom the overview in' }).click();
  await expect(overview).toHaveAccessibleDescription(/^zoom 1\.5×/);
  await zoom.getByRole('button', { name: 'Zoom the overview out' }).click();
  await expect(overview).toHaveAccessibleDescription(/^zoom 1\.0×/);
  await zoom.getByRole('button', { name: 'Zoom the overview in' }).click();
  await zoom.getByRole('button', { name: 'Fit the overview' }).click();
  await expect(overview).toHaveAccessibleDescription(/^zoom 1\.0×/);

  await find(page, 'gen-200-worker150');
  await overview.focus();
  await page.keyboard.press('ArrowRight');
  await expect(overview).not.toHaveAccessibleDescription(/centred on gen-200-worker150\./);
  await page.keyboard.press('ArrowLeft');
  await expect(overview).toHaveAccessibleDescription(/centred on gen-200-worker150\./);
  await page.keyboard.press('ArrowDown');
  await expect(overview).not.toHaveAccessibleDescription(/centred on gen-200-worker150\./);
  await page.keyboard.press('ArrowUp');
  await expect(overview).toHaveAccessibleDescription(/centred on gen-200-worker150\./);
  const k = async () => Number(/^zoom ([\d.]+)×/.exec((await overview.getAttribute('aria-description'))!)![1]);
  const before = await k();
  await page.keyboard.press('+');
  await expect.poll(k).toBeCloseTo(before * 1.5, 0);
  await page.keyboard.press('-');
  await expect.poll(k).toBeCloseTo(before, 0);
  await page.keyboard.press('0');
  await expect(overview).toHaveAccessibleDescription(/^zoom 1\.0×\./);
});

test('the nodes a trace passes are marked on the overview, in the hop colour', async ({ page }) => {
  const overview = await generate(page);
  expect(await hopPixels(overview)).toBe(0);
  const trace = tracePanel(page);
  await trace.getByLabel('From', { exact: true }).fill('node/gen-200-worker150');
  await trace.getByLabel('To', { exact: true }).fill('10.0.20.2');
  await trace.getByRole('button', { name: 'Trace', exact: true }).click();
  await expect(trace.getByRole('status').first()).toContainText('DELIVERED');
  await expect(overview).toHaveAccessibleDescription(/the traced packet passes gen-200-worker150, gen-200-worker20,/);
  await expect.poll(() => hopPixels(overview)).toBeGreaterThan(100);
  await page.screenshot({ path: 'test-results/screens/overview-trace-marks.png' });
});
