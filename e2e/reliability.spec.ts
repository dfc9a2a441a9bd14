import { expect, test } from '@playwright/test';

test('a worker that goes silent is given up with a message and Retry, never an endless spinner', async ({ page }) => {
  test.setTimeout(60_000);
  await page.clock.install();
  // A worker that takes requests and never answers: no reply, no heartbeat, no error event.
  await page.route('**/assets/deriveWorker-*.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: 'self.onmessage = () => {};' }),
  );
  await page.goto('./');
  const panel = page.getByRole('region', { name: 'Scenario' });
  await panel.getByText('Generate a large cluster').click();
  await panel.getByLabel('Nodes').fill('300');
  await panel.getByRole('button', { name: 'Generate' }).click();
  const alert = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Retry' }) });
  await page.clock.fastForward(10_000);
  const spinner = page.getByText('Computing the cluster in the background');
  await expect(spinner).toBeVisible();
  await expect(alert).toBeHidden(); // 10 s of silence is still "busy"
  await page.clock.fastForward(15_000);
  await expect(alert).toContainText('it sent nothing for 20 s');
  await expect(spinner).toBeHidden();
  // The default cluster is still on screen and usable.
  await expect(
    page.getByRole('button', { name: 'node node-a control-plane eth0 10.10.0.1 PodCIDR 10.32.0.0/24' }),
  ).toBeVisible();

  // With a working worker again, Retry clears the message and the same request goes through.
  await page.unroute('**/assets/deriveWorker-*.js');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(alert).toBeHidden();
  await panel.getByRole('button', { name: 'Generate' }).click();
  await expect(
    page.getByRole('region', { name: 'Cluster diagram' }).getByRole('img', { name: /Overview of 300 nodes/ }),
  ).toBeVisible({
    timeout: 30_000,
  });
});
