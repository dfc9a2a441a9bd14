import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { diagram, selectExample, tracePanel, screenshotsAt } from './stageHelpers';

// The IPv6-only example (public/scenarios/ipv6.yaml): kind's ipFamily ipv6 with kind's default ranges.
const inspector = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });
const whatIf = (page: Page) => page.getByRole('region', { name: 'What if' });

async function openIpv6(page: Page) {
  await page.goto('./');
  await selectExample(page, 'IPv6 only');
  await expect(diagram(page).getByRole('button', { name: /^node ipv6-worker / })).toBeVisible();
}

test.describe('an IPv6 single-stack cluster', () => {
  test('nodes, pods and Services show their IPv6 addresses as their only ones', async ({ page }) => {
    await openIpv6(page);
    const d = diagram(page);
    await expect(
      d.getByRole('button', {
        name: 'node ipv6-worker worker eth0 fc00:f853:ccd:e793::3 PodCIDR fd00:10:244:1::/64',
      }),
    ).toBeVisible();
    await expect(d.getByText('PodCIDR fd00:10:244:1::/64', { exact: true })).toBeVisible();
    await expect(d.getByRole('button', { name: /^pod web-\S+ fd00:10:244:1::2 on ipv6-worker$/ })).toBeVisible();
    await expect(d.getByText('fd00:10:244:1::2', { exact: true })).toBeVisible();
    await expect(
      d.getByRole('button', { name: /^Service default\/web NodePort \[fd00:10:96::[0-9a-f]+\]:80/ }),
    ).toBeVisible();
    const ranges = page.getByLabel('Cluster ranges');
    await expect(ranges).toContainText('fd00:10:244::/56');
    await expect(ranges).toContainText('fd00:10:96::/112');
    await expect(ranges).toContainText('/64');
    // No IPv4 anywhere in the header.
    await expect(ranges).not.toContainText('10.244.0.0');
    // Before any trace the band draws the routes the CNI added, from the node's `ip -6 route` (its only table).
    const routes = d.getByRole('group', { name: 'Routes the CNI added, routes of ipv6-control-plane' });
    const line = 'fd00:10:244:1::/64 via fc00:f853:ccd:e793::3 dev eth0 metric 1024 pref medium';
    await expect(routes.getByRole('img', { name: `route ${line} on ipv6-control-plane` })).toBeVisible();
  });

  test('the node inspector shows the IPv6 routes and ip6tables, and no empty IPv4 table', async ({ page }) => {
    await openIpv6(page);
    await diagram(page)
      .getByRole('button', { name: /^node ipv6-worker / })
      .click();
    const i = inspector(page);
    await expect(i.getByRole('heading', { name: 'Node ipv6-worker' })).toBeVisible();
    await expect(i.getByLabel('IPv6 route table of ipv6-worker')).toContainText(
      'fd00:10:244::/64 via fc00:f853:ccd:e793::2 dev eth0',
    );
    await expect(i.getByLabel('Route table of ipv6-worker', { exact: true })).toHaveCount(0);
    await expect(i.getByText('nat table (iptables-save -t nat)', { exact: true })).toHaveCount(0);
    await i.getByText('IPv6 nat table (ip6tables-save -t nat)').click();
    await expect(i.getByLabel('IPv6 nat table of ipv6-worker')).toContainText('-A KUBE-SERVICES -d fd00:10:96::a/128');
  });

  test('a trace from a pod to the Service is IPv6 with no family to pick: DNAT to a pod IPv6 address', async ({
    page,
  }) => {
    await openIpv6(page);
    const panel = tracePanel(page);
    await expect(panel.getByLabel('Family')).toHaveCount(0);
    await panel.getByLabel('To', { exact: true }).fill('svc/default/web');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('status')).toContainText('DELIVERED');
    const hop = panel.getByRole('article', { name: 'Current hop' });
    const forward = panel.getByRole('button', { name: 'Step forward' });
    for (let i = 0; i < 20 && !(await hop.textContent())?.includes('DNAT'); i++) await forward.click();
    await expect(hop).toContainText('DNAT');
    await expect(hop).toContainText('--to-destination [fd00:10:244:');
  });

  test('what-if: the PodCIDR field takes one IPv6 CIDR, an IPv4 one is refused and the cluster stays', async ({
    page,
  }) => {
    await openIpv6(page);
    const field = whatIf(page).getByLabel('PodCIDR', { exact: true });
    await expect(field).toHaveValue('fd00:10:244::/56');
    await expect(whatIf(page).getByLabel('Node network', { exact: true })).toHaveCount(0);
    await field.fill('10.8.0.0/16');
    await field.press('Enter');
    await expect(whatIf(page).getByRole('alert')).toContainText('expected IPv6 CIDR for IPv6 family');
    await expect(page.getByLabel('Cluster ranges')).toContainText('fd00:10:244::/56');
    await field.fill('fd00:8::/56');
    await field.press('Enter');
    await expect(page.getByLabel('Cluster ranges')).toContainText('fd00:8::/56');
  });

  test('"Download lab script" gives the IPv6 lab the CLI prints: IPv6 addresses only, no refusal', async ({ page }) => {
    await openIpv6(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download lab script' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('k8snet-ipv6-lab.sh');
    const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
    expect(text).toContain('ip -n k8snet-ipv6.node-ipv6-worker -6 addr add fc00:f853:ccd:e793::3/64 dev eth0 nodad');
    expect(text).not.toMatch(/^ip -n \S+ (addr|route) add /m);
    const cli = ['--import', 'tsx', 'cli/k8snet.ts', 'lab', 'public/scenarios/ipv6.yaml'];
    expect(text).toBe(execFileSync(process.execPath, cli, { encoding: 'utf8' }));
  });

  test('axe-core finds no serious or critical violation with a Service inspected', async ({ page }) => {
    await openIpv6(page);
    await diagram(page)
      .getByRole('button', { name: /^Service default\/web / })
      .click();
    await expect(inspector(page).getByRole('heading', { name: 'Service default/web' })).toBeVisible();
    await expect(inspector(page)).toContainText('IPv6');
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
    expect(serious).toEqual([]);
  });

  test('screenshots at 1280x720, 1920x1080 and 390x844', async ({ page }) => {
    await screenshotsAt(page, 'ipv6', openIpv6);
  });
});
