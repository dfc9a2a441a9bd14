import { expect, test, type Page } from '@playwright/test';

const DENY = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: default}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;
const ALLOW = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: default}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: http}]
`;

async function applyYaml(page: Page, extra: string) {
  const panel = page.getByRole('region', { name: 'Scenario' });
  const editor = panel.getByLabel('Scenario YAML');
  if (!(await editor.isVisible())) await panel.getByText('Edit YAML').click();
  // The code editor: to the end of the text with the keyboard, then type what is added.
  await editor.click();
  await editor.press('Control+End');
  await page.keyboard.insertText(extra);
  await panel.getByRole('button', { name: 'Apply' }).click();
  await expect(panel.getByRole('alert')).toHaveCount(0);
}

test('a deny-all policy turns the trace red with the reason; an allow rule turns it green again', async ({ page }) => {
  await page.goto('./');
  const trace = page.getByRole('region', { name: 'Trace' });
  await trace.getByRole('button', { name: 'Trace' }).click();
  await expect(trace.getByRole('status').first()).toContainText('DELIVERED');

  await applyYaml(page, DENY);
  const diagram = page.getByRole('region', { name: 'Cluster diagram' });
  await expect(
    diagram.getByRole('button', {
      name: /^pod web-\S+ 10\.32\.1\.2 policy in on node-b, isolated by NetworkPolicy \(ingress\)$/,
    }),
  ).toBeVisible();
  await trace.getByRole('button', { name: 'Trace' }).click();
  const verdict = trace.locator('.verdict');
  await expect(verdict).toContainText('DROPPED');
  await expect(verdict).toContainText('isolated for ingress by default/deny-all');
  await expect(verdict).toHaveClass(/verdict-dropped/);
  await page.screenshot({ path: 'test-results/screens/policy-denied.png', fullPage: true });
  const reach = page.getByRole('region', { name: 'Reachability' });
  await reach.getByRole('button', { name: /^default\/web to default\/web:8080: denied$/ }).click();
  await expect(reach.getByRole('status')).toContainText('isolated for ingress by default/deny-all');

  await applyYaml(page, ALLOW);
  await trace.getByRole('button', { name: 'Trace' }).click();
  await expect(verdict).toContainText('DELIVERED');
  await expect(trace.getByRole('article', { name: 'Current hop' })).toBeVisible();
  // The allowing rule is a hop of its own.
  await trace.getByText(/^All \d+ steps$/).click();
  await expect(
    trace.getByRole('button', { name: /Request: allow on node-[ab] NetworkPolicy \(ingress\)/ }),
  ).toBeVisible();
  await reach.getByRole('button', { name: /^default\/web to default\/web:8080: allowed$/ }).click();
  await expect(reach.getByRole('status')).toContainText('default/allow-web ingress[0]');
  // The pod's inspector lists the policies that select it and their rules, in words.
  await diagram.getByRole('button', { name: /^pod web-\S+ 10\.32\.1\.2 policy in on node-b, isolated/ }).click();
  const rules = page
    .getByRole('complementary', { name: 'Inspector' })
    .getByRole('list', { name: /^NetworkPolicy rules for pod web-/ });
  await expect(rules).toContainText('default/deny-all ingress: no rules, so nothing is allowed');
  await expect(rules).toContainText('default/allow-web ingress[0]: from pods app=web in this namespace; on TCP http');
});
