import { expect, test, type Page } from '@playwright/test';

const diagram = (page: Page) => page.getByRole('region', { name: 'Cluster diagram' });
const warnings = (page: Page) => page.getByRole('region', { name: 'Warnings' });
const whatIf = (page: Page) => page.getByRole('region', { name: 'What if' });

async function setField(page: Page, label: string, value: string) {
  const field = whatIf(page).getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

/** Every pod's accessible name in the diagram ("pod NAME IP on NODE"), sorted. */
async function pods(page: Page): Promise<string[]> {
  const names = await diagram(page)
    .getByRole('button', { name: /^pod / })
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return names.sort();
}

test.describe('the edit history is the cluster history', () => {
  test('adding a node moves no pod, scaling adds pods after the last address, Undo returns exactly', async ({
    page,
  }) => {
    await page.goto('./');
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(4);
    const start = await pods(page);

    await whatIf(page).getByRole('button', { name: 'Add node' }).click();
    await expect(
      diagram(page).getByRole('button', { name: /^node node-c .* PodCIDR 10\.32\.2\.0\/24$/ }),
    ).toBeVisible();
    // A running pod stays on its node with its IP: node-c starts empty.
    expect(await pods(page)).toEqual(start);
    const changes = warnings(page).getByRole('group').filter({ hasText: 'Changed by the last edit' });
    await expect(warnings(page).getByText('Changed by the last edit (1)')).toBeVisible();
    await expect(changes).toContainText('node node-c added');
    await expect(changes).not.toContainText('pod ');

    await setField(page, 'Deployment default/web replicas', '6');
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(6);
    const six = await pods(page);
    for (const p of start) expect(six).toContain(p);
    // The scheduler puts both new pods where there are fewest: one on the empty node-c, one on node-b.
    const added = six.filter((p) => !start.includes(p));
    expect(added.map((p) => p.replace(/^pod \S+ /, '')).sort()).toEqual(['10.32.1.4 on node-b', '10.32.2.2 on node-c']);
    await expect(changes).toContainText(/pod default\/web-\S+ added/);

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(4);
    expect(await pods(page)).toEqual(start);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(6);
    expect(await pods(page)).toEqual(six);
  });
});

test.describe('a big scenario keeps its live state in the background worker', () => {
  test('adding a node to a 300-node cluster moves no running pod, and Undo returns exactly', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('./');
    const panel = page.getByRole('region', { name: 'Scenario' });
    await panel.getByText('Generate a large cluster').click();
    // 300 nodes of 30 pods: a 300 KB scenario, over the size the page hands to the worker.
    await panel.getByLabel('Nodes').fill('300');
    await panel.getByRole('button', { name: 'Generate' }).click();
    await expect(diagram(page).getByRole('img', { name: /^Overview of 300 nodes and 9,002 pods/ })).toBeVisible({
      timeout: 30_000,
    });
    const find = diagram(page).getByRole('search');
    const podAt = async (ip: string) => {
      await find.getByLabel('Find').fill(ip);
      await find.getByRole('button', { name: 'Find' }).click();
      await expect(find.getByRole('status')).toContainText('Found: pod');
      const pod = diagram(page).getByRole('button', { name: new RegExp(`^pod \\S+ ${ip.replace(/\./g, '\\.')} on `) });
      return pod.getAttribute('aria-label');
    };
    const ips = ['10.0.0.5', '10.0.100.5', '10.1.43.6'];
    const start = [];
    for (const ip of ips) start.push(await podAt(ip));

    await whatIf(page).getByRole('button', { name: 'Add node' }).click();
    await expect(diagram(page).getByRole('img', { name: /^Overview of 301 nodes and 9,002 pods/ })).toBeVisible({
      timeout: 30_000,
    });
    const changes = warnings(page).getByRole('group').filter({ hasText: 'Changed by the last edit' });
    await expect(warnings(page).getByText('Changed by the last edit (1)')).toBeVisible();
    await expect(changes).toContainText(/node \S+ added/);
    await expect(changes).not.toContainText('pod ');
    // 301 nodes' kernels are not compared in the page's diff: it says so, and where they are listed.
    await expect(changes).toContainText("Node kernels not compared here: 301 nodes' routes and kube-proxy rules");
    // Each pod is where it was, with its IP (a new cluster of the same text would spread them over 301 nodes).
    for (const [k, ip] of ips.entries()) expect(await podAt(ip)).toBe(start[k]);

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(diagram(page).getByRole('img', { name: /^Overview of 300 nodes and 9,002 pods/ })).toBeVisible({
      timeout: 30_000,
    });
    // Undo lists what it changed, as on a small cluster: the node it took away, and nothing else.
    await expect(warnings(page).getByText('Changed by the last edit (1)')).toBeVisible({ timeout: 30_000 });
    await expect(changes).toContainText(/node \S+ removed \(\S+, PodCIDR \S+ released\)/);
    await expect(changes).not.toContainText('pod ');
    for (const [k, ip] of ips.entries()) expect(await podAt(ip)).toBe(start[k]);
  });
});
