import { expect, test, type Page } from '@playwright/test';

const lesson = (page: Page) => page.getByRole('region', { name: 'Lesson' });

test('every lesson, end to end with the keyboard: the key facts are on screen, computed by core', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('./');
  await page.getByLabel('Lessons').selectOption({ label: '1. Pods and Deployments' });
  await expect(lesson(page)).toContainText('Lesson 1 of 6: Pods and Deployments · step 1 of 3');
  await page.screenshot({ path: 'test-results/screens/lesson-1.png' });
  // Focus on the page body, not in a field: arrows walk the steps.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  const facts: Record<string, RegExp[]> = {
    'Pods and Deployments · step 1 of 3': [/has the IP 10\.32\.\d+\.\d+/],
    'Pods and Deployments · step 2 of 3': [/asks for 4 replicas/],
    'Pods and Deployments · step 3 of 3': [/raised from 4 to 6, the Deployment starts 2 new pods/],
    'The PodCIDR · step 1 of 3': [/10\.32\.0\.0 to 10\.35\.255\.255, 262,144 of them/],
    'The PodCIDR · step 2 of 3': [/10\.4\.0\.0\/14: 10\.4\.0\.0 to 10\.7\.255\.255, again 262,144 addresses/],
    'The PodCIDR · step 3 of 3': [/1,024 of them, one per node\. node-a got 10\.32\.0\.0\/24: 256 addresses/],
    'The three rules · step 1 of 3': [/no step rewrites an address/],
    'The three rules · step 2 of 3': [/sends from 10\.10\.0\.1; the pod receives the packet from 10\.10\.0\.1/],
    'The three rules · step 3 of 3': [/eth0 holds 10\.32\./],
    'Services · step 1 of 3': [/the answer is 10\.\d+\.\d+\.\d+, the Service's ClusterIP/],
    'Services · step 2 of 3': [/becomes 10\.32\.\d+\.\d+:8080 \(DNAT\)/],
    'Services · step 3 of 3': [/restores the Service address/],
    'CNI: what the plugin does · step 1 of 3': [/host-local IPAM hands out 10\.32\./],
    'CNI: what the plugin does · step 2 of 3': [/"10\.32\.1\.0\/24 via 10\.10\.1\.1 dev eth0"/],
    'CNI: what the plugin does · step 3 of 3': [
      /On node-b, the sender's node, the route to node-a's pods: with host-gw "10\.32\.0\.0\/24 via 10\.10\.0\.1 dev eth0"; with VXLAN "10\.32\.0\.0\/24 via 10\.32\.0\.0 dev flannel\.1 onlink"/,
      /wrapped in UDP 8472 \(VXLAN, VNI 1\) from 10\.10\.\d+\.\d+ to 10\.10\.\d+\.\d+/,
    ],
    'NetworkPolicy: deny, then allow · step 1 of 3': [/the trace is delivered/],
    'NetworkPolicy: deny, then allow · step 2 of 3': [
      /The trace is now dropped, on node-b: NetworkPolicy drops the packet/,
    ],
    'NetworkPolicy: deny, then allow · step 3 of 3': [
      /the trace is delivered, allowed on node-b by default\/allow-web ingress\[0\]/,
    ],
  };
  const seen: string[] = [];
  for (let i = 0; i < 18; i++) {
    const where = (await lesson(page).locator('.lesson-where').textContent())!;
    const key = Object.keys(facts).find((k) => where.endsWith(k))!;
    expect(key, where).toBeTruthy();
    for (const re of facts[key]!) await expect(lesson(page)).toContainText(re);
    if (where.includes('step 1 of 3'))
      await page.screenshot({ path: `test-results/screens/lesson-${where.match(/Lesson (\d)/)![1]}.png` });
    seen.push(key);
    await page.keyboard.press('ArrowRight');
  }
  expect(new Set(seen).size).toBe(18);
  // The last step has no Next; ← goes back.
  await expect(lesson(page).getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.keyboard.press('ArrowLeft');
  await expect(lesson(page)).toContainText('NetworkPolicy: deny, then allow · step 2 of 3');
});

test("a deep link opens a step; presenter mode; leaving restores the user's own scenario untouched", async ({
  page,
}) => {
  await page.goto('./');
  const whatIf = page.getByRole('region', { name: 'What if' });
  await whatIf.getByLabel('PodCIDR', { exact: true }).fill('10.4.0.0/14');
  await whatIf.getByLabel('PodCIDR', { exact: true }).press('Enter');
  await expect(page.getByLabel('Cluster ranges')).toContainText('10.4.0.0/14');
  await page.goto('./#lesson=services&step=2');
  await expect(lesson(page)).toContainText('Services · step 2 of 3');
  const hop = page.getByRole('region', { name: 'Trace' }).getByRole('article', { name: 'Current hop' });
  await expect(hop).toContainText('DNAT');
  await expect(page.getByRole('region', { name: 'What if' })).toHaveCount(0);
  await lesson(page).getByRole('button', { name: 'Presenter mode' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'on');
  await page.screenshot({ path: 'test-results/screens/presenter.png' });
  await page.keyboard.press('Escape');
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'off');
  await lesson(page).getByRole('button', { name: 'Exit lesson' }).click();
  await expect(lesson(page)).toHaveCount(0);
  await expect(page.getByLabel('Cluster ranges')).toContainText('10.4.0.0/14');
});

test('predict the next hop: a click is a guess, judged with the reason', async ({ page }) => {
  await page.goto('./#lesson=rules&step=1');
  const panel = page.getByRole('region', { name: 'Trace' });
  await expect(panel.getByRole('status').first()).toContainText('DELIVERED');
  await panel.getByLabel('Predict the next hop').check();
  await panel.getByRole('button', { name: 'Step forward' }).click();
  await expect(panel.getByLabel('Prediction')).toContainText('Click the node or pod');
  // The packet leaves the pod into its node: guess the other node (wrong).
  const hop = await panel.getByRole('article', { name: 'Current hop' }).textContent();
  const here = /· (node-[ab]) ·/.exec(hop!)![1];
  const other = here === 'node-a' ? 'node-b' : 'node-a';
  await page
    .getByRole('region', { name: 'Cluster diagram' })
    .getByRole('button', { name: new RegExp(`^node ${other} `) })
    .click();
  await expect(panel.getByLabel('Prediction')).toContainText(`Not quite: the packet goes to node ${here}`);
  await expect(panel.getByText(/^Step 2 of/)).toBeVisible();
  await panel.getByRole('button', { name: 'Step forward' }).click();
  const next = await panel.getByRole('article', { name: 'Current hop' }).textContent();
  expect(next).toContain(here);
  await page
    .getByRole('region', { name: 'Cluster diagram' })
    .getByRole('button', { name: new RegExp(`^node ${here} `) })
    .click();
  await expect(panel.getByLabel('Prediction')).toContainText(`Right: the packet goes to node ${here}`);
});

test('a link to a lesson that does not exist says so and names the lessons there are', async ({ page }) => {
  await page.goto('./#lesson=nosuch');
  await expect(page.getByRole('alert').filter({ hasText: 'There is no lesson "nosuch"' })).toContainText(
    '(the lessons: pods,',
  );
});
