import { expect, test, type Page } from '@playwright/test';

const lesson = (page: Page) => page.getByRole('region', { name: 'Lesson' });

async function present(page: Page, hash: string) {
  await page.goto(`./${hash}`);
  await lesson(page).getByRole('button', { name: 'Presenter mode' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
}

test.describe('presenter mode at 1080p, as slides', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the diagram takes 70 % of the width, the text is 24 px or more, the hop is large on the diagram', async ({
    page,
  }) => {
    await present(page, '#lesson=services&step=2');
    const diagram = (await page.getByRole('region', { name: 'Cluster diagram' }).boundingBox())!;
    expect(diagram.width / 1920).toBeGreaterThanOrEqual(0.7);
    const text = lesson(page).getByText(/kube-proxy's iptables rules rewrite/);
    const size = await text.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(24);
    // The current hop's headers over the diagram, from the same hop as the text.
    const onDiagram = page.getByRole('region', { name: 'Hop on the diagram' });
    await expect(onDiagram).toContainText('Request · step');
    await expect(onDiagram).toContainText('DNAT · node-b');
    await expect(onDiagram).toContainText('10.106.175.246:80');
    const box = (await onDiagram.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(diagram.x - 1);
    expect(box.x + box.width).toBeLessThanOrEqual(diagram.x + diagram.width + 1);
    const headers = onDiagram.getByText(/10\.106\.175\.246:80/).first();
    expect(await headers.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(30);
    await expect(page.getByRole('progressbar', { name: 'Lesson progress' })).toHaveAttribute(
      'aria-valuetext',
      /Services, step 2 of 3/,
    );
    await page.screenshot({ path: 'test-results/screens/presenter-services-1080p.png' });
  });

  test('Space plays and pauses, period and comma step, the laser waits for the pointer', async ({ page }) => {
    await present(page, '#lesson=rules&step=1');
    const onDiagram = page.getByRole('region', { name: 'Hop on the diagram' });
    await expect(onDiagram).toContainText('step 1 of');
    // No empty cards: the lesson has no selection, so no Inspector; no "no trace" card anywhere.
    await expect(page.getByRole('complementary', { name: 'Inspector' })).toHaveCount(0);
    await expect(page.getByText('This step has no trace')).toHaveCount(0);
    await page.locator('body').press('.');
    await expect(onDiagram).toContainText('step 2 of');
    await page.keyboard.press(',');
    await expect(onDiagram).toContainText('step 1 of');
    await page.keyboard.press('Space');
    const overlay = page.getByRole('group', { name: 'Diagram and current hop' });
    await expect(overlay.getByRole('button', { name: 'Pause' })).toBeVisible();
    await expect(onDiagram).toContainText('step 2 of');
    await page.keyboard.press('Space');
    await expect(overlay.getByRole('button', { name: 'Play' })).toBeVisible();
    const laserHidden = () => page.evaluate(() => document.querySelector<HTMLElement>('.laser')?.hidden ?? null);
    expect(await laserHidden()).toBe(true);
    await page.mouse.move(600, 400);
    await page.mouse.move(640, 420);
    await expect.poll(laserHidden).toBe(false);
    await page.screenshot({ path: 'test-results/screens/presenter-rules-1080p.png' });
  });

  test('the full screen button uses the Fullscreen API', async ({ page }) => {
    await present(page, '#lesson=cni&step=3');
    const button = page.getByRole('button', { name: 'Full screen' });
    await button.click();
    await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    await expect(page.getByRole('button', { name: 'Leave full screen' })).toHaveAttribute('aria-pressed', 'true');
    await page.screenshot({ path: 'test-results/screens/presenter-vxlan-1080p.png' });
    await page.getByRole('button', { name: 'Leave full screen' }).click();
    await expect.poll(() => page.evaluate(() => document.fullscreenElement)).toBe(null);
  });
});

test('presenter mode at 1280x720 keeps the text on screen', async ({ page }) => {
  await present(page, '#lesson=services&step=2');
  await expect(lesson(page).getByRole('heading', { name: 'The ClusterIP is swapped for a pod IP' })).toBeInViewport();
  await page.screenshot({ path: 'test-results/screens/presenter-services-720p.png' });
});
