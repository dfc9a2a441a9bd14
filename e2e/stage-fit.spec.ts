import { expect, test } from '@playwright/test';
import { box, diagram, expectWholeClusterInView, nodeBox, nodeNames, stage } from './stageHelpers';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

for (const size of SIZES)
  for (const theme of ['light', 'dark'] as const)
    test(`the whole cluster fits at ${size.width}x${size.height} (${theme}): on load, after zooming and Fit, after a resize`, async ({
      page,
    }) => {
      await page.setViewportSize(size);
      await page.goto('./');
      if (theme === 'dark') await page.getByRole('button', { name: /Switch to dark theme/ }).click();
      await expectWholeClusterInView(page, ['node-a', 'node-b']);
      const before = await box(nodeBox(page, 'node-a'));
      await diagram(page).getByRole('button', { name: 'Zoom in' }).click();
      await expect.poll(async () => (await box(nodeBox(page, 'node-a'))).width).toBeGreaterThan(before.width * 1.1);
      await diagram(page).getByRole('button', { name: 'Fit to view' }).click();
      await expectWholeClusterInView(page, ['node-a', 'node-b']);
      const other = SIZES.find((s) => s !== size)!;
      await page.setViewportSize(other);
      await expectWholeClusterInView(page, ['node-a', 'node-b']);
      await page.screenshot({ path: `test-results/screens/stage-fit-${size.width}-${theme}.png` });
    });

test('landscape puts the nodes in one row with the Services beside them', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('./');
  const a = await box(nodeBox(page, 'node-a'));
  const b = await box(nodeBox(page, 'node-b'));
  const svc = await box(diagram(page).getByRole('button', { name: /^Service default\/web / }));
  expect(Math.abs(a.y - b.y)).toBeLessThan(2);
  expect(svc.x).toBeGreaterThan(b.x + b.width);
});

test('the wheel scrolls the page; Ctrl+wheel, the keys and the buttons zoom; drag pans', async ({ page }) => {
  await page.goto('./');
  const svg = await box(stage(page));
  const width = async () => (await box(nodeBox(page, 'node-a'))).width;
  const w0 = await width();
  await page.mouse.move(svg.x + svg.width / 2, svg.y + svg.height / 2);
  await page.mouse.wheel(0, 300);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  expect(await width()).toBeCloseTo(w0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  await expect.poll(width).toBeGreaterThan(w0 * 1.1);
  await stage(page).focus();
  await page.keyboard.press('0');
  await expect.poll(width).toBeCloseTo(w0, 0);
  await page.keyboard.press('+');
  // The zoom animates: wait for its end (x1.25) so the drag below is measured from a still picture.
  await expect.poll(width).toBeCloseTo(w0 * 1.25, 0);
  // Drag pans: the node moves with the mouse.
  const at = await box(nodeBox(page, 'node-a'));
  await page.mouse.move(svg.x + 40, svg.y + svg.height - 40);
  await page.mouse.down();
  await page.mouse.move(svg.x + 140, svg.y + svg.height - 40, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await box(nodeBox(page, 'node-a'))).x).toBeGreaterThan(at.x + 60);
  await page.keyboard.press('-');
  await diagram(page).getByRole('button', { name: 'Fit to view' }).click();
  await expect.poll(width).toBeCloseTo(w0, 0);
});

test('presenter mode: the whole cluster fits and Fit stays available', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('./');
  await page.getByLabel('Lessons').selectOption({ label: '1. Pods and Deployments' });
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
  const names = await nodeNames(page);
  await expectWholeClusterInView(page, names);
  await expect(diagram(page).getByRole('button', { name: 'Fit to view' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/stage-presenter-1080.png' });
});
