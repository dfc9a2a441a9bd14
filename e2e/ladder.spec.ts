import { expect, test, type Page } from '@playwright/test';
import { currentHop, tracePanel } from './stageHelpers';

const ladder = (page: Page) => page.getByRole('region', { name: 'Ladder view' });
const whatIf = (page: Page) => page.getByRole('region', { name: 'What if' });

async function trace(page: Page, from: string, to: string) {
  const panel = tracePanel(page);
  await panel.getByRole('combobox', { name: /^From/ }).selectOption(from);
  await panel.getByLabel('To', { exact: true }).fill(to);
  await panel.getByRole('button', { name: 'Trace', exact: true }).click();
  await expect(panel.getByRole('status').first()).toContainText('DELIVERED');
}

test.describe('the ladder view', () => {
  test('a pod on node-a to the web Service: a column per namespace, the DNAT rung, rungs that move the trace', async ({
    page,
  }) => {
    await page.goto('./');
    // The talk's cluster: web-85469b5d-8g4nh (10.32.0.4) runs on node-a; kube-proxy sends its connection to
    // 10.32.1.2:8080 on node-b (core's trace pins the same walk).
    await trace(page, 'pod/default/web-85469b5d-8g4nh', 'web.default.svc.cluster.local');
    await tracePanel(page).getByRole('button', { name: 'Ladder view' }).click();
    await expect(tracePanel(page).getByRole('button', { name: 'Ladder view' })).toHaveAttribute('aria-pressed', 'true');
    const columns = ladder(page).getByRole('list', { name: 'Columns' }).getByRole('listitem');
    await expect(columns).toHaveCount(5);
    await expect(columns.nth(0)).toHaveAccessibleName('web-85469b5d-8g4nh, pod on node-a');
    await expect(columns.nth(1)).toHaveAccessibleName('node-a, node (root ns)');
    await expect(columns.nth(2)).toHaveAccessibleName(/^coredns-\S+, pod on node-a$/);
    await expect(columns.nth(3)).toHaveAccessibleName('node-b, node (root ns)');
    await expect(columns.nth(4)).toHaveAccessibleName(/^web-\S+, pod on node-b$/);

    const rungs = ladder(page).getByRole('list', { name: /^Ladder of / });
    const total = Number(
      /of (\d+)/.exec(
        (await tracePanel(page)
          .getByText(/^Step \d+ of \d+/)
          .textContent()) ?? '',
      )![1],
    );
    await expect(rungs.getByRole('button')).toHaveCount(total);
    const dnat = rungs.getByRole('button', { name: /^Step \d+, Request: DNAT in node-a, PREROUTING \(nat\)/ });
    await expect(dnat).toHaveAccessibleName(/dst 10\.106\.175\.246:80 → 10\.32\.1\.2:8080$/);
    await expect(dnat).not.toHaveAttribute('aria-current', 'step');

    await dnat.click();
    const n = Number(/^Step (\d+),/.exec((await dnat.getAttribute('aria-label')) ?? '')![1]);
    await expect(tracePanel(page).getByText(`Step ${n} of ${total}`)).toBeVisible();
    await expect(currentHop(page).getByRole('heading')).toHaveText('DNAT · node-a · host · PREROUTING (nat)');
    await expect(dnat).toHaveAttribute('aria-current', 'step');

    // The keyboard walks the rungs: the next rung is the route out of node-a's eth0.
    await dnat.press('ArrowDown');
    await expect(tracePanel(page).getByText(`Step ${n + 1} of ${total}`)).toBeVisible();
    const next = rungs.getByRole('button', { name: new RegExp(`^Step ${n + 1}, Request: ROUTE in node-a, eth0`) });
    await expect(next).toBeFocused();
    await expect(next).toHaveAttribute('aria-current', 'step');

    await ladder(page).page().getByRole('button', { name: 'Back to the diagram' }).click();
    await expect(ladder(page)).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Cluster diagram' })).toBeVisible();
  });

  test('NodePort externalTrafficPolicy Cluster vs Local: the pinned ladder has the SNAT, the current one not', async ({
    page,
  }) => {
    await page.goto('./');
    await page
      .getByRole('region', { name: 'Scenario' })
      .getByLabel('Example')
      .selectOption({ label: 'NodePort Services' });
    // nodeport.yaml: 172.18.0.3 is nodeports-worker, with one frontend pod; frontend's nodePort is 30080.
    await trace(page, 'external', '172.18.0.3:30080');
    await tracePanel(page).getByRole('button', { name: 'Ladder view' }).click();
    await page.getByRole('button', { name: 'Pin for compare' }).click();
    await expect(page.getByRole('region', { name: 'Differences' })).toContainText('The two traces take the same path.');

    // The first Service in the what-if list is frontend (Cluster).
    await whatIf(page).getByLabel('externalTrafficPolicy').first().selectOption('Local');
    const pinned = page.getByRole('region', { name: 'Pinned trace' });
    const current = page.getByRole('region', { name: 'Current trace' });
    await expect(current).toContainText('after the scenario changed');
    await expect(
      pinned.getByRole('img', { name: /, Request: SNAT in nodeports-worker, .*\(only in this trace\)$/ }),
    ).toHaveCount(1);
    await expect(current.getByRole('button', { name: /SNAT/ })).toHaveCount(0);
    // Under Local the pod is on the node the client addressed, and sees the client's own address.
    await expect(
      current.getByRole('button', { name: /^Step \d+, Request: DELIVER in pod frontend-\S+, eth0 \(differs\)$/ }),
    ).toHaveCount(1);
    const key = page.getByRole('list', { name: 'Key differences' });
    await expect(key).toContainText(
      /Request: only in pinned: SNAT on nodeports-worker \(src 203\.0\.113\.10:40000 → 172\.18\.0\.3:\d+\)/,
    );
    await expect(key).toContainText(
      /Request: DELIVER: pinned in pod frontend-\S+, from 172\.18\.0\.3:\d+; current in pod frontend-\S+, from 203\.0\.113\.10:40000/,
    );

    // A rung of the re-traced current side opens that trace at that step.
    await current.getByRole('button', { name: /^Step 2, Request: DNAT/ }).click();
    await expect(tracePanel(page).getByText(/^Step 2 of \d+/)).toBeVisible();
    await expect(currentHop(page).getByRole('heading')).toHaveText(/^DNAT · nodeports-worker · host/);

    // Undo brings Cluster back: the two ladders agree again.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByRole('region', { name: 'Differences' })).toContainText('The two traces take the same path.');
    await page.getByRole('button', { name: 'Unpin' }).click();
    await expect(page.getByRole('region', { name: 'Pinned trace' })).toHaveCount(0);
    // Undo also closed the open trace, as every scenario change does: nothing is left to draw.
    await expect(ladder(page)).toContainText('Trace a packet to see its ladder.');
  });

  test('on a phone the ladder scrolls in its own box inside the screen', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('./');
    await trace(page, 'pod/default/web-85469b5d-8g4nh', 'svc/default/web');
    await tracePanel(page).getByRole('button', { name: 'Ladder view' }).click();
    const box = await ladder(page).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await expect(ladder(page)).toBeInViewport();
    const scrolls = await ladder(page).evaluate((el) => el.scrollHeight > el.clientHeight);
    expect(scrolls).toBe(true);
    await expect(ladder(page).getByRole('button', { name: /^Step 1, Request: SEND/ })).toBeVisible();
  });
});
