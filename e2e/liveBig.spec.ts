// A big scenario (over the size the page hands to the worker) shows what a small one shows: after an
// image change the rollout's steps, after Undo the changes the undo made. The same edits are made to
// the default cluster as it is and made big by a comment; both pages must read alike, and as core says.
import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_SCENARIO_YAML } from '../core/scenario/defaultScenario';
import { diffClusters } from '../core/cluster/diff';
import { rolloutsOf, rolloutText } from '../core/cluster/rolloutReport';
import { groupKernelChanges, kernelGroupHeading } from '../core/dataplane/kernelChangeGroups';
import { WORKER_THRESHOLD } from '../web/worker/workerClient';
import { applyYaml, changeLines, diagram, liveHistory, warnings } from './liveExpect';

/** The text made big by a trailing comment: the same cluster, derived in the worker. */
const padded = (text: string) => `${text}# ${'padding '.repeat(WORKER_THRESHOLD / 8 + 1000)}\n`;

const rollouts = (page: Page) => warnings(page).getByRole('group', { name: 'Rollouts of the last edit' });

/** The rollout as the page lists it: each step's action and pods, one string per step. */
async function shownSteps(page: Page): Promise<string[]> {
  const steps = rollouts(page).getByRole('list', { name: 'Steps of Deployment default/web' });
  await expect(steps).toBeVisible({ timeout: 30_000 });
  return steps.locator(':scope > li').allInnerTexts();
}

for (const size of ['small', 'big'] as const) {
  test(`${size}: an image change lists the rollout's steps, Undo lists what it took back, Redo both again`, async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const big = size === 'big';
    const start = big ? padded(DEFAULT_SCENARIO_YAML) : DEFAULT_SCENARIO_YAML;
    const image = start.replace('image: nginx', 'image: nginx:1.27');
    const [, before, after] = liveHistory([DEFAULT_SCENARIO_YAML, start, image]);
    const report = rolloutsOf(after!.cluster);
    expect(report).toHaveLength(1);
    const oldPods = diagram(page).getByRole('button', { name: /^pod web-85469b5d-/ });
    const newPods = diagram(page).getByRole('button', { name: /^pod web-7d8b86d9f9-/ });

    await page.goto('./');
    await expect(oldPods).toHaveCount(4);
    if (big) {
      await applyYaml(page, start);
      await expect(page.getByRole('status').filter({ hasText: /background/ })).toHaveCount(0, { timeout: 30_000 });
    }
    await applyYaml(page, image);
    await expect(newPods).toHaveCount(4, { timeout: 30_000 });

    // The steps are core's: its heading, then per step the action and the pods created and terminated.
    await expect(rollouts(page).getByText(rolloutText(report[0]!)[0]!)).toBeVisible({ timeout: 30_000 });
    const steps = await shownSteps(page);
    expect(steps.map((s) => s.split('\n')[0])).toEqual(report[0]!.steps.map((s) => s.action));
    expect(steps[0]).toContain(`+ ${report[0]!.steps[0]!.created[0]!.name} on`);
    expect(await changeLines(page, after!.messages.length)).toEqual(after!.messages);
    const kernels = warnings(page).getByRole('group', { name: 'Node kernels changed by the last edit' });
    for (const g of groupKernelChanges(after!.kernels))
      await expect(kernels.getByText(kernelGroupHeading(g))).toBeVisible();

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(oldPods).toHaveCount(4, { timeout: 30_000 });
    // Undo goes back to the state before: its changes are the edit's, reversed, and it rolls nothing out.
    const undone = diffClusters(after!.cluster, before!.cluster).map((c) => c.message);
    expect(undone.length).toBeGreaterThan(0);
    expect(await changeLines(page, undone.length)).toEqual(undone);
    await expect(rollouts(page)).toHaveCount(0);

    // Redo returns to the state the edit made, and lists the edit's changes and steps again.
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect(newPods).toHaveCount(4, { timeout: 30_000 });
    expect(await changeLines(page, after!.messages.length)).toEqual(after!.messages);
    expect((await shownSteps(page)).map((s) => s.split('\n')[0])).toEqual(report[0]!.steps.map((s) => s.action));
  });
}
