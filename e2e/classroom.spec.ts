import { expect, test, type Page } from '@playwright/test';

const tracePanel = (page: Page) => page.getByRole('region', { name: 'Trace' });
const stepLabel = (page: Page) => tracePanel(page).getByText(/^Step \d+ of \d+/);

async function traceDefault(page: Page) {
  await page.goto('./');
  await tracePanel(page).getByRole('button', { name: 'Trace' }).click();
  await expect(stepLabel(page)).toContainText('Step 1 of');
}

test('a share link carries the trace and its step; opening it shows that step', async ({ page, context }) => {
  await traceDefault(page);
  await tracePanel(page).getByLabel('Port').fill('80');
  await tracePanel(page).getByRole('button', { name: 'Trace' }).click();
  // Period steps whenever a trace is open, not only in lessons.
  await page.locator('body').press('.');
  await page.keyboard.press('.');
  await page.keyboard.press('.');
  await expect(stepLabel(page)).toContainText('Step 4 of');
  const hop = await tracePanel(page).getByRole('article', { name: 'Current hop' }).getByRole('heading').textContent();
  await page.getByRole('toolbar', { name: 'Scenario actions' }).getByRole('button', { name: 'Share' }).click();
  const url = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  expect(url).toMatch(/[#&]from=pod%2Fdefault%2F.*&to=web\.default\.svc\.cluster\.local&port=80&protocol=TCP&step=4/);
  const other = await context.newPage();
  await other.goto(url);
  await expect(stepLabel(other)).toContainText('Step 4 of');
  await expect(tracePanel(other).getByRole('article', { name: 'Current hop' }).getByRole('heading')).toHaveText(hop!);
  // The form shows the shared request, ready to change.
  await expect(tracePanel(other).getByLabel('To', { exact: true })).toHaveValue('web.default.svc.cluster.local');
  await expect(tracePanel(other).getByLabel('Port')).toHaveValue('80');
  // Comma steps back.
  await other.locator('body').press(',');
  await expect(stepLabel(other)).toContainText('Step 3 of');
});

test('a share link with a bad trace field says which, and opens nothing half-way', async ({ page, context }) => {
  await traceDefault(page);
  await page.getByRole('toolbar', { name: 'Scenario actions' }).getByRole('button', { name: 'Share' }).click();
  const url = (await page.getByRole('textbox', { name: 'Share link' }).inputValue()).replace(
    /port=\d+|step=\d+/,
    'port=70000',
  );
  const other = await context.newPage();
  await other.goto(url.includes('port=70000') ? url : `${url}&port=70000`);
  await expect(other.getByRole('alert').filter({ hasText: 'could not be opened' })).toContainText(
    'its trace port "70000" is not a whole number from 1 to 65535',
  );
  await expect(tracePanel(other).getByRole('article', { name: 'Current hop' })).toHaveCount(0);
});

test('focus stays on a working button when Step forward disables at the last hop', async ({ page }) => {
  await traceDefault(page);
  const forward = tracePanel(page).getByRole('button', { name: 'Step forward' });
  await forward.focus();
  const total = Number(/of (\d+)/.exec((await stepLabel(page).textContent())!)![1]);
  for (let i = 1; i < total; i++) await page.keyboard.press('Enter');
  await expect(forward).toBeDisabled();
  await expect(tracePanel(page).getByRole('button', { name: 'Step back' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(stepLabel(page)).toContainText(`Step ${total - 1} of ${total}`);
});

test('the skip link goes to the diagram; a focused pod has a halo its workload colour cannot hide', async ({
  page,
}) => {
  await page.goto('./');
  const skip = page.getByRole('link', { name: 'Skip to the diagram' });
  // The first Tab must land on the skip link once the app is there (on a busy machine it renders after load).
  await expect(skip).toBeAttached();
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('group', { name: 'Diagram and current hop' })).toBeFocused();
  const pod = page.getByRole('button', { name: /^pod web-\S+ 10\.32\.1\.2 on node-b$/ });
  const halo = () => pod.evaluate((el) => getComputedStyle(el).filter);
  expect(await halo()).toBe('none');
  // Tab from the diagram's frame to the pod, as a keyboard user would.
  for (let i = 0; i < 40 && !(await pod.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(pod).toBeFocused();
  expect(await halo()).toContain('drop-shadow');
  await page.screenshot({ path: 'test-results/screens/focus-halo.png' });
});

test('selecting an object in a lesson at 1280x720 keeps the lesson text on screen', async ({ page }) => {
  await page.goto('./#lesson=services&step=2');
  const heading = page.getByRole('region', { name: 'Lesson' }).getByRole('heading', { level: 2 });
  await expect(heading).toBeInViewport();
  await page.getByRole('button', { name: /^pod coredns-\S+ 10\.32\.0\.2 on node-a$/ }).click();
  await expect(page.getByRole('complementary', { name: 'Inspector' })).toContainText('10.32.0.2');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(heading).toBeInViewport();
});
