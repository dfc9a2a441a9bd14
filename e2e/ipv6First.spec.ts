import { expect, test, type Page } from '@playwright/test';
import { diagram, selectExample, tracePanel, screenshotsAt } from './stageHelpers';

// The IPv6-first dual-stack example (public/scenarios/dual-stack-ipv6-first.yaml): both families, IPv6 primary.
const inspector = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });

async function openFirst6(page: Page) {
  await page.goto('./');
  await selectExample(page, 'Dual-stack, IPv6 first');
  await expect(diagram(page).getByRole('button', { name: /^node dual6-worker / })).toBeVisible();
}

async function stepTo(page: Page, text: string) {
  const panel = tracePanel(page);
  const hop = panel.getByRole('article', { name: 'Current hop' });
  const forward = panel.getByRole('button', { name: 'Step forward' });
  for (let i = 0; i < 25 && !(await hop.textContent())?.includes(text); i++) await forward.click();
  return hop;
}

test.describe('an IPv6-first dual-stack cluster', () => {
  test('shows IPv6 as each primary address and IPv4 as the smaller second one', async ({ page }) => {
    await openFirst6(page);
    const ranges = page.getByLabel('Cluster ranges');
    // The header: IPv6 ranges first, the node masks in the same order (/64, then /24).
    await expect(ranges).toContainText(/fd00:10:244::\/56\s*10\.244\.0\.0\/16/);
    await expect(ranges).toContainText(/\/64\s*\/24/);
    const d = diagram(page);
    await expect(
      d.getByRole('button', { name: /^pod web-\S+ fd00:10:244:1::2 10\.244\.1\.2 on dual6-worker$/ }),
    ).toBeVisible();
    await d.getByRole('button', { name: /^node dual6-worker / }).click();
    const i = inspector(page);
    await expect(i.getByLabel('IPv6 route table of dual6-worker')).toContainText(
      'fd00:10:244::/64 via fc00:f853:ccd:e793::2 dev eth0',
    );
    // The IPv4 table is the same one an IPv4-first cluster's node has.
    await expect(i.getByLabel('Route table of dual6-worker', { exact: true })).toContainText(
      '10.244.0.0/24 via 172.18.0.2 dev eth0',
    );
  });

  test('a trace to the Service by name is IPv6 by default: AAAA, DNAT to a pod IPv6 address', async ({ page }) => {
    await openFirst6(page);
    const panel = tracePanel(page);
    await expect(panel.getByLabel('Family')).toHaveValue('IPv6');
    await expect(panel.getByLabel('Family').locator('option:checked')).toHaveText('IPv6 (primary)');
    await panel.getByLabel('To', { exact: true }).fill('web.default.svc.cluster.local');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('status')).toContainText('DELIVERED');
    const hop = await stepTo(page, 'DNAT');
    await expect(hop).toContainText('--to-destination [fd00:10:244:');
  });

  test('Family IPv4 traces to the IPv4 ClusterIP and is DNATed to a pod IPv4 address', async ({ page }) => {
    await openFirst6(page);
    const panel = tracePanel(page);
    await panel.getByLabel('Family').selectOption('IPv4');
    await panel.getByLabel('To', { exact: true }).fill('svc/default/web');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('status')).toContainText('DELIVERED');
    const hop = await stepTo(page, 'DNAT');
    await expect(hop).toContainText(/--to-destination 10\.244\.\d+\.\d+:8080/);
  });

  test('screenshots at 1280x720, 1920x1080 and 390x844', async ({ page }) => {
    await screenshotsAt(page, 'ipv6-first', openFirst6);
  });
});
