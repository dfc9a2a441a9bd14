import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/** The header's Export image menu, opened. */
async function exporter(page: Page) {
  await page.getByText('Export image', { exact: true }).click();
  return page.getByRole('group', { name: 'Export image' });
}

test.describe('export image and print', () => {
  test('the diagram as SVG, with the current hop drawn, opens on its own in the browser', async ({ page }) => {
    await page.goto('./');
    const trace = page.getByRole('region', { name: 'Trace' });
    await trace.getByRole('button', { name: 'Trace' }).click();
    for (let i = 0; i < 3; i++) await trace.getByRole('button', { name: 'Step forward' }).click();
    await expect(trace.getByText(/^Step 4 of/)).toBeVisible();
    // Zoomed in on screen: the picture is still the whole cluster.
    await page.getByRole('region', { name: 'Cluster diagram' }).getByRole('button', { name: 'Zoom in' }).click();
    const menu = await exporter(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      menu.getByRole('button', { name: 'Diagram as SVG' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('talk-diagram.svg');
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toMatch(/^<\?xml/);
    expect(text).toContain('cni0 10.32.0.1');
    // Styles are inlined: the file needs no stylesheet.
    expect(text).toMatch(/font-size:\s*17px/);
    // A route label keeps its halo: without paint-order the halo would paint over the text.
    expect(text).toMatch(/class="route-label mono"[^>]*paint-order:\s*stroke/);
    // The current hop's packet is in the picture.
    expect(text).toContain('class="packet');
    const shown = await page.context().newPage();
    await shown.setContent(
      `<img alt="exported diagram" src="data:image/svg+xml;base64,${Buffer.from(text).toString('base64')}">`,
    );
    const img = shown.getByRole('img', { name: 'exported diagram' });
    await expect(img).toBeVisible();
    expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(600);
    const fitted = await shown.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        zoomed: doc.querySelector('svg > g[transform]') !== null,
        sizedToViewBox: root.getAttribute('width') === root.getAttribute('viewBox')?.split(' ')[2],
      };
    }, text);
    expect(fitted).toEqual({ zoomed: false, sizedToViewBox: true });
    await shown.screenshot({ path: 'test-results/screens/exported-svg.png', fullPage: true });
  });

  test('the diagram as PNG, through a canvas', async ({ page }) => {
    await page.goto('./');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      (await exporter(page)).getByRole('button', { name: 'Diagram as PNG' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('talk-diagram.png');
    const png = readFileSync((await download.path())!);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    // Width from the IHDR chunk: twice the diagram's size, not an empty canvas.
    expect(png.readUInt32BE(16)).toBeGreaterThan(1200);
  });

  test("print shows the diagram and the current hop's explanation, not the forms", async ({ page }) => {
    await page.goto('./');
    const trace = page.getByRole('region', { name: 'Trace' });
    await trace.getByRole('button', { name: 'Trace' }).click();
    await trace.getByRole('button', { name: 'Step forward' }).click();
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('region', { name: 'Cluster diagram' })).toBeVisible();
    await expect(trace.getByRole('article', { name: 'Current hop' })).toBeVisible();
    await expect(trace.getByRole('button', { name: 'Trace' })).toBeHidden();
    await expect(page.getByRole('region', { name: 'What if' })).toBeHidden();
    await expect(page.getByRole('region', { name: 'Scenario' })).toBeHidden();
    await page.screenshot({ path: 'test-results/screens/print.png', fullPage: true });
  });
});
