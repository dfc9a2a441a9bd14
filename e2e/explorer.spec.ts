import { expect, test } from '@playwright/test';

test.describe('the explorer on the default scenario', () => {
  test("shows the talk's two-node cluster with PodCIDRs and pod IPs", async ({ page }) => {
    await page.goto('./');
    const diagram = page.getByRole('region', { name: 'Cluster diagram' });
    await expect(diagram).toBeVisible();
    await expect(
      diagram.getByRole('button', { name: 'node node-a control-plane eth0 10.10.0.1 PodCIDR 10.32.0.0/24' }),
    ).toBeVisible();
    await expect(
      diagram.getByRole('button', { name: 'node node-b worker eth0 10.10.1.1 PodCIDR 10.32.1.0/24' }),
    ).toBeVisible();
    // A web pod on node-b takes the first pod address after cni0's 10.32.1.1.
    await expect(diagram.getByRole('button', { name: /^pod web-\S+ 10\.32\.1\.2 on node-b$/ })).toBeVisible();
    await expect(diagram.getByText('cni0 10.32.0.1')).toBeVisible();
    // "The CNI adds a route per node": node A's route to node B's PodCIDR, drawn as an edge.
    await expect(diagram.getByText('10.32.1.0/24 via 10.10.1.1 dev eth0')).toBeVisible();
    await expect(page.getByLabel('Cluster ranges')).toContainText('10.32.0.0/14');
    await expect(page.getByRole('region', { name: 'Services' })).toContainText('10.96.0.10');
  });

  test('selecting a node with the keyboard explains it in the inspector', async ({ page }) => {
    await page.goto('./');
    const node = page.getByRole('button', { name: /^node node-b / });
    await node.focus();
    await page.keyboard.press('Enter');
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector.getByRole('heading', { name: 'Node node-b' })).toBeVisible();
    await expect(inspector).toContainText('10.32.1.0/24');
    await expect(inspector).toContainText('10.32.1.1');
    // The diagram now draws the routes node-b holds: the CNI's route to node A's PodCIDR.
    await expect(
      page.getByRole('region', { name: 'Cluster diagram' }).getByText('10.32.0.0/24 via 10.10.0.1 dev eth0'),
    ).toBeVisible();
  });

  test('selecting a pod by click shows its IP and node', async ({ page }) => {
    await page.goto('./');
    await page.getByRole('button', { name: /^pod coredns-\S+ 10\.32\.0\.2 on node-a$/ }).click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector).toContainText('kube-system');
    await expect(inspector).toContainText('10.32.0.2');
    await expect(inspector).toContainText('node-a');
  });

  test('screenshots at 1280x720, light and dark', async ({ page }) => {
    await page.goto('./');
    await expect(page.getByRole('region', { name: 'Cluster diagram' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/default-light.png' });
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: 'test-results/screens/default-dark.png', fullPage: true });
  });
});

test.describe('tracing in the explorer', () => {
  test('pod -> Service by DNS name: step through DNS, DNAT and the reply, with the keyboard', async ({ page }) => {
    await page.goto('./');
    const panel = page.getByRole('region', { name: 'Trace' });
    await expect(panel.getByLabel('To', { exact: true })).toHaveValue('web.default.svc.cluster.local');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('status')).toContainText('DELIVERED');
    await expect(panel.getByRole('status')).toContainText('web.default.svc.cluster.local');
    const hop = panel.getByRole('article', { name: 'Current hop' });
    await expect(hop).toContainText('SEND');
    await expect(panel).toContainText('DNS lookup');
    // Walk forward until the request's DNAT: the ClusterIP is swapped for a pod IP.
    const forward = panel.getByRole('button', { name: 'Step forward' });
    const stepInfo = panel.getByText(/^Step \d+ of \d+/);
    for (let i = 0; i < 40; i++) {
      const inRequest = (await stepInfo.textContent())?.includes('Request');
      if (inRequest && (await hop.textContent())?.includes('DNAT')) break;
      await forward.click();
    }
    await expect(hop).toContainText('DNAT');
    await expect(hop).toContainText('KUBE-SVC-');
    await expect(hop.locator('mark')).toContainText(':8080');
    await page.screenshot({ path: 'test-results/screens/trace-dnat.png' });
    await panel.getByRole('button', { name: 'Step back' }).focus();
    await page.keyboard.press('Enter');
    await expect(hop).not.toContainText('DNAT');
  });

  test('a port nothing listens on is refused; a bad reference is named', async ({ page }) => {
    await page.goto('./');
    const panel = page.getByRole('region', { name: 'Trace' });
    await panel.getByLabel('To', { exact: true }).fill('svc/kube-system/kube-dns');
    await panel.getByLabel('Port', { exact: true }).fill('9999');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('status')).toContainText('has no port 9999/TCP');
    await panel.getByLabel('To', { exact: true }).fill('10.32.1.2');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('status')).toContainText('UNREACHABLE');
    await expect(panel.getByRole('status')).toContainText('does not listen on TCP 9999');
    await panel.getByLabel('Port', { exact: true }).fill('70000');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('alert')).toContainText('"70000" is not a port: use a whole number from 1 to 65535');
    await panel.getByLabel('Port', { exact: true }).fill('9999');
    await panel.getByLabel('To', { exact: true }).fill('pod/default/nope');
    await panel.getByRole('button', { name: 'Trace' }).click();
    await expect(panel.getByRole('alert')).toContainText('no pod default/nope');
  });
});

test.describe('scenarios', () => {
  test('an example loads; bad YAML is refused with the reason and the cluster stays', async ({ page }) => {
    await page.goto('./');
    const panel = page.getByRole('region', { name: 'Scenario' });
    await panel.getByLabel('Example').selectOption({ label: "The talk's second cluster" });
    const diagram = page.getByRole('region', { name: 'Cluster diagram' });
    await expect(
      diagram.getByRole('button', { name: 'node node-2 worker eth0 192.168.1.12 PodCIDR 10.4.1.0/24' }),
    ).toBeVisible();
    await panel.getByText('Edit YAML').click();
    const yaml = panel.getByLabel('Scenario YAML');
    await yaml.fill('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: {podSubnet: 10.4.0.0/33}\n');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await expect(panel.getByRole('alert')).toContainText('networking.podSubnet');
    await expect(panel.getByRole('alert')).toContainText('invalid prefix length');
    // The last good cluster is still drawn.
    await expect(diagram.getByRole('button', { name: /^node node-2 / })).toBeVisible();
    await panel.getByRole('button', { name: 'Reset to default' }).click();
    await expect(diagram.getByRole('button', { name: /^node node-a control-plane eth0 10\.10\.0\.1 / })).toBeVisible();
    await expect(panel.getByRole('alert')).toHaveCount(0);
  });
});
