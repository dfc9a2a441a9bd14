// Places outside the nodes, drawn when a trace uses them: the default gateway a pod's packet
// leaves by, and the external client of a NodePort.
import { expect, test, type Page } from '@playwright/test';
import {
  box,
  diagram,
  hopNode,
  inside,
  nodeBox,
  nodeNames,
  overlap,
  packet,
  stage,
  stepUntil,
  traceTo,
  tracePanel,
} from './stageHelpers';

test.use({ viewport: { width: 1280, height: 720 } });

/** The place lies inside the stage and on no node box. */
async function expectPlaced(page: Page, name: string) {
  const place = diagram(page).getByRole('img', { name, exact: true });
  await expect(place).toBeVisible();
  const b = await box(place);
  expect(inside(b, await box(stage(page))), `${name} inside the stage`).toBe(true);
  for (const n of await nodeNames(page))
    expect(overlap(b, await box(nodeBox(page, n))), `${name} and ${n}`).toBe(false);
}

test('pod -> 8.8.8.8: the packet leaves by the default gateway, drawn on the node network', async ({ page }) => {
  await page.goto('./');
  const gateway = diagram(page).getByRole('img', { name: 'default gateway 10.10.255.254' });
  await tracePanel(page).getByLabel('Protocol').selectOption('UDP');
  await traceTo(page, 'pod/default/web-85469b5d-8g4nh', '8.8.8.8', '53');
  await expect(tracePanel(page).getByRole('status').first()).toContainText("node-a's default gateway");
  await expectPlaced(page, 'default gateway 10.10.255.254');
  await stepUntil(page, /^ROUTE · node-a · host · eth0/);
  await expect(packet(page)).toHaveAccessibleName(/^Packet 10\.10\.0\.1:\d+ → 8\.8\.8\.8:53 at eth0 on node-a$/);
  const route = diagram(page).getByRole('img', { name: 'route default via 10.10.255.254 dev eth0 on node-a' });
  await expect(route).toHaveAttribute('aria-current', 'step');
  // The route runs from node-a's eth0 to the gateway.
  const r = await box(route);
  const g = await box(gateway);
  const a = await box(nodeBox(page, 'node-a'));
  expect(r.x).toBeGreaterThan(a.x);
  expect(r.x).toBeLessThan(a.x + a.width);
  expect(r.x + r.width).toBeGreaterThan(g.x - 12);
  expect(r.x + r.width).toBeLessThan(g.x + g.width);
  // A trace inside the cluster draws no gateway.
  await traceTo(page, 'pod/default/web-85469b5d-8g4nh', 'svc/default/web');
  await expect(gateway).toHaveCount(0);
});

test('external -> NodePort: the client is drawn; at DNAT the Service and the chosen pod light up', async ({ page }) => {
  await page.goto('./');
  await page
    .getByRole('region', { name: 'Scenario' })
    .getByLabel('Example')
    .selectOption({ label: 'NodePort Services' });
  await traceTo(page, 'external', '172.18.0.2:30080');
  await expectPlaced(page, 'external client 203.0.113.10');
  await stepUntil(page, /^DNAT · /);
  expect((await hopNode(page)).node).toBe('nodeports-control-plane');
  await expect(diagram(page).getByRole('button', { name: /^Service default\/frontend / })).toHaveAttribute(
    'aria-current',
    'step',
  );
  const endpoint = (await packet(page).getAttribute('aria-label'))!.split(' → ')[1]!.split(':')[0]!;
  await expect(
    diagram(page).getByRole('button', { name: new RegExp(`^pod frontend-\\S+ ${endpoint.replace(/\./g, '\\.')} on `) }),
  ).toHaveAttribute('aria-current', 'step');
});

test('external -> a pod address: the packet is dropped at the client, which is lit', async ({ page }) => {
  await page.goto('./');
  await traceTo(page, 'external', '10.32.1.2');
  await expect(tracePanel(page).getByRole('status').first()).toContainText('UNREACHABLE');
  await expect(packet(page)).toHaveAccessibleName(/ on the outside network$/);
  await expectPlaced(page, 'external client 203.0.113.10');
  expect(inside(await box(packet(page)), await box(stage(page)))).toBe(true);
});
