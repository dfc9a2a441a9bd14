import { expect, test } from '@playwright/test';
import {
  box,
  currentHop,
  hopNode,
  diagram,
  expectWholeClusterInView,
  inside,
  nodeBox,
  nodeNames,
  overlap,
  packet,
  stepUntil,
  traceTo,
} from './stageHelpers';

test.use({ viewport: { width: 1920, height: 1080 } });

const example = async (page: import('@playwright/test').Page, title: string) =>
  page.getByRole('region', { name: 'Scenario' }).getByLabel('Example').selectOption({ label: title });

test('VXLAN: at flannel.1 the packet travels inside an outer packet between the node IPs', async ({ page }) => {
  await page.goto('./');
  await example(page, 'VXLAN overlay');
  await traceTo(page, 'pod/default/shop-75966c9bd8-pgcmx', 'pod/default/shop-75966c9bd8-w7xrx', '80');
  await stepUntil(page, /^ENCAPSULATE · overlay-worker · host · flannel\.1/);
  const p = packet(page);
  await expect(p).toContainText('outer 172.18.0.3 → 172.18.0.4');
  await expect(p).toContainText('UDP 8472 (VXLAN, VNI 1)');
  await expect(p).toHaveAccessibleName('Packet 10.244.1.2:40000 → 10.244.2.2:80 at flannel.1 on overlay-worker');
  await expect(diagram(page).getByRole('img', { name: 'flannel.1 on overlay-worker', exact: true })).toHaveAttribute(
    'aria-current',
    'step',
  );
  await expect
    .poll(async () => {
      const a = await box(p);
      const b = await box(nodeBox(page, 'overlay-worker'));
      return a.x >= b.x && a.x + a.width <= b.x + b.width;
    })
    .toBe(true);
  await page.screenshot({ path: 'test-results/screens/stage-vxlan-1080.png' });
});

test('a drop is a red mark where it happened, with the reason', async ({ page }) => {
  await page.goto('./');
  await example(page, 'NetworkPolicy: default deny ingress');
  await traceTo(page, 'pod/default/client-65477694dc-jtx4x', 'svc/default/web');
  await stepUntil(page, /^DROP · /);
  const p = packet(page);
  await expect(p).toContainText('Dropped:');
  // kube-network-policies judges the connection on the first node that queues it: the client's.
  await expect(p).toHaveAccessibleName(/ at NetworkPolicy \(ingress\) on deny-all-worker$/);
  await expect(
    diagram(page).getByRole('img', { name: 'routing and kube-proxy on deny-all-worker', exact: true }),
  ).toHaveAttribute('aria-current', 'step');
  // The reason is written on the packet's opaque card, which stays inside the node: it never lies over node text.
  const { card, reason } = await p.evaluate((el) => {
    const rect = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const text = [...el.querySelectorAll('text')].find((t) => t.textContent!.startsWith('Dropped:'))!;
    const cards = [...el.querySelectorAll('rect')].filter((r) => r.classList.contains('envelope'));
    return { card: rect(cards[0]!), reason: rect(text) };
  });
  expect(inside(reason, card), `reason ${JSON.stringify(reason)} on the card ${JSON.stringify(card)}`).toBe(true);
  expect(inside(await box(p), await box(nodeBox(page, 'deny-all-worker')))).toBe(true);
  await page.screenshot({ path: 'test-results/screens/stage-drop-1080.png' });
});

test('six nodes with every route on: all fit, and no route label overlaps another label or a node', async ({
  page,
}) => {
  await page.goto('./');
  const whatIf = page.getByRole('region', { name: 'What if' });
  for (let i = 0; i < 4; i++) await whatIf.getByRole('button', { name: 'Add node' }).click();
  await expect(diagram(page).getByRole('button', { name: /^node (?!network )\S+ / })).toHaveCount(6);
  await diagram(page)
    .getByRole('combobox', { name: /^Routes of/ })
    .selectOption('all');
  const names = await nodeNames(page);
  await expectWholeClusterInView(page, names);
  await page.screenshot({ path: 'test-results/screens/stage-6-nodes-all-routes-1080.png' });
  // Each node holds a route to each other node: 6 x 5 routes, in one table per node.
  await expect(diagram(page).getByRole('img', { name: /^route / })).toHaveCount(30);
  const labels = await diagram(page)
    .getByText(/^10\.32\.\d+\.0\/24 via /)
    .all();
  expect(labels).toHaveLength(30);
  const boxes = await Promise.all(labels.map(box));
  const nodes = await Promise.all(names.map((n) => box(nodeBox(page, n))));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++)
      expect(overlap(boxes[i]!, boxes[j]!), `labels ${JSON.stringify([boxes[i], boxes[j]])}`).toBe(false);
    for (const n of nodes) expect(overlap(boxes[i]!, n), `label ${i} and a node`).toBe(false);
  }
  // Every node, in every row, is on its own uplink: its eth0 port touches the node network.
  const band = await box(diagram(page).getByRole('button', { name: /^node network / }));
  for (const n of names) {
    const port = await box(diagram(page).getByRole('img', { name: `eth0 on ${n}`, exact: true }));
    const gap = Math.min(Math.abs(port.y - (band.y + band.height)), Math.abs(port.y + port.height - band.y));
    expect(gap, `${n}'s uplink`).toBeLessThan(120);
  }
  // A trace lights the route in use in its node's table.
  await traceTo(page, 'pod/default/web-85469b5d-8g4nh', 'pod/default/web-85469b5d-ff229');
  await stepUntil(page, /^ROUTE · \S+ · host · eth0/);
  const { node } = await hopNode(page);
  const line = (await currentHop(page)
    .getByText(/ via \S+ dev /)
    .textContent())!.trim();
  await expect(diagram(page).getByRole('img', { name: `route ${line} on ${node}`, exact: true })).toHaveAttribute(
    'aria-current',
    'step',
  );
});

test('the default view at 1080p', async ({ page }) => {
  await page.goto('./');
  await expectWholeClusterInView(page, ['node-a', 'node-b']);
  await page.screenshot({ path: 'test-results/screens/stage-default-1080.png' });
});
