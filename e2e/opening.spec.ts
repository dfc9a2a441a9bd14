import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_SCENARIO_YAML } from '../core/scenario/defaultScenario';
import { shareHash, STORAGE_KEY } from '../web/state/persist';

// Big input (a saved scenario or share link over the worker threshold) is opened by the worker after the
// page is up: the app is usable at once, and nothing the user has is written over meanwhile.
const diagram = (page: Page) => page.getByRole('region', { name: 'Cluster diagram' });
const nodeB = (page: Page, podCIDR: string) =>
  diagram(page).getByRole('button', { name: `node node-b worker eth0 10.10.1.1 PodCIDR ${podCIDR}` });
const opening = (page: Page) => page.getByRole('status').filter({ hasText: /Opening|Could not open/ });
/** The default scenario with another PodCIDR, made big (over 256 KB) by a comment. */
const big = (podSubnet: string) =>
  DEFAULT_SCENARIO_YAML.replace('podSubnet: 10.32.0.0/14', `podSubnet: ${podSubnet}`) +
  `# ${'padding '.repeat(40_000)}\n`;
const silentWorker = (page: Page) =>
  page.route('**/assets/deriveWorker-*.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: 'self.onmessage = () => {};' }),
  );
const stored = (page: Page) => page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);

test('a big saved scenario opens in the background: the page is usable at once and saves nothing over it', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const saved = JSON.stringify({ scenario: big('10.4.0.0/14'), selection: null });
  await page.goto('./');
  await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [STORAGE_KEY, saved]);
  await page.clock.install();
  await silentWorker(page);
  await page.reload();
  // The worker says nothing: the page still came up, on the default cluster, and says what it is doing.
  await expect(opening(page)).toContainText('Opening your saved cluster (0.3 MB) in the background');
  await expect(nodeB(page, '10.32.1.0/24')).toBeVisible();
  // Usable: an edit meanwhile is shown, but not saved over the big scenario.
  const field = page.getByRole('region', { name: 'What if' }).getByLabel('PodCIDR', { exact: true });
  await field.fill('10.20.0.0/14');
  await field.press('Enter');
  await expect(nodeB(page, '10.20.1.0/24')).toBeVisible();
  expect(await stored(page)).toBe(saved);
  // A lost worker is not a bad scenario: it is kept, and Retry asks again.
  await page.clock.fastForward(25_000);
  await expect(opening(page)).toContainText('Could not open your saved cluster (0.3 MB) yet');
  expect(await stored(page)).toBe(saved);
  await page.unroute('**/assets/deriveWorker-*.js');
  await page.getByRole('alert').getByRole('button', { name: 'Retry' }).click();
  await expect(nodeB(page, '10.4.1.0/24')).toBeVisible({ timeout: 20_000 });
  await expect(opening(page)).toHaveCount(0);
  // The edit made meanwhile is one Undo away.
  await page.getByRole('toolbar', { name: 'Scenario actions' }).getByRole('button', { name: 'Undo' }).click();
  await expect(nodeB(page, '10.20.1.0/24')).toBeVisible();
});

test('a big share link opens as a visit once the worker has it; Stop opening it goes back to your own', async ({
  page,
}) => {
  const trace = { from: 'pod/default/web-85469b5d-ff229', to: 'web.default.svc.cluster.local', port: 80, step: 2 };
  const link = `./${shareHash({ scenario: big('10.16.0.0/14'), selection: null, trace })}`;
  await page.goto(link);
  await expect(page.getByRole('region', { name: 'Shared cluster' })).toContainText(
    'You are looking at a shared cluster',
  );
  await expect(nodeB(page, '10.16.1.0/24')).toBeVisible();
  // The link's trace, at its step.
  await expect(page.getByRole('img', { name: /^Packet / })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Trace' })).toContainText(/Step 3 of \d+/);
  // Nothing of the visit was saved.
  expect(await stored(page)).toBeNull();

  // With the worker silent, the page shows the own (here the default) cluster meanwhile; the user can stop waiting.
  await silentWorker(page);
  await page.reload();
  await expect(opening(page)).toContainText('Opening the shared cluster (0.3 MB) in the background');
  await expect(nodeB(page, '10.32.1.0/24')).toBeVisible();
  await opening(page).getByRole('button', { name: 'Stop opening it' }).click();
  await expect(opening(page)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Shared cluster' })).toHaveCount(0);
  expect(page.url()).not.toContain('scenario=');
});

test('parse-time warnings (host bits set, a misspelt field) are listed in Warnings, small or big scenario', async ({
  page,
}) => {
  const warned = (text: string) =>
    text
      .replace('podSubnet: 10.32.0.0/14', 'podSubnet: 10.33.0.0/14')
      .replace('    ip: 10.10.1.1', '    ip: 10.10.1.1\n    lables: {a: b}');
  const expectWarnings = async () => {
    const w = page.getByRole('region', { name: 'Warnings' });
    await expect(w).toContainText('networking.podSubnet: "10.33.0.0/14" has host bits set; using 10.32.0.0/14');
    await expect(w).toContainText('nodes[1].lables: unknown field, ignored (did you mean labels?)');
  };
  // Small: parsed on the page, through What-if.
  await page.goto('./');
  const field = page.getByRole('region', { name: 'What if' }).getByLabel('PodCIDR', { exact: true });
  await field.fill('10.33.0.0/14');
  await field.press('Enter');
  await expect(page.getByRole('region', { name: 'Warnings' })).toContainText('has host bits set; using 10.32.0.0/14');
  // Big: parsed and realized in the worker, opened from the saved state.
  const saved = JSON.stringify({ scenario: warned(big('10.32.0.0/14')), selection: null });
  await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [STORAGE_KEY, saved]);
  await page.reload();
  await expect(nodeB(page, '10.32.1.0/24')).toBeVisible();
  await expectWarnings();
});
