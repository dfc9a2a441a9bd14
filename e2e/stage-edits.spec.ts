// Consequences where the edit happens: the new warnings beside the What-if fields, and the
// neutral "changed by the last edit" mark, the same on the diagram and in the legend.
import { expect, test, type Page } from '@playwright/test';
import { diagram, nodeBox } from './stageHelpers';

const whatIf = (page: Page) => page.getByRole('region', { name: 'What if' });
const warnings = (page: Page) => page.getByRole('region', { name: 'Warnings', exact: true });

test('an edit that breaks something lists its new warnings beside What-if, linking to the Warnings panel', async ({
  page,
}) => {
  await page.goto('./');
  const fresh = whatIf(page).getByRole('region', { name: 'What the last edit broke' });
  await expect(fresh).toHaveCount(0);
  const field = whatIf(page).getByLabel('PodCIDR', { exact: true });
  await field.fill('10.32.0.0/24');
  await field.press('Enter');
  await expect(fresh).toContainText('The last edit brought 1 new warning');
  await expect(fresh).toContainText('CIDRNotAvailable');
  await expect(fresh).toContainText('node node-b');
  await expect(warnings(page)).not.toBeInViewport();
  await fresh.getByRole('link', { name: 'Show in Warnings' }).click();
  await expect(warnings(page)).toBeFocused();
  await expect(warnings(page)).toBeInViewport();
  // Undo brings no new warning: the note goes away.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(fresh).toHaveCount(0);
});

/** Channels of a CSS colour "rgb(r, g, b)". */
const rgb = (c: string) =>
  c
    .match(/\d+(\.\d+)?/g)!
    .slice(0, 3)
    .map(Number);

for (const theme of ['light', 'dark'] as const)
  test(`${theme}: the legend's "changed" swatch is the neutral mark the changed node wears`, async ({ page }) => {
    await page.goto('./');
    if (theme === 'dark') await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await whatIf(page).getByRole('button', { name: 'Add node' }).click();
    const added = nodeBox(page, 'node-c');
    await expect(added).toBeVisible();
    const mark = await added.evaluate((g) => {
      const rect = [...g.querySelectorAll('rect')].find((r) => r.classList.contains('changed'))!;
      const s = getComputedStyle(rect);
      return { stroke: s.stroke, dash: s.strokeDasharray };
    });
    const swatch = await page
      .getByRole('list', { name: 'Legend' })
      .getByRole('listitem')
      .filter({ hasText: 'changed by the last edit' })
      .evaluate((li) => {
        const s = getComputedStyle(li.firstElementChild!);
        return { color: s.borderTopColor, style: s.borderTopStyle };
      });
    expect(swatch.color).toBe(mark.stroke);
    expect(swatch.style).toBe('dashed');
    expect(mark.dash).not.toBe('none');
    // Neutral: a grey-blue, not the green of "added" or the red of an error.
    const [r, g, b] = rgb(mark.stroke);
    expect(Math.max(r!, g!, b!) - Math.min(r!, g!, b!)).toBeLessThan(60);
    await expect(diagram(page)).toBeVisible();
  });
