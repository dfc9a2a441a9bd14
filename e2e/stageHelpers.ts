// Helpers for the stage's browser tests: boxes, the diagram's parts, stepping a trace.
import { expect, type Locator, type Page } from '@playwright/test';

export type Box = { x: number; y: number; width: number; height: number };

export const diagram = (page: Page) => page.getByRole('region', { name: 'Cluster diagram' });
export const stage = (page: Page) => diagram(page).getByRole('group', { name: /^Cluster \S+: drag to pan/ });
export const nodeBox = (page: Page, name: string) =>
  diagram(page).getByRole('group', { name: `node ${name}`, exact: true });
export const packet = (page: Page) => diagram(page).getByRole('img', { name: /^Packet / });
/** Loads a built-in example by its title in the Scenario panel's Example list. */
export const selectExample = (page: Page, title: string) =>
  page.getByRole('region', { name: 'Scenario' }).getByLabel('Example').selectOption({ label: title });
export const tracePanel = (page: Page) => page.getByRole('region', { name: 'Trace' });
export const currentHop = (page: Page) => tracePanel(page).getByRole('article', { name: 'Current hop' });

export async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  expect(b, 'element is drawn').not.toBeNull();
  return b!;
}

export const inside = (a: Box, b: Box, tol = 1) =>
  a.x >= b.x - tol &&
  a.y >= b.y - tol &&
  a.x + a.width <= b.x + b.width + tol &&
  a.y + a.height <= b.y + b.height + tol;

export const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every node with its pods, the node network and the Services lie inside the stage, and the stage in the window. */
export async function expectWholeClusterInView(page: Page, nodes: string[]): Promise<void> {
  const vp = page.viewportSize()!;
  // The stage is measured on each try: after a resize it settles a frame or two later.
  const svg = () => box(stage(page));
  await expect
    .poll(async () => (await svg()).y, { message: 'the stage starts inside the window' })
    .toBeGreaterThanOrEqual(0);
  await expect
    .poll(async () => (await svg()).y + (await svg()).height, { message: 'the stage ends inside the window' })
    .toBeLessThanOrEqual(vp.height + 1);
  const parts = [
    ...nodes.map((n) => nodeBox(page, n)),
    diagram(page).getByRole('button', { name: /^node network / }),
    diagram(page).getByRole('group', { name: 'Services: virtual IPs' }),
  ];
  for (const part of parts) {
    await expect
      .poll(async () => inside(await box(part), await svg()), { message: 'part inside the stage' })
      .toBe(true);
  }
}

/** The node the current hop names, read from the trace panel's "ACTION · NODE · …" heading. */
export async function hopNode(page: Page): Promise<{ action: string; node: string }> {
  const h = (await currentHop(page).getByRole('heading').textContent()) ?? '';
  const [action, node] = h.split(' · ');
  return { action: action!.trim(), node: node!.trim() };
}

/** The names of the nodes drawn (from their header buttons, "node NAME IP PodCIDR …"). */
export async function nodeNames(page: Page): Promise<string[]> {
  const buttons = await diagram(page)
    .getByRole('button', { name: /^node (?!network )\S+ / })
    .all();
  return Promise.all(buttons.map(async (n) => (await n.getAttribute('aria-label'))!.split(' ')[1]!));
}

export async function traceTo(page: Page, from: string, to: string, port = ''): Promise<number> {
  const panel = tracePanel(page);
  await panel.getByLabel('Port', { exact: true }).fill(port);
  await panel.getByRole('combobox', { name: /^From/ }).selectOption(from);
  await panel.getByLabel('To', { exact: true }).fill(to);
  await panel.getByRole('button', { name: 'Trace', exact: true }).click();
  await expect(panel.getByRole('status').first()).toContainText(/DELIVERED|DROPPED|UNREACHABLE/);
  const info = (await panel.getByText(/^Step \d+ of \d+/).textContent()) ?? '';
  return Number(/of (\d+)/.exec(info)![1]);
}

/** Steps forward until the current hop's heading matches. */
export async function stepUntil(page: Page, heading: RegExp, phase?: string): Promise<void> {
  const panel = tracePanel(page);
  const forward = panel.getByRole('button', { name: 'Step forward' });
  for (let i = 0; i < 40; i++) {
    const h = (await currentHop(page).getByRole('heading').textContent()) ?? '';
    const info = (await panel.getByText(/^Step \d+ of \d+/).textContent()) ?? '';
    if (heading.test(h) && (!phase || info.includes(phase))) return;
    await forward.click();
  }
  throw new Error(`no hop matching ${heading}`);
}

/** Laptop, projector and phone: the three sizes every example is looked at in. */
export const SCREEN_SIZES = [
  [1280, 720],
  [1920, 1080],
  [390, 844],
] as const;

/** Opens the page at each screen size and saves test-results/screens/NAME-WxH.png. */
export async function screenshotsAt(page: Page, name: string, open: (page: Page) => Promise<void>): Promise<void> {
  for (const [width, height] of SCREEN_SIZES) {
    await page.setViewportSize({ width, height });
    await open(page);
    await page.screenshot({ path: `test-results/screens/${name}-${width}x${height}.png` });
  }
}
