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
  await expect(
    diagram.getByRole('img', {
      name: 'Overview of 1,000 nodes and 30,002 pods, one tile per node coloured by how full its PodCIDR is; use Find to select a node, pod or address',
    }),
  ).toBeVisible({ timeout: 30_000 });
  await diagram.getByRole('search').getByLabel('Find').fill('10.0.200.5');
  await diagram.getByRole('search').getByRole('button', { name: 'Find' }).click();
  await expect(diagram.getByRole('search').getByRole('status')).toContainText('Found: pod');
  // The pod's node is drawn in detail, the pod itself focusable by name.
  await expect(
    diagram.getByRole('button', { name: /^pod app-\S+ 10\.0\.200\.5 on gen-1000-worker200$/ }),
  ).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/large-cluster.png' });
  // All 2,002 Services are in the table, a dozen rendered at a time: scroll to the end and the last is there.
  const services = page.getByRole('region', { name: 'Services' });
  await expect(services.getByRole('heading')).toHaveText('Services (2,002)');
  expect(await services.locator('tbody tr:not([aria-hidden])').count()).toBeLessThan(20);
  await services.locator('.vscroll').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(services.getByRole('button', { name: 'default/app-1999' })).toBeVisible();
  const trace = page.getByRole('region', { name: 'Trace' });
  await trace.getByLabel('From', { exact: true }).fill('node/gen-1000-worker999');
  await trace.getByLabel('To', { exact: true }).fill('10.0.200.5');
  await trace.getByRole('button', { name: 'Trace' }).click();
  await expect(trace.getByRole('status')).toContainText('DELIVERED');

  // What-if on a big scenario runs in the worker: a bad value is refused with the reason, a good one applies.
  const whatIf = page.getByRole('region', { name: 'What if' });
  await whatIf.getByLabel('PodCIDR', { exact: true }).fill('10.0.0.0/33');
  await whatIf.getByLabel('PodCIDR', { exact: true }).press('Enter');
  await expect(whatIf.getByRole('alert')).toContainText('networking.podSubnet', { timeout: 30_000 });
  await whatIf.getByLabel('Node mask', { exact: true }).fill('23');
  await whatIf.getByLabel('Node mask', { exact: true }).press('Enter');
  await expect(page.getByLabel('Cluster ranges')).toContainText('/23', { timeout: 30_000 });
  await expect(
    diagram.getByRole('button', { name: /^node gen-1000-worker200 worker eth0 \S+ PodCIDR 10\.0\.200\.0\/24$/ }),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: 'Warnings' })).toContainText('Changed by the last edit');

  // A node's nat table at 2,002 Services is built in the worker and drawn by window: scroll to the end and COMMIT is there.
  await diagram.getByRole('search').getByLabel('Find').fill('gen-1000-worker7');
  await diagram.getByRole('search').getByRole('button', { name: 'Find' }).click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await inspector.getByText('nat table (iptables-save -t nat)').click();
  const nat = inspector.getByRole('list', { name: 'nat table of gen-1000-worker7' });
  await expect(nat).toBeVisible({ timeout: 30_000 });
  await expect(inspector).toContainText(/\d{3},\d{3} lines; scroll to read them all/);
  expect(await nat.getByRole('listitem').count()).toBeLessThan(60);
  await expect(nat.getByRole('listitem').first()).toHaveText('*nat');
  await nat.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(nat.getByRole('listitem').last()).toHaveText('COMMIT');
});
