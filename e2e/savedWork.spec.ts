import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';

// The user's own saved work is never replaced without their word: not by a share link, not by another tab.
const diagram = (page: Page) => page.getByRole('region', { name: 'Cluster diagram' });
const nodeB = (page: Page, podCIDR: string) =>
  diagram(page).getByRole('button', { name: `node node-b worker eth0 10.10.1.1 PodCIDR ${podCIDR}` });
const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Scenario actions' });
const visitBanner = (page: Page) => page.getByRole('region', { name: 'Shared cluster' });
const tabBanner = (page: Page) => page.getByRole('region', { name: 'Saved in another tab' });

async function setPodCIDR(page: Page, cidr: string) {
  const field = page.getByRole('region', { name: 'What if' }).getByLabel('PodCIDR', { exact: true });
  await field.fill(cidr);
  await field.press('Enter');
}

test('a share link opens as a visit: the own saved cluster stays until Keep this or Back to mine', async ({
  page,
  context,
}) => {
  // Own work: a changed PodCIDR and node-b selected.
  await page.goto('./');
  await setPodCIDR(page, '10.4.0.0/14');
  await nodeB(page, '10.4.1.0/24').click();
  // A link to another cluster, made here and undone: the own save is back to 10.4.0.0/14.
  await setPodCIDR(page, '10.16.0.0/14');
  await toolbar(page).getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  await page.keyboard.press('Escape');
  await toolbar(page).getByRole('button', { name: 'Undo' }).click();
  await expect(nodeB(page, '10.4.1.0/24')).toBeVisible();

  const visitor = await context.newPage();
  await visitor.goto(link);
  await expect(visitBanner(visitor)).toContainText('You are looking at a shared cluster');
  await expect(nodeB(visitor, '10.16.1.0/24')).toBeVisible();
  // The visit has no history of the user's own to undo into.
  await expect(toolbar(visitor).getByRole('button', { name: 'Undo' })).toBeDisabled();
  // Clicks and edits in the visit are not saved over the own work.
  await diagram(visitor)
    .getByRole('button', { name: 'node node-a control-plane eth0 10.10.0.1 PodCIDR 10.16.0.0/24' })
    .click();
  await setPodCIDR(visitor, '10.20.0.0/14');
  await expect(nodeB(visitor, '10.20.1.0/24')).toBeVisible();
  // The own tab, reloaded, still shows the own cluster: the visit saved nothing.
  await page.reload();
  await expect(nodeB(page, '10.4.1.0/24')).toBeVisible();
  await expect(visitBanner(page)).toHaveCount(0);
  await page.close();

  // A reload of the visit is still the visit; Back to mine brings back the own cluster and selection exactly.
  await visitor.reload();
  await expect(nodeB(visitor, '10.16.1.0/24')).toBeVisible();
  await expect(visitBanner(visitor)).toBeVisible();
  await visitBanner(visitor).getByRole('button', { name: 'Back to mine' }).click();
  await expect(visitBanner(visitor)).toHaveCount(0);
  await expect(nodeB(visitor, '10.4.1.0/24')).toBeVisible();
  await expect(
    visitor.getByRole('complementary', { name: 'Inspector' }).getByRole('heading', { name: 'Node node-b' }),
  ).toBeVisible();
  expect(visitor.url()).not.toContain('scenario=');

  // Keep this: the shared cluster becomes the own one, saved, with the previous one an undo step.
  await visitor.goto(link);
  await visitBanner(visitor).getByRole('button', { name: 'Keep this' }).click();
  await expect(visitBanner(visitor)).toHaveCount(0);
  await toolbar(visitor).getByRole('button', { name: 'Undo' }).click();
  await expect(nodeB(visitor, '10.4.1.0/24')).toBeVisible();
  await toolbar(visitor).getByRole('button', { name: 'Redo' }).click();
  await expect(nodeB(visitor, '10.16.1.0/24')).toBeVisible();
  await visitor.goto('./');
  await expect(nodeB(visitor, '10.16.1.0/24')).toBeVisible();
  await expect(visitBanner(visitor)).toHaveCount(0);
});

test('two tabs: a newer save in one is never overwritten silently by the other', async ({ page: a, context }) => {
  await a.goto('./');
  await setPodCIDR(a, '10.4.0.0/14');
  const b = await context.newPage();
  await b.goto('./');
  await expect(nodeB(b, '10.4.1.0/24')).toBeVisible();

  // A saves; B says so and stops saving: its own edit does not replace A's save.
  await setPodCIDR(a, '10.16.0.0/14');
  await expect(tabBanner(b)).toContainText('Another tab changed your saved cluster');
  await setPodCIDR(b, '10.20.0.0/14');
  await expect(nodeB(b, '10.20.1.0/24')).toBeVisible();
  const c = await context.newPage();
  await c.goto('./');
  await expect(nodeB(c, '10.16.1.0/24')).toBeVisible();
  await c.close();

  // Load theirs: B shows what A saved, its own edit one Undo away.
  await tabBanner(b).getByRole('button', { name: 'Load theirs' }).click();
  await expect(tabBanner(b)).toHaveCount(0);
  await expect(nodeB(b, '10.16.1.0/24')).toBeVisible();

  // Keep mine: B's cluster is saved over A's newer one, and now A is the one told.
  await setPodCIDR(a, '10.24.0.0/14');
  await expect(tabBanner(b)).toBeVisible();
  await tabBanner(b).getByRole('button', { name: 'Keep mine' }).click();
  await expect(tabBanner(b)).toHaveCount(0);
  await expect(tabBanner(a)).toContainText('Another tab changed your saved cluster');
  await tabBanner(a).getByRole('button', { name: 'Load theirs' }).click();
  await expect(nodeB(a, '10.16.1.0/24')).toBeVisible();
});

test('Share refuses a link too long for browsers to open, with the reason and Export', async ({ page }) => {
  await page.goto('./');
  // Random text does not compress: this scenario's link is far over the bound.
  const noise = randomBytes(40_000)
    .toString('hex')
    .replace(/.{100}/g, '# $&\n');
  await page.getByLabel('Scenario file to import').setInputFiles({
    name: 'noisy.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(`kind: Cluster\nname: noisy\n${noise}\n`),
  });
  await expect(page.getByRole('region', { name: 'Cluster diagram' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^noisy$/ })).toBeVisible();
  await toolbar(page).getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share link' });
  await expect(dialog.getByRole('alert')).toContainText('browsers do not reliably open links over 32,000 characters');
  await expect(dialog.getByRole('alert')).toContainText('Use Export');
  await expect(page.getByRole('textbox', { name: 'Share link' })).toHaveCount(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Export' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('noisy.yaml');
});
