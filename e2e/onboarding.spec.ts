import { expect, test, type Page } from '@playwright/test';
import { box, stage } from './stageHelpers';

const welcome = (page: Page) => page.getByRole('dialog', { name: 'New here? Three things to try' });

test.describe('first run', () => {
  // A first visit: nothing stored yet (the other specs start as a returning visitor).
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a welcome offers three things to try over the page; dismissed, it stays away after a reload', async ({
    page,
  }) => {
    await page.goto('./');
    const dialog = welcome(page);
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Pick a lesson');
    await expect(dialog).toContainText('Trace a packet');
    await expect(dialog).toContainText('Break something');
    // It lies over the page: the diagram keeps the size it is fitted to.
    await expect(stage(page)).toBeVisible();
    const under = await box(stage(page));
    await page.screenshot({ path: 'test-results/screens/onboarding.png' });
    await dialog.getByRole('button', { name: 'Got it, hide this' }).click();
    await expect(dialog).toHaveCount(0);
    expect(await box(stage(page))).toEqual(under);
    // The page under it takes clicks again.
    const trace = page.getByRole('region', { name: 'Trace' });
    await trace.getByRole('button', { name: 'Trace', exact: true }).click();
    await expect(trace.getByRole('status').first()).toContainText('DELIVERED');
    await page.reload();
    await expect(stage(page)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Switch to dark theme' })).toBeVisible();
    await expect(welcome(page)).toHaveCount(0);
  });

  test('each suggestion leads to its control; Escape dismisses for good too', async ({ page }) => {
    await page.goto('./');
    await welcome(page).getByRole('button', { name: 'Open the Lessons menu' }).click();
    await expect(welcome(page)).toHaveCount(0);
    await expect(page.getByLabel('Lessons')).toBeFocused();
    await page.reload();
    await expect(stage(page)).toBeVisible();
    await expect(welcome(page)).toHaveCount(0);

    await page.evaluate(() => localStorage.removeItem('k8snet-explorer/prefs'));
    await page.reload();
    await welcome(page).getByRole('button', { name: 'Go to What if' }).click();
    await expect(page.getByRole('region', { name: 'What if' }).getByLabel('PodCIDR', { exact: true })).toBeFocused();

    await page.evaluate(() => localStorage.removeItem('k8snet-explorer/prefs'));
    await page.reload();
    await expect(welcome(page)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(welcome(page)).toHaveCount(0);
    await page.reload();
    await expect(stage(page)).toBeVisible();
    await expect(welcome(page)).toHaveCount(0);
  });

  test('a lesson link opens on its lesson, not on the welcome', async ({ page }) => {
    await page.goto('./#lesson=services&step=1');
    await expect(page.getByRole('region', { name: 'Lesson' })).toBeVisible();
    await expect(welcome(page)).toHaveCount(0);
  });
});

test('glossary terms explain themselves on keyboard focus; the glossary lists them all', async ({ page }) => {
  await page.goto('./');
  const ranges = page.getByLabel('Cluster ranges');
  const term = ranges.getByRole('button', { name: 'PodCIDR' });
  await term.focus();
  const tip = page.getByRole('tooltip').filter({ hasText: 'kube-controller-manager carves' });
  await expect(tip).toBeVisible();
  await expect(term).toHaveAccessibleDescription(/The range pod IPs come from/);
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
  await term.hover();
  await expect(tip).toBeVisible();

  await page.getByText('Glossary', { exact: true }).focus();
  await page.keyboard.press('Enter');
  const glossary = page.getByRole('group', { name: 'Glossary' });
  for (const t of ['eth0', 'veth', 'cni0', 'PodCIDR', 'ClusterIP', 'NodePort', 'kube-proxy', 'conntrack', 'VXLAN'])
    await expect(glossary.getByRole('term').filter({ hasText: new RegExp(`^${t}$`) })).toBeVisible();
  // The NodePort range is the API server's, from core.
  await expect(glossary.getByRole('definition').filter({ hasText: 'A port opened on every node' })).toContainText(
    '30000–32767',
  );
  await page.screenshot({ path: 'test-results/screens/glossary.png' });
});
