import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/** axe-core's findings of impact serious or critical, one line each, so a failure says what and where. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary ?? ''}`));
}

const diagram = (page: Page) => page.getByRole('region', { name: 'Cluster diagram' });

test.describe('accessibility: axe-core finds no serious or critical violation', () => {
  test('the default view', async ({ page }) => {
    await page.goto('./');
    await expect(diagram(page).getByRole('button', { name: /^node node-a / })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the dark theme', async ({ page }) => {
    await page.goto('./');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('presenter mode', async ({ page }) => {
    await page.goto('./');
    await page.getByLabel('Lessons').selectOption({ label: '4. Services' });
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('mid-trace, in both themes', async ({ page }) => {
    await page.goto('./');
    const panel = page.getByRole('region', { name: 'Trace' });
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('status').first()).toContainText('DELIVERED');
    for (let i = 0; i < 4; i++) await panel.getByRole('button', { name: 'Step forward' }).click();
    await expect(panel.getByText('Step 5 of')).toBeVisible();
    await panel.getByText(/^All \d+ steps$/).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test.describe('a first visit', () => {
    test.use({ storageState: { cookies: [], origins: [] } });
    test('the welcome dialog', async ({ page }) => {
      await page.goto('./');
      await expect(page.getByRole('dialog', { name: 'New here? Three things to try' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });

  test('what-if with warnings', async ({ page }) => {
    await page.goto('./');
    const field = page.getByRole('region', { name: 'What if' }).getByLabel('PodCIDR', { exact: true });
    await field.fill('10.32.0.0/24');
    await field.press('Enter');
    await expect(page.getByRole('region', { name: 'Warnings' })).toContainText('CIDRNotAvailable');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
