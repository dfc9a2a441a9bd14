import { expect, test, type Page } from '@playwright/test';
import {
  box,
  currentHop,
  diagram,
  hopNode,
  inside,
  nodeBox,
  packet,
  stepUntil,
  traceTo,
  tracePanel,
} from './stageHelpers';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

/** At every hop: the packet is named after the hop's node, marks it aria-current, and lies inside its box. */
async function walkAllHops(page: Page, total: number): Promise<string[]> {
  const seen: string[] = [];
  const forward = tracePanel(page).getByRole('button', { name: 'Step forward' });
  for (let i = 0; i < total; i++) {
    const { action, node } = await hopNode(page);
    seen.push(`${action} ${node}`);
    await expect(packet(page)).toHaveAccessibleName(new RegExp(` on ${node}$`));
    await expect(nodeBox(page, node)).toHaveAttribute('aria-current', 'step');
    await expect
      .poll(async () => inside(await box(packet(page)), await box(nodeBox(page, node))), {
        message: `packet inside ${node} at step ${i + 1} (${action})`,
      })
      .toBe(true);
    if (i < total - 1) await forward.click();
  }
  return seen;
}

for (const size of SIZES)
  for (const theme of ['light', 'dark'] as const) {
    test.describe(`${size.width}x${size.height} ${theme}`, () => {
      test.beforeEach(async ({ page }) => {
        await page.setViewportSize(size);
        await page.goto('./');
        if (theme === 'dark') await page.getByRole('button', { name: /Switch to dark theme/ }).click();
      });

      test('pod -> pod across nodes: the packet stays inside the node each hop names', async ({ page }) => {
        const total = await traceTo(page, 'pod/default/web-85469b5d-8g4nh', 'pod/default/web-85469b5d-ff229');
        const seen = await walkAllHops(page, total);
        expect(seen).toContain('ROUTE node-a');
        expect(seen).toContain('RECEIVE node-b');
      });

      test('pod -> Service: inside the named node at every hop; DNAT lights the Service and the endpoint', async ({
        page,
      }) => {
        const total = await traceTo(page, 'pod/default/web-85469b5d-8g4nh', 'svc/default/web');
        await walkAllHops(page, total);
        await tracePanel(page).getByRole('button', { name: 'Step back' }).focus();
        for (let i = 0; i < total && !(await hopNode(page)).action.startsWith('DNAT'); i++)
          await page.keyboard.press('Enter');
        const p = packet(page);
        // The rewritten destination: the ClusterIP struck through, the endpoint highlighted.
        await expect(p).toContainText('10.106.175.246:80');
        await expect(p).toHaveAccessibleName(/^Packet 10\.32\.0\.4:\d+ → 10\.32\.\d+\.\d+:8080 at /);
        const svc = diagram(page).getByRole('button', { name: /^Service default\/web / });
        await expect(svc).toHaveAttribute('aria-current', 'step');
        const endpoint = (await p.getAttribute('aria-label'))!.split(' → ')[1]!.split(':')[0]!;
        await expect(
          diagram(page).getByRole('button', {
            name: new RegExp(`^pod web-\\S+ ${endpoint.replace(/\./g, '\\.')} on `),
          }),
        ).toHaveAttribute('aria-current', 'step');
        if (size.width === 1920 && theme === 'light')
          await page.screenshot({ path: 'test-results/screens/stage-dnat-1080.png' });
      });

      test('the route in use points from the sending node to the receiving one', async ({ page }) => {
        await traceTo(page, 'pod/default/web-85469b5d-8g4nh', 'pod/default/web-85469b5d-ff229');
        await stepUntil(page, /^ROUTE · node-a · host · eth0/);
        const line = (await currentHop(page)
          .getByText(/ via \S+ dev /)
          .textContent())!.trim();
        const route = diagram(page).getByRole('img', { name: `route ${line} on node-a`, exact: true });
        await expect(route).toHaveAttribute('aria-current', 'step');
        const ends = await route.evaluate((el) => {
          const path = el as SVGPathElement;
          const m = path.getScreenCTM()!;
          const at = (l: number) =>
            new DOMPoint(path.getPointAtLength(l).x, path.getPointAtLength(l).y).matrixTransform(m);
          const a = at(0);
          const b = at(path.getTotalLength());
          return { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
        });
        const a = await box(nodeBox(page, 'node-a'));
        const b = await box(nodeBox(page, 'node-b'));
        expect(ends.x1).toBeGreaterThan(a.x);
        expect(ends.x1).toBeLessThan(a.x + a.width);
        expect(ends.x2).toBeGreaterThan(b.x);
        expect(ends.x2).toBeLessThan(b.x + b.width);
        // The arrow lands on node-b's eth0 port, not somewhere in between.
        const port = await box(diagram(page).getByRole('img', { name: 'eth0 on node-b', exact: true }));
        expect(ends.x2).toBeGreaterThan(port.x);
        expect(ends.x2).toBeLessThan(port.x + port.width);
        expect(Math.abs(ends.y2 - port.y)).toBeLessThan(3);
        // Routes of all nodes: node-b's route back to node-a is drawn too, labelled as node-b's.
        await diagram(page)
          .getByRole('combobox', { name: /^Routes of/ })
          .selectOption('all');
        await expect(
          diagram(page).getByRole('img', { name: /^route 10\.32\.0\.0\/24 via 10\.10\.0\.1 dev eth0 on node-b$/ }),
        ).toBeVisible();
      });
    });
  }
