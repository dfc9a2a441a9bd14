import { expect, test, type Page } from '@playwright/test';

const scenario = (page: Page) => page.getByRole('region', { name: 'Scenario' });
const warnings = (page: Page) => page.getByRole('region', { name: 'Warnings' });
const diagram = (page: Page) => page.getByRole('region', { name: 'Cluster diagram' });

/** Changes the web Deployment's image in the YAML editor, as a user types it, and applies it. */
async function changeImage(page: Page) {
  const panel = scenario(page);
  await panel.getByText('Edit YAML').click();
  const editor = panel.getByRole('textbox', { name: 'Scenario YAML' });
  // The editor draws only the lines in view: go to the end, where the Deployment is.
  await editor.click();
  await page.keyboard.press('Control+End');
  await editor.getByText('image: nginx').click();
  await page.keyboard.press('End');
  await page.keyboard.type(':1.27');
  await panel.getByRole('button', { name: 'Apply' }).click();
}

test.describe('a changed pod template rolls out in steps', () => {
  test('editing the image lists the rolling update step by step; Undo takes it back', async ({ page }) => {
    await page.goto('./');
    await expect(diagram(page).getByRole('button', { name: /^pod web-85469b5d-/ })).toHaveCount(4);
    await changeImage(page);

    const rollouts = warnings(page).getByRole('group', { name: 'Rollouts of the last edit' });
    await expect(
      rollouts.getByText(
        'Rolling update of Deployment default/web (maxSurge 1 (25% of 4), maxUnavailable 1 (25% of 4)): 5 steps',
      ),
    ).toBeVisible();
    const steps = rollouts.getByRole('list', { name: 'Steps of Deployment default/web' });
    await expect(steps).toBeVisible();
    // The same steps as `k8snet diff`: a surge pod, two old pods go (node-b has most), two new, two old, the last.
    const first = steps.getByRole('listitem').filter({ hasText: /^scaled up ReplicaSet web-7d8b86d9f9 to 1/ });
    await expect(first.getByText('+ web-7d8b86d9f9-2bqgm on node-b 10.32.1.4')).toBeVisible();
    const second = steps.getByRole('listitem').filter({ hasText: /^scaled down ReplicaSet web-85469b5d to 2/ });
    await expect(second.getByText('- web-85469b5d-ff229 on node-b 10.32.1.2')).toBeVisible();
    await expect(second.getByText('- web-85469b5d-5khj2 on node-b 10.32.1.3')).toBeVisible();
    await expect(steps.getByText(/^scaled up ReplicaSet web-7d8b86d9f9 to 4/)).toBeVisible();
    await expect(rollouts).toContainText('Each step starts once the pods the step before created are Ready');

    // The diagram shows the end state the steps left: three of the four new pods on node-b.
    const webPods = diagram(page).getByRole('button', { name: /^pod web-7d8b86d9f9-/ });
    await expect(webPods).toHaveCount(4);
    await expect(diagram(page).getByRole('button', { name: /^pod web-7d8b86d9f9-.* on node-b$/ })).toHaveCount(3);

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(diagram(page).getByRole('button', { name: /^pod web-85469b5d-/ })).toHaveCount(4);
    // Undo returns to the state before: it starts no rollout of its own, and the change list says what a live
    // cluster would do instead (kubectl rollout undo is a rollout of its own).
    await expect(rollouts).toHaveCount(0);
    const changes = warnings(page).getByRole('group').filter({ hasText: 'Changed by the last edit' });
    await expect(changes).toContainText(
      'gone: Undo returns to the state before the edit, where ReplicaSet web-85469b5d ran',
    );
    await expect(changes).not.toContainText('rolling update to ReplicaSet');
  });
});
