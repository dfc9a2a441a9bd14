import { deflateSync } from 'fflate';
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';

const diagram = (page: Page) => page.getByRole('region', { name: 'Cluster diagram' });
const warnings = (page: Page) => page.getByRole('region', { name: 'Warnings' });
const whatIf = (page: Page) => page.getByRole('region', { name: 'What if' });

async function setField(page: Page, label: string, value: string) {
  const field = whatIf(page).getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

test.describe('what-if editing', () => {
  test('a PodCIDR too small for two nodes: the warning says why, the change is highlighted, undo and redo', async ({
    page,
  }) => {
    await page.goto('./');
    await setField(page, 'PodCIDR', '10.32.0.0/24');
    await expect(
      diagram(page).getByRole('button', { name: 'node node-b worker eth0 10.10.1.1 PodCIDR none' }),
    ).toBeVisible();
    const w = warnings(page);
    await expect(w).toContainText('CIDRNotAvailable');
    await expect(w.getByRole('listitem').filter({ hasText: 'CIDRNotAvailable' }).locator('.new').first()).toContainText(
      'new',
    );
    await expect(w.getByText(/Changed by the last edit/)).toBeVisible();
    await expect(w).toContainText('cluster: podCIDR 10.32.0.0/14 → 10.32.0.0/24');
    await expect(page.getByLabel('Cluster ranges')).toContainText('10.32.0.0/24');
    await page.screenshot({ path: 'test-results/screens/whatif-exhausted.png', fullPage: true });

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(
      diagram(page).getByRole('button', { name: 'node node-b worker eth0 10.10.1.1 PodCIDR 10.32.1.0/24' }),
    ).toBeVisible();
    await expect(w).not.toContainText('CIDRNotAvailable');
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect(w).toContainText('CIDRNotAvailable');
    // The keyboard shortcut, with focus outside any text field.
    await diagram(page)
      .getByRole('button', { name: /^node node-a / })
      .focus();
    await page.keyboard.press('Control+z');
    await expect(w).not.toContainText('CIDRNotAvailable');
    await page.keyboard.press('Control+Shift+z');
    await expect(w).toContainText('CIDRNotAvailable');
  });

  test('an invalid value is shown next to the field and the cluster stays', async ({ page }) => {
    await page.goto('./');
    await setField(page, 'PodCIDR', '10.32.0.0/33');
    const field = whatIf(page).getByLabel('PodCIDR', { exact: true });
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(whatIf(page).getByRole('alert')).toContainText('networking.podSubnet');
    await expect(whatIf(page).getByRole('alert')).toContainText('Not applied');
    await expect(page.getByLabel('Cluster ranges')).toContainText('10.32.0.0/14');
    await expect(page.getByRole('button', { name: 'Undo' })).toBeDisabled();
  });

  test('replicas, an added node and a Service port change the diagram at once', async ({ page }) => {
    await page.goto('./');
    await setField(page, 'Deployment default/web replicas', '6');
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(6);
    await whatIf(page).getByRole('button', { name: 'Add node' }).click();
    await expect(
      diagram(page).getByRole('button', { name: /^node node-c worker eth0 \S+ PodCIDR 10\.32\.2\.0\/24$/ }),
    ).toBeVisible();
    await whatIf(page).getByLabel('CNI mode').selectOption('vxlan');
    await expect(page.getByLabel('Cluster ranges')).toContainText('vxlan');
    await expect(diagram(page).getByText('10.32.1.0/24 via 10.32.1.0 dev flannel.1 onlink')).toBeVisible();
    await diagram(page)
      .getByRole('button', { name: /^node node-c / })
      .click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await inspector.getByRole('button', { name: 'Remove node-c from the cluster' }).click();
    await expect(diagram(page).getByRole('button', { name: /^node node-c / })).toHaveCount(0);
  });

  test('reload keeps the edit and the selection', async ({ page }) => {
    await page.goto('./');
    await setField(page, 'Node mask', '26');
    await diagram(page)
      .getByRole('button', { name: /^node node-b / })
      .click();
    await page.reload();
    await expect(
      diagram(page).getByRole('button', { name: 'node node-b worker eth0 10.10.1.1 PodCIDR 10.32.0.64/26' }),
    ).toBeVisible();
    await expect(
      page.getByRole('complementary', { name: 'Inspector' }).getByRole('heading', { name: 'Node node-b' }),
    ).toBeVisible();
  });
});

test.describe('sharing and files', () => {
  test('a share link opens the same scenario and selection in a fresh browser', async ({ page, browser, baseURL }) => {
    await page.goto('./');
    await setField(page, 'PodCIDR', '10.4.0.0/14');
    await diagram(page)
      .getByRole('button', { name: /^node node-b / })
      .click();
    await page.getByRole('button', { name: 'Share' }).click();
    const link = await page.getByRole('dialog', { name: 'Share link' }).getByLabel('Share link').inputValue();
    expect(link.startsWith(baseURL!)).toBe(true);
    // The link field has the focus, ready to copy; Esc closes the box.
    await expect(page.getByRole('dialog', { name: 'Share link' }).getByLabel('Share link')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Share link' })).toHaveCount(0);
    const other = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const p2 = await other.newPage();
    await p2.goto(link);
    await expect(
      diagram(p2).getByRole('button', { name: 'node node-b worker eth0 10.10.1.1 PodCIDR 10.4.1.0/24' }),
    ).toBeVisible();
    await expect(
      p2.getByRole('complementary', { name: 'Inspector' }).getByRole('heading', { name: 'Node node-b' }),
    ).toBeVisible();
    await other.close();
  });

  test('a link that would inflate past the size limit is refused, not unpacked', async ({ page }) => {
    const packed = Buffer.from(deflateSync(new Uint8Array(20 * 1024 * 1024).fill(32), { level: 9 })).toString(
      'base64url',
    );
    await page.goto(`./#scenario=${packed}`);
    await expect(
      page.getByRole('alert').filter({ hasText: 'its scenario is larger than 16,777,216 bytes' }),
    ).toBeVisible();
    await expect(
      diagram(page).getByRole('button', { name: /^node node-a control-plane eth0 10\.10\.0\.1 / }),
    ).toBeVisible();
  });

  test('a damaged link or corrupted storage opens the default with a message', async ({ page }) => {
    await page.goto('./#scenario=not-a-real-scenario');
    await expect(page.getByRole('alert').filter({ hasText: 'The shared link could not be opened' })).toBeVisible();
    await expect(
      diagram(page).getByRole('button', { name: /^node node-a control-plane eth0 10\.10\.0\.1 / }),
    ).toBeVisible();
    await page.evaluate(() =>
      localStorage.setItem('k8snet-explorer/v1', '{"scenario": "kind: Cluster\\nnetworking: {podSubnet: nope}"}'),
    );
    await page.goto('./');
    await expect(
      page.getByRole('alert').filter({ hasText: 'Your saved scenario could not be restored' }),
    ).toBeVisible();
    await expect(
      diagram(page).getByRole('button', { name: /^node node-a control-plane eth0 10\.10\.0\.1 / }),
    ).toBeVisible();
  });

  test('export gives the scenario text; a bad import is refused and the cluster stays', async ({ page }) => {
    await page.goto('./');
    await setField(page, 'Deployment default/web replicas', '2');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('talk.yaml');
    const exported = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(exported).toString('utf8');
    expect(text).toContain('replicas: 2');
    await page.getByLabel('Scenario file to import').setInputFiles({
      name: 'broken.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from('kind: Cluster\nnetworking:\n  podSubnet: 10.0.0.0/8\n  serviceSubnet: 10.96.0.0/12\n'),
    });
    await expect(page.getByRole('region', { name: 'Scenario' }).getByRole('alert')).toContainText(
      'the file broken.yaml',
    );
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(2);
    // A file over the size limit is refused before it is read.
    await page
      .getByLabel('Scenario file to import')
      .setInputFiles({ name: 'huge.yaml', mimeType: 'text/yaml', buffer: Buffer.alloc(17 * 1024 * 1024, 32) });
    await expect(page.getByRole('region', { name: 'Scenario' }).getByRole('alert')).toContainText(
      'the scenario is too large; the limit is 16,777,216 bytes',
    );
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(2);
    // Importing the exported file gives back the same cluster.
    await page.getByLabel('Scenario file to import').setInputFiles({
      name: 'talk.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from(text.replace('replicas: 2', 'replicas: 3')),
    });
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(3);
  });
});

test('the lab script for the scenario on screen downloads, the same script the CLI prints', async ({ page }) => {
  await page.goto('./');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download lab script' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('k8snet-talk-lab.sh');
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  expect(text).toContain('ip -n k8snet-talk.node-node-a route add 10.32.1.0/24 via 10.10.1.1 dev eth0');
  expect(text).toBe(execFileSync(process.execPath, ['--import', 'tsx', 'cli/k8snet.ts', 'lab'], { encoding: 'utf8' }));
});

test('kube-proxy in nftables mode: the node shows its nft table and a trace shows the map and chains that DNAT', async ({
  page,
}) => {
  await page.goto('./');
  await whatIf(page).getByLabel('kube-proxy mode').selectOption('nftables');
  await expect(page.getByLabel('Cluster ranges')).toContainText('nftables');
  await diagram(page)
    .getByRole('button', { name: /^node node-b / })
    .click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await inspector.getByText(/nftables table/).click();
  await expect(inspector.getByLabel('nftables table of node-b')).toContainText('table ip kube-proxy {');
  await expect(inspector.getByLabel('nftables table of node-b')).toContainText(
    'ip daddr . meta l4proto . th dport vmap @service-ips',
  );
  const trace = page.getByRole('region', { name: 'Trace' });
  await trace.getByLabel('To', { exact: true }).fill('svc/default/web');
  await trace.getByRole('button', { name: 'Trace' }).click();
  await trace.getByText(/^All \d+ steps$/).click();
  await trace.getByRole('button', { name: /Request: dnat on node-b/ }).click();
  await expect(trace.getByRole('article', { name: 'Current hop' })).toContainText('map service-ips: 10.');
  await expect(trace.getByRole('article', { name: 'Current hop' })).toContainText('dnat to 10.32.');
});

test.describe('diagram and inspectors', () => {
  test('a Service is drawn as a virtual IP; its inspector shows endpoints and kube-proxy chains', async ({ page }) => {
    await page.goto('./');
    await diagram(page)
      .getByRole('button', { name: /^Service default\/web ClusterIP 10\./ })
      .click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector.getByRole('heading', { name: 'Service default/web' })).toBeVisible();
    await expect(inspector).toContainText('web.default.svc.cluster.local');
    await expect(inspector).toContainText('10.32.1.2:8080');
    await inspector.getByText(/kube-proxy chains for default\/web:http/).click();
    await expect(inspector.getByLabel('kube-proxy rules for default/web:http')).toContainText('-j KUBE-SVC-');
    await expect(
      diagram(page).getByRole('button', {
        name: /^Service kube-system\/kube-dns · cluster DNS ClusterIP 10\.96\.0\.10:53,53,9153$/,
      }),
    ).toBeVisible();
  });

  test('a node inspector shows its routing table as ip route prints it; the cluster explains its ranges', async ({
    page,
  }) => {
    await page.goto('./');
    await diagram(page)
      .getByRole('button', { name: /^node node-a / })
      .click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector.getByLabel('Route table of node-a')).toContainText('10.32.1.0/24 via 10.10.1.1 dev eth0');
    await expect(inspector.getByLabel('Route table of node-a')).toContainText(
      '10.32.0.0/24 dev cni0 proto kernel scope link src 10.32.0.1',
    );
    await diagram(page)
      .getByRole('button', { name: /explain the cluster's ranges/ })
      .click();
    await expect(inspector).toContainText('10.32.0.0 – 10.35.255.255');
    await expect(inspector).toContainText('262,144');
    await expect(inspector).toContainText('1,024 × /24');
  });

  test('zoom in, out and fit', async ({ page }) => {
    await page.goto('./');
    const layer = diagram(page).locator('svg > g');
    await diagram(page).getByRole('button', { name: 'Zoom in' }).click();
    await expect(layer).toHaveAttribute('transform', /scale\(1\.25\)/);
    await diagram(page).getByRole('button', { name: 'Fit to view' }).click();
    await expect(layer).toHaveAttribute('transform', /scale\(1\)/);
  });
});
