// The stage as a teacher projects it: the acceptance screenshots, each with what must hold in it.
// SCREENS_DIR chooses where the pictures go (test-results/screens by default).
import { expect, test, type Page } from '@playwright/test';
import {
  box,
  diagram,
  expectWholeClusterInView,
  nodeBox,
  packet,
  selectExample,
  stepUntil,
  traceTo,
} from './stageHelpers';

const dir = process.env.SCREENS_DIR ?? 'test-results/screens';
const shot = (page: Page, name: string) => page.screenshot({ path: `${dir}/${name}.png` });

// Pictures of where the packet is, not of it on its way there.
test.use({ reducedMotion: 'reduce' });

test.describe('1920x1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('default view', async ({ page }) => {
    await page.goto('./');
    await expectWholeClusterInView(page, ['node-a', 'node-b']);
    await shot(page, 'default-1080');
  });

  test('presenter mode', async ({ page }) => {
    await page.goto('./#lesson=services&step=2');
    await page.getByRole('region', { name: 'Lesson' }).getByRole('button', { name: 'Presenter mode' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
    await expect(packet(page)).toBeVisible();
    // The hop headers laid over the stage's foot hide nothing of the cluster.
    const headers = await box(page.getByRole('region', { name: 'Hop on the diagram' }));
    for (const part of [
      nodeBox(page, 'node-a'),
      nodeBox(page, 'node-b'),
      diagram(page).getByRole('group', { name: 'Services: virtual IPs' }),
    ])
      await expect.poll(async () => (await box(part)).y + (await box(part)).height).toBeLessThanOrEqual(headers.y + 1);
    await shot(page, 'presenter-1080');
  });

  test('a trace at its DNAT hop', async ({ page }) => {
    await page.goto('./');
    await traceTo(page, 'pod/default/web-85469b5d-8g4nh', 'svc/default/web');
    await stepUntil(page, /^DNAT · /);
    await expect(packet(page)).toContainText('10.106.175.246:80');
    await shot(page, 'dnat-1080');
  });

  test('a VXLAN hop', async ({ page }) => {
    await page.goto('./');
    await selectExample(page, 'VXLAN overlay');
    await traceTo(page, 'pod/default/shop-75966c9bd8-pgcmx', 'pod/default/shop-75966c9bd8-w7xrx', '80');
    await stepUntil(page, /^ENCAPSULATE · /);
    await expect(packet(page)).toContainText('outer ');
    await shot(page, 'vxlan-1080');
  });

  test('a drop', async ({ page }) => {
    await page.goto('./');
    await selectExample(page, 'NetworkPolicy: default deny ingress');
    await traceTo(page, 'pod/default/client-65477694dc-jtx4x', 'svc/default/web');
    await stepUntil(page, /^DROP · /);
    await expect(packet(page)).toContainText('Dropped:');
    await shot(page, 'drop-1080');
  });

  test('six nodes with all routes on', async ({ page }) => {
    await page.goto('./');
    const whatIf = page.getByRole('region', { name: 'What if' });
    for (let i = 0; i < 4; i++) await whatIf.getByRole('button', { name: 'Add node' }).click();
    await diagram(page)
      .getByRole('combobox', { name: /^Routes of/ })
      .selectOption('all');
    await expect(diagram(page).getByRole('img', { name: /^route / })).toHaveCount(30);
    await shot(page, 'six-nodes-all-routes-1080');
    await traceTo(page, 'pod/default/web-85469b5d-8g4nh', 'pod/default/web-85469b5d-ff229');
    await stepUntil(page, /^ROUTE · \S+ · host · eth0/);
    await expect(diagram(page).getByRole('img', { name: /^route / })).toHaveCount(30);
    await shot(page, 'six-nodes-route-in-use-1080');
  });
});

for (const vp of [
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
])
  test(`default view at ${vp.width}x${vp.height}`, async ({ page }) => {
    await page.setViewportSize(vp);
    await page.goto('./');
    await expect(diagram(page).getByRole('button', { name: /^node node-a / })).toBeVisible();
    await shot(page, `default-${vp.width}x${vp.height}`);
  });
