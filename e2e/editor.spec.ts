import { expect, test, type Page } from '@playwright/test';

const scenario = (page: Page) => page.getByRole('region', { name: 'Scenario' });

test.describe('the YAML editor', () => {
  test('a code editor with line numbers; each error is marked at its line and named with it', async ({ page }) => {
    await page.goto('./');
    const panel = scenario(page);
    await panel.getByText('Edit YAML').click();
    const editor = panel.getByRole('textbox', { name: 'Scenario YAML' });
    await expect(editor).toBeVisible();
    await expect(editor).toContainText('kind: Cluster');
    // Line numbers in the gutter, as a code editor shows them.
    await expect(panel.getByText('12', { exact: true }).first()).toBeVisible();
    await editor.fill(
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  podSubnet: 10.4.0.0/33\n  serviceSubnet: 10.96.0.0/12\n',
    );
    await panel.getByRole('button', { name: 'Apply' }).click();
    const alert = panel.getByRole('alert');
    await expect(alert).toContainText('networking.podSubnet · "10.4.0.0/33" (line 4)');
    // The line itself is marked in the editor, the message on it.
    const marked = editor.getByTitle(/invalid prefix length/);
    await expect(marked).toHaveText('  podSubnet: 10.4.0.0/33');
    await expect(editor).toHaveAttribute('aria-invalid', 'true');
    await page.screenshot({ path: 'test-results/screens/editor-error.png' });
  });

  test('operable by keyboard alone: type, undo, and Tab leaves the editor', async ({ page }) => {
    await page.goto('./');
    const panel = scenario(page);
    await panel.getByText('Edit YAML').focus();
    await page.keyboard.press('Enter');
    const editor = panel.getByRole('textbox', { name: 'Scenario YAML' });
    await expect(editor).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(editor).toBeFocused();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('# my cluster ');
    await expect(editor).toContainText('# my cluster');
    await page.keyboard.press('Control+z');
    await expect(editor).not.toContainText('# my cluster');
    await page.keyboard.press('Tab');
    await expect(editor).not.toBeFocused();
    await expect(panel.getByRole('button', { name: 'Apply' })).toBeFocused();
  });
});
