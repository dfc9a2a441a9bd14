// Edits of the live cluster the app shows as a running cluster would take them: a scale-down, a bare Pod
// deleted and created again, a node removed. Every expected value is core's (e2e/liveExpect.ts, the
// functions `k8snet diff` uses); the few pinned addresses were checked with `npm run k8snet -- diff`.
import { expect, test } from '@playwright/test';
import { DEFAULT_SCENARIO_YAML } from '../core/scenario/defaultScenario';
import { groupKernelChanges, kernelGroupHeading } from '../core/dataplane/kernelChangeGroups';
import {
  applyYaml,
  changeLines,
  diagram,
  edited,
  liveHistory,
  podNames,
  shownPods,
  warnings,
  whatIf,
} from './liveExpect';

const start = DEFAULT_SCENARIO_YAML;

test.describe('edits of the live cluster', () => {
  test('scaling down removes the pods the ReplicaSet controller ranks first; the others keep node and IP', async ({
    page,
  }) => {
    const two = edited(start, { kind: 'replicas', namespace: 'default', name: 'web', value: '2' });
    const [before, after] = liveHistory([start, two]);
    await page.goto('./');
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(4);
    expect(await shownPods(page)).toEqual(podNames(before!.cluster));

    const field = whatIf(page).getByLabel('Deployment default/web replicas', { exact: true });
    await field.fill('2');
    await field.press('Enter');
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(2);
    // Equal rank (two per node), equal age: ActivePodsWithRanks falls back to the UIDs (pkg/controller/controller_utils.go).
    expect(after!.changes.pods.removed.map((p) => `${p.name} ${p.node} ${p.ip}`)).toEqual([
      'web-85469b5d-8g4nh node-a 10.32.0.4',
      'web-85469b5d-5khj2 node-b 10.32.1.3',
    ]);
    // The two left are the very pods that ran before, on their node with their IP.
    const shown = await shownPods(page);
    expect(shown).toEqual(podNames(after!.cluster));
    for (const p of shown) expect(podNames(before!.cluster)).toContain(p);

    // The diff names exactly the removed pods (node and IP) and the endpoints the Service lost, nothing else.
    const lines = await changeLines(page, after!.messages.length);
    expect(lines).toEqual(after!.messages);
    expect(lines).toEqual([
      'pod default/web-85469b5d-8g4nh removed on node-a 10.32.0.4',
      'pod default/web-85469b5d-5khj2 removed on node-b 10.32.1.3',
      `Service default/web: endpoints gained 0, lost 2 (${after!.changes.endpoints[0]!.lost.map((e) => e.replace('/TCP', '')).join(', ')})`,
    ]);

    // Both nodes' kube-proxy lose the two KUBE-SEP chains and rewrite the probability ladder, alike.
    const kernels = warnings(page).getByRole('group', { name: 'Node kernels changed by the last edit' });
    await expect(kernels.getByText(kernelGroupHeading(groupKernelChanges(after!.kernels)[0]!))).toBeVisible();
    expect(kernelGroupHeading(groupKernelChanges(after!.kernels)[0]!)).toBe(
      'node-a, node-b: routes +0 -0, kube-proxy rules +2 -10',
    );

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(4);
    expect(await shownPods(page)).toEqual(podNames(before!.cluster));
  });

  test('a bare Pod deleted and created again gets the next address after the last reserved, not its old one', async ({
    page,
  }) => {
    const withDebug = `${start}---\napiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec: {nodeName: node-b, containers: [{name: sh, image: busybox}]}\n`;
    const [, created, deleted, again] = liveHistory([start, withDebug, start, withDebug]);
    const debugOf = (s: typeof created) => s!.cluster.pods.find((p) => p.name === 'debug');
    // host-local hands out the address after the last one it reserved (plugins/ipam/host-local/backend/allocator).
    expect([debugOf(created)?.ip, debugOf(again)?.ip]).toEqual(['10.32.1.4', '10.32.1.5']);
    const debug = diagram(page).getByRole('button', { name: /^pod debug / });

    await page.goto('./');
    await expect(diagram(page).getByRole('button', { name: /^pod web-/ })).toHaveCount(4);
    await applyYaml(page, withDebug);
    await expect(debug).toHaveAccessibleName('pod debug 10.32.1.4 on node-b');
    expect(await changeLines(page, 1)).toEqual(created!.messages);

    await applyYaml(page, start);
    await expect(debug).toHaveCount(0);
    expect(await changeLines(page, 1)).toEqual(deleted!.messages);
    expect(deleted!.messages).toEqual(['pod default/debug removed on node-b 10.32.1.4']);

    await applyYaml(page, withDebug);
    await expect(debug).toHaveAccessibleName('pod debug 10.32.1.5 on node-b');
    expect(await changeLines(page, 1)).toEqual(again!.messages);
    expect(again!.messages).toEqual(['pod default/debug added on node-b 10.32.1.5']);
    // Nothing else moved: every other pod is where the first state had it.
    expect(await shownPods(page)).toEqual(podNames(again!.cluster));

    // Undo steps back through the very states: deleted, then the first debug at 10.32.1.4.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(debug).toHaveCount(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(debug).toHaveAccessibleName('pod debug 10.32.1.4 on node-b');
  });

  test('removing a node releases its PodCIDR, recreates its pods elsewhere and takes its route off the others', async ({
    page,
  }) => {
    const noB = edited(start, { kind: 'removeNode', name: 'node-b' });
    const [before, after] = liveHistory([start, noB]);
    expect(after!.changes.nodes.removed).toEqual([{ name: 'node-b', ip: '10.10.1.1', podCIDR: '10.32.1.0/24' }]);
    const routeGone = after!.kernels.find((k) => k.node === 'node-a')!.routes.removed;
    expect(routeGone).toEqual(['10.32.1.0/24 via 10.10.1.1 dev eth0 ']);

    await page.goto('./');
    const routes = page.getByLabel('Route table of node-a');
    await diagram(page)
      .getByRole('button', { name: /^node node-a / })
      .click();
    await expect(routes).toContainText(routeGone[0]!.trim());
    await diagram(page)
      .getByRole('button', { name: /^node node-b / })
      .click();
    await page.getByRole('button', { name: 'Remove node-b from the cluster' }).click();
    await expect(diagram(page).getByRole('button', { name: /^node node-b / })).toHaveCount(0);

    // node-b's two web pods are recreated on node-a with the next addresses; node-a's pods stay as they were.
    await expect(diagram(page).getByRole('button', { name: /^pod web-.* on node-a$/ })).toHaveCount(4);
    expect(await shownPods(page)).toEqual(podNames(after!.cluster));
    const kept = podNames(before!.cluster).filter((p) => p.endsWith('on node-a'));
    for (const p of kept) expect(await shownPods(page)).toContain(p);

    const lines = await changeLines(page, after!.messages.length);
    expect(lines).toEqual(after!.messages);
    expect(lines[0]).toBe('node node-b removed (10.10.1.1, PodCIDR 10.32.1.0/24 released)');
    for (const p of after!.changes.pods.replaced) {
      expect(lines).toContain(`pod default/${p.old.name} removed on node-b ${p.old.ip}`);
      expect(lines).toContain(`pod default/${p.new.name} added on node-a ${p.new.ip}`);
    }

    // The diff lists node-a's kernel changes as `k8snet diff` does: the route to node-b's PodCIDR removed.
    const kernels = warnings(page).getByRole('group', { name: 'Node kernels changed by the last edit' });
    const [group] = groupKernelChanges(after!.kernels);
    await expect(kernels.getByText(kernelGroupHeading(group!))).toBeVisible();
    expect(kernelGroupHeading(group!)).toBe('node-a: routes +0 -1, kube-proxy rules +8 -8');
    await expect(kernels.getByLabel('Kernel changes on node-a')).toContainText(`- ${routeGone[0]}`);

    // The route to node-b's PodCIDR is gone from node-a's table.
    await diagram(page)
      .getByRole('button', { name: /^node node-a / })
      .click();
    await expect(routes).toBeVisible();
    await expect(routes).not.toContainText('10.32.1.0/24');
  });
});
