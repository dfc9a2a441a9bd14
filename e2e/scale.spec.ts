import { expect, test } from '@playwright/test';

test('a generated 1,000-node cluster: an overview of tiles, Find, a node in detail, a trace', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('./');
  const panel = page.getByRole('region', { name: 'Scenario' });
  await panel.getByText('Generate a large cluster').click();
  await panel.getByLabel('Nodes').fill('99999');
  await panel.getByRole('button', { name: 'Generate' }).click();
  await expect(panel.getByRole('alert')).toContainText('must be a whole number from 1 to 5000');
  await panel.getByLabel('Nodes').fill('1000');
  await panel.getByRole('button', { name: 'Generate' }).click();
  const diagram = page.getByRole('region', { name: 'Cluster diagram' });
  await expect(diagram.getByRole('img', { name: 'Overview of 1,000 nodes and 30,002 pods, one tile per node coloured by how full its PodCIDR is; use Find to select a node, pod or address' })).toBeVisible({ timeout: 30_000 });
  await diagram.getByRole('search').getByLabel('Find').fill('10.0.200.5');
  await diagram.getByRole('search').getByRole('button', { name: 'Find' }).click();
  await expect(diagram.getByRole('search').getByRole('status')).toContainText('Found: pod');
  // The pod's node is drawn in detail, the pod itself focusable by name.
  await expect(diagram.getByRole('button', { name: /^pod app-\S+ 10\.0\.200\.5 on gen-1000-worker200$/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/large-cluster.png' });
  const trace = page.getByRole('region', { name: 'Trace' });
  await trace.getByLabel('From', { exact: true }).fill('node/gen-1000-worker999');
  await trace.getByLabel('To', { exact: true }).fill('10.0.200.5');
  await trace.getByRole('button', { name: 'Trace' }).click();
  await expect(trace.getByRole('status')).toContainText('DELIVERED');
});
