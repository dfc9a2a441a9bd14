import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { diagram, selectExample, screenshotsAt } from './stageHelpers';

// The dual-stack example (public/scenarios/dual-stack.yaml): kind's ipFamily dual with kind's default ranges.
const inspector = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });
const whatIf = (page: Page) => page.getByRole('region', { name: 'What if' });

async function openDualStack(page: Page) {
  await page.goto('./');
  await selectExample(page, 'Dual-stack: IPv4 and IPv6');
  await expect(diagram(page).getByRole('button', { name: /^node dual-worker / })).toBeVisible();
}

async function setField(page: Page, label: string, value: string) {
  const field = whatIf(page).getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

test.describe('a dual-stack cluster shows both families', () => {
  test('nodes, pods and Services carry their IPv6 addresses after the IPv4 ones', async ({ page }) => {
    await openDualStack(page);
    const d = diagram(page);
    await expect(
      d.getByRole('button', {
        name: 'node dual-worker worker eth0 172.18.0.3 fc00:f853:ccd:e793::3 PodCIDR 10.244.1.0/24 fd00:10:244:1::/64',
      }),
    ).toBeVisible();
    // Visible text, not only names: the IPv6 PodCIDR and the cni0 bridge's IPv6 address.
    await expect(d.getByText('fd00:10:244:1::/64', { exact: true })).toBeVisible();
    await expect(d.getByText('fd00:10:244:1::1', { exact: true })).toBeVisible();
    await expect(
      d.getByRole('button', { name: /^pod web-\S+ 10\.244\.1\.2 fd00:10:244:1::2 on dual-worker$/ }),
    ).toBeVisible();
    await expect(d.getByText('fd00:10:244:1::2', { exact: true })).toBeVisible();
    // PreferDualStack: two ClusterIPs; SingleStack: only the IPv4 one.
    await expect(
      d.getByRole('button', {
        name: /^Service default\/web ClusterIP 10\.96\.\d+\.\d+:80 \[fd00:10:96::[0-9a-f]+\]:80$/,
      }),
    ).toBeVisible();
    await expect(
      d.getByRole('button', { name: /^Service default\/web-v4 ClusterIP 10\.96\.\d+\.\d+:80$/ }),
    ).toBeVisible();
    await expect(page.getByLabel('Cluster ranges')).toContainText('fd00:10:244::/56');
    await expect(page.getByLabel('Cluster ranges')).toContainText('fd00:10:96::/112');
  });

  test('the inspectors list both families, the Service its family policy and each endpoint family', async ({
    page,
  }) => {
    await openDualStack(page);
    await diagram(page)
      .getByRole('button', { name: /^node dual-worker / })
      .click();
    const i = inspector(page);
    await expect(i.getByRole('heading', { name: 'Node dual-worker' })).toBeVisible();
    await expect(i.getByRole('definition').filter({ hasText: '10.244.1.0/24' })).toContainText('fd00:10:244:1::/64');
    await expect(i.getByRole('definition').filter({ hasText: '172.18.0.3' })).toContainText('fc00:f853:ccd:e793::3');
    await expect(i.getByLabel('IPv6 route table of dual-worker')).toContainText(
      'fd00:10:244::/64 via fc00:f853:ccd:e793::2 dev eth0',
    );
    await i.getByText('IPv6 nat table (ip6tables-save -t nat)').click();
    await expect(i.getByLabel('IPv6 nat table of dual-worker')).toContainText('-A KUBE-SERVICES -d fd00:10:96::');
    // The IPv6 PodCIDR explained as core's IPv6 calculator does: exact size and hex groups.
    await i.getByText('IPv6 PodCIDR fd00:10:244:1::/64 explained').click();
    await expect(i).toContainText('18,446,744,073,709,551,616');
    await expect(i.getByLabel('hex groups of fd00:10:244:1::/64: 64 network bits, 64 host bits')).toBeVisible();

    await diagram(page)
      .getByRole('button', { name: /^Service default\/web ClusterIP/ })
      .click();
    await expect(i.getByRole('heading', { name: 'Service default/web' })).toBeVisible();
    await expect(i).toContainText('PreferDualStack');
    await expect(i).toContainText('IPv4, IPv6');
    await expect(i.getByRole('heading', { name: 'Endpoints (3 IPv4, 3 IPv6)' })).toBeVisible();
    await expect(i.getByRole('button', { name: /^\[fd00:10:244:1::2\]:8080\/TCP \(http\) IPv6 · web-/ })).toBeVisible();

    await diagram(page)
      .getByRole('button', { name: /^Service default\/web-v4 / })
      .click();
    await expect(i).toContainText('SingleStack');
    await expect(i.getByRole('heading', { name: 'Endpoints (3 IPv4)' })).toBeVisible();

    await diagram(page)
      .getByRole('button', { name: /^pod web-\S+ 10\.244\.2\.2 / })
      .click();
    await expect(i.getByRole('definition').filter({ hasText: '10.244.2.2' })).toContainText('fd00:10:244:2::2');
  });

  test('axe-core finds no serious or critical violation with a node inspected', async ({ page }) => {
    await openDualStack(page);
    await diagram(page)
      .getByRole('button', { name: /^node dual-worker / })
      .click();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
    expect(serious).toEqual([]);
  });
});

test.describe('what-if on a dual-stack cluster', () => {
  test('the PodCIDR field takes IPv4,IPv6 and every node gets a block of each', async ({ page }) => {
    await openDualStack(page);
    const field = whatIf(page).getByLabel('PodCIDR', { exact: true });
    await expect(field).toHaveValue('10.244.0.0/16,fd00:10:244::/56');
    await expect(whatIf(page).getByLabel('Service range', { exact: true })).toHaveValue(
      '10.96.0.0/16,fd00:10:96::/112',
    );
    await setField(page, 'PodCIDR', '10.8.0.0/16,fd00:8::/56');
    await expect(
      diagram(page).getByRole('button', { name: /^node dual-worker .* PodCIDR 10\.8\.1\.0\/24 fd00:8:0:1::\/64$/ }),
    ).toBeVisible();
    await expect(page.getByLabel('Cluster ranges')).toContainText('fd00:8::/56');
    // A live cluster: running nodes keep their /64 (spec.podCIDRs never change); the note says why.
    await setField(page, 'IPv6 node mask', '60');
    await expect(page.getByRole('region', { name: 'Warnings' })).toContainText('node mask /60 (IPv6)');
    await expect(
      diagram(page).getByRole('button', { name: /^node dual-worker .* PodCIDR 10\.8\.1\.0\/24 fd00:8:0:1::\/64$/ }),
    ).toBeVisible();
  });

  test('one CIDR where two are needed, or a bad IPv6 one, is refused with the field and value; the cluster stays', async ({
    page,
  }) => {
    await openDualStack(page);
    const field = whatIf(page).getByLabel('PodCIDR', { exact: true });
    await setField(page, 'PodCIDR', '10.8.0.0/16');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    const alert = whatIf(page).getByRole('alert');
    await expect(alert).toContainText('networking.podSubnet "10.8.0.0/16"');
    await expect(alert).toContainText('a dual-stack cluster needs two CIDRs');
    await expect(alert).toContainText('Not applied');
    await expect(field).toHaveValue('10.8.0.0/16');
    await setField(page, 'PodCIDR', '10.8.0.0/16,fd00:8::/129');
    await expect(alert).toContainText('networking.podSubnet "10.8.0.0/16,fd00:8::/129"');
    await expect(alert).toContainText('fd00:8::/129');
    await expect(
      diagram(page).getByRole('button', { name: /^node dual-worker .* PodCIDR 10\.244\.1\.0\/24 / }),
    ).toBeVisible();
    await expect(page.getByLabel('Cluster ranges')).toContainText('fd00:10:244::/56');
  });
});

test('in nftables mode the node shows table ip6 kube-proxy with the IPv6 ClusterIP', async ({ page }) => {
  await openDualStack(page);
  await whatIf(page).getByLabel('kube-proxy mode').selectOption('nftables');
  await diagram(page)
    .getByRole('button', { name: /^node dual-worker / })
    .click();
  const i = inspector(page);
  await i.getByText("kube-proxy's IPv6 nftables table (nft list table ip6 kube-proxy)").click();
  const table = i.getByLabel('IPv6 nftables table of dual-worker');
  await expect(table).toContainText('table ip6 kube-proxy {');
  await expect(table).toContainText('ip6 daddr fd00:10:96::/112 drop');
});

test('screenshots of the dual-stack example at 1280x720, 1920x1080 and 390x844', async ({ page }) => {
  await screenshotsAt(page, 'dual-stack', openDualStack);
});

test.describe('the trace form in a dual-stack cluster', () => {
  test('Family IPv6 traces the packet over IPv6: DNATed from the IPv6 ClusterIP to a pod IPv6 address', async ({
    page,
  }) => {
    await openDualStack(page);
    const panel = page.getByRole('region', { name: 'Trace' });
    await panel.getByLabel('To', { exact: true }).fill('svc/default/web');
    await panel.getByLabel('Family').selectOption('IPv6');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('status')).toContainText('DELIVERED');
    const hop = panel.getByRole('article', { name: 'Current hop' });
    await expect(hop).toContainText('[fd00:10:244:');
    const forward = panel.getByRole('button', { name: 'Step forward' });
    for (let i = 0; i < 20 && !(await hop.textContent())?.includes('DNAT'); i++) await forward.click();
    await expect(hop).toContainText('DNAT');
    await expect(hop).toContainText(/\[fd00:10:96::[0-9a-f]+\]:80/);
    await expect(hop).toContainText('--to-destination [fd00:10:244:');
    await page.screenshot({ path: 'test-results/screens/dualstack-trace6.png' });
    // The same request over IPv4 (the primary family) stays IPv4.
    await panel.getByLabel('Family').selectOption('IPv4');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('article', { name: 'Current hop' })).toContainText('10.244.');
    await expect(panel.getByRole('article', { name: 'Current hop' })).not.toContainText('fd00:');
  });

  test('an IPv6 trace between nodes draws the ip -6 route it takes, not the IPv4 one', async ({ page }) => {
    await openDualStack(page);
    const panel = page.getByRole('region', { name: 'Trace' });
    await panel.getByRole('combobox', { name: /^From/ }).selectOption('pod/default/web-85469b5d-ff229');
    await panel.getByLabel('To', { exact: true }).fill('web-85469b5d-8g4nh');
    await panel.getByLabel('Port').fill('8080');
    await panel.getByLabel('Family').selectOption('IPv6');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('status')).toContainText('DELIVERED');
    const hop = panel.getByRole('article', { name: 'Current hop' });
    const forward = panel.getByRole('button', { name: 'Step forward' });
    const line = 'fd00:10:244:2::/64 via fc00:f853:ccd:e793::4 dev eth0 metric 1024 pref medium';
    for (let i = 0; i < 20 && !(await hop.textContent())?.includes(line); i++) await forward.click();
    await expect(hop).toContainText(line);
    const routes = diagram(page).getByRole('group', { name: 'Routes the CNI added, IPv6 routes of dual-worker' });
    await expect(routes.getByRole('img', { name: `route ${line} on dual-worker` })).toHaveAttribute(
      'aria-current',
      'step',
    );
    await expect(routes.getByRole('img', { name: /route 10\.244\./ })).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screens/dualstack-route6.png' });
  });

  test('a single-stack cluster has no Family choice', async ({ page }) => {
    await page.goto('./');
    const panel = page.getByRole('region', { name: 'Trace' });
    await expect(panel.getByLabel('Protocol')).toBeVisible();
    await expect(panel.getByLabel('Family')).toHaveCount(0);
  });
});
