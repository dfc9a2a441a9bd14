import { expect, test, type Page } from '@playwright/test';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

const diagram = (page: Page) => page.getByRole('region', { name: 'Cluster diagram' });

/** The page's own width: wider than the screen means the reader scrolls sideways. */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** A one-finger drag as a touch screen sends it (touchstart, touchmove, touchend). */
async function touchDrag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
  for (let i = 1; i <= 5; i++) {
    const at = { x: from.x + ((to.x - from.x) * i) / 5, y: from.y + ((to.y - from.y) * i) / 5 };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test.describe('on a phone (390x844)', () => {
  test('nothing overflows sideways; the toolbar wraps; the diagram is as wide as the screen', async ({ page }) => {
    await page.goto('./');
    await expect(diagram(page).getByRole('button', { name: /^node node-a / })).toBeVisible();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    // Every toolbar button is on screen, none cut off at the right edge.
    for (const name of ['Undo', 'Redo', 'Share', 'Import', 'Export', 'Switch to dark theme']) {
      const box = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
      expect(box.x, name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name).toBeLessThanOrEqual(390);
    }
    const d = (await diagram(page).boundingBox())!;
    expect(d.width).toBeGreaterThanOrEqual(390 - 2 * 12);
    await page.screenshot({ path: 'test-results/screens/phone-default.png' });
    // One finger pans the diagram (after zooming in, as a reader does to read a pod's IP).
    await diagram(page).getByRole('button', { name: 'Zoom in' }).click();
    const node = diagram(page).getByRole('button', { name: /^node node-b / });
    const before = (await node.boundingBox())!;
    await touchDrag(page, { x: 300, y: d.y + d.height / 2 }, { x: 120, y: d.y + d.height / 2 });
    const after = (await node.boundingBox())!;
    expect(before.x - after.x).toBeGreaterThan(100);
    await page.screenshot({ path: 'test-results/screens/phone-default-full.png', fullPage: true });
  });

  test('the Services table keeps its columns side by side', async ({ page }) => {
    await page.goto('./');
    const table = page.getByRole('region', { name: 'Services' }).getByRole('table');
    await table.scrollIntoViewIfNeeded();
    const service = (await table.getByRole('columnheader', { name: 'Service' }).boundingBox())!;
    const clusterIp = (await table.getByRole('columnheader', { name: 'ClusterIP' }).boundingBox())!;
    // One row of headers, not a column squeezed to a word per line.
    expect(Math.abs(service.y - clusterIp.y)).toBeLessThan(4);
    const cell = (await table.getByRole('cell', { name: '10.106.175.246' }).boundingBox())!;
    expect(cell.height).toBeLessThan(40);
    // The name and the ClusterIP are on screen; the table scrolls sideways in its own box for the rest.
    expect(clusterIp.x + clusterIp.width).toBeLessThanOrEqual(390);
    const endpoints = table.getByRole('columnheader', { name: 'Endpoint pods' });
    await endpoints.scrollIntoViewIfNeeded();
    const e = (await endpoints.boundingBox())!;
    expect(e.x + e.width).toBeLessThanOrEqual(390);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'test-results/screens/phone-services.png' });
  });

  test("a lesson's text comes before the diagram", async ({ page }) => {
    await page.goto('./');
    await page.getByLabel('Lessons').selectOption({ label: '4. Services' });
    const lesson = page.getByRole('region', { name: 'Lesson' });
    await expect(lesson).toBeVisible();
    const l = (await lesson.boundingBox())!;
    const d = (await diagram(page).boundingBox())!;
    expect(l.y).toBeLessThan(d.y);
    expect(l.y).toBeLessThan(844);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'test-results/screens/phone-lesson.png' });
  });

  test('mid-trace: the hop and the stepper fit the screen', async ({ page }) => {
    await page.goto('./');
    const panel = page.getByRole('region', { name: 'Trace' });
    await panel.getByRole('button', { name: 'Trace' }).click();
    await panel.getByRole('button', { name: 'Step forward' }).click();
    await expect(panel.getByRole('article', { name: 'Current hop' })).toBeVisible();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await panel.getByRole('article', { name: 'Current hop' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screens/phone-trace.png' });
  });
});
