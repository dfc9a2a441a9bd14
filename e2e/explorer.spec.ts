import { expect, test } from '@playwright/test';

test.describe('the explorer on the default scenario', () => {
  test('shows the talk\'s two-node cluster with PodCIDRs and pod IPs', async ({ page }) => {
    await page.goto('./');
    const diagram = page.getByRole('region', { name: 'Cluster diagram' });
    await expect(diagram).toBeVisible();
    await expect(diagram.getByRole('button', { name: 'node node-a 10.10.0.1 PodCIDR 10.32.0.0/24' })).toBeVisible();
    await expect(diagram.getByRole('button', { name: 'node node-b 10.10.1.1 PodCIDR 10.32.1.0/24' })).toBeVisible();
    // A web pod on node-b takes the first pod address after cni0's 10.32.1.1.
    await expect(diagram.getByRole('button', { name: /^pod web-\S+ 10\.32\.1\.2 on node-b$/ })).toBeVisible();
    await expect(diagram.getByText('cni0 10.32.0.1')).toBeVisible();
    await expect(page.getByLabel('Cluster ranges')).toContainText('10.32.0.0/14');
    await expect(page.getByRole('region', { name: 'Services' })).toContainText('10.96.0.10');
  });

  test('selecting a node with the keyboard explains it in the inspector', async ({ page }) => {
    await page.goto('./');
    const node = page.getByRole('button', { name: /^node node-b / });
    await node.focus();
    await page.keyboard.press('Enter');
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector.getByRole('heading', { name: 'Node node-b' })).toBeVisible();
    await expect(inspector).toContainText('10.32.1.0/24');
    await expect(inspector).toContainText('10.32.1.1');
  });

  test('selecting a pod by click shows its IP and node', async ({ page }) => {
    await page.goto('./');
    await page.getByRole('button', { name: /^pod coredns-\S+ 10\.32\.0\.2 on node-a$/ }).click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector).toContainText('kube-system');
    await expect(inspector).toContainText('10.32.0.2');
    await expect(inspector).toContainText('node-a');
  });

  test('screenshots at 1280x720, light and dark', async ({ page }) => {
    await page.goto('./');
    await expect(page.getByRole('region', { name: 'Cluster diagram' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/default-light.png' });
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: 'test-results/screens/default-dark.png', fullPage: true });
  });
});
