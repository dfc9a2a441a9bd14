// What the live cluster should show after a history of edits, computed by core with the same functions
// `k8snet diff` and the app use: the tests compare the page with these, never with numbers of their own.
import { expect, type Page } from '@playwright/test';
import { realize } from '../core/cluster/realize';
import { liveStateOf } from '../core/cluster/liveState';
import { clusterChanges, type ClusterChanges } from '../core/cluster/liveDiff';
import { diffClusters } from '../core/cluster/diff';
import { buildDataplane } from '../core/dataplane/dataplane';
import { kernelChanges, type NodeKernelChanges } from '../core/dataplane/kernelChanges';
import { editScenario, type ScenarioEdit } from '../core/scenario/edit';
import { parseScenario } from '../core/scenario/parse';
import type { RealizedCluster } from '../core/api/types';

export interface LiveStep {
  cluster: RealizedCluster;
  /** The app's "Changed by the last edit" lines (diffClusters), from the state before. */
  messages: string[];
  /** `k8snet diff`'s lists and per-node kernel changes, from the state before. */
  changes: ClusterChanges;
  kernels: NodeKernelChanges[];
}

/** Each text applied to the live cluster the one before made (the first a new cluster), as `--from` does. */
export function liveHistory(texts: string[]): LiveStep[] {
  const out: LiveStep[] = [];
  let prev: RealizedCluster | undefined;
  for (const text of texts) {
    const p = parseScenario(text);
    if (!p.ok) throw new Error(`the test's scenario does not parse: ${p.errors[0]?.message}`);
    const cluster = prev ? realize(p.scenario, liveStateOf(prev)) : realize(p.scenario);
    const empty = clusterChanges(cluster, cluster);
    out.push({
      cluster,
      messages: prev ? diffClusters(prev, cluster).map((c) => c.message) : [],
      changes: prev ? clusterChanges(prev, cluster) : empty,
      kernels: prev ? kernelChanges(buildDataplane(prev), buildDataplane(cluster)) : [],
    });
    prev = cluster;
  }
  return out;
}

/** The text a what-if edit makes, as the app's edit path makes it. */
export function edited(text: string, edit: ScenarioEdit): string {
  const e = editScenario(text, edit);
  if (!e.ok) throw new Error(e.message);
  return e.text;
}

/** Every pod as the diagram names it ("pod NAME IP on NODE"), sorted. */
export const podNames = (c: RealizedCluster): string[] =>
  c.pods.map((p) => `pod ${p.name} ${p.ip ?? 'no IP'} on ${p.node ?? 'no node'}`).sort();

export const diagram = (page: Page) => page.getByRole('region', { name: 'Cluster diagram' });
export const warnings = (page: Page) => page.getByRole('region', { name: 'Warnings' });
export const whatIf = (page: Page) => page.getByRole('region', { name: 'What if' });

/** The diagram's pods by accessible name, sorted. */
export async function shownPods(page: Page): Promise<string[]> {
  const names = await diagram(page)
    .getByRole('button', { name: /^pod / })
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return names.sort();
}

/** The lines of "Changed by the last edit", once it lists exactly `count` of them. */
export async function changeLines(page: Page, count: number): Promise<string[]> {
  const summary = warnings(page).getByText(`Changed by the last edit (${count})`);
  await expect(summary).toBeVisible({ timeout: 30_000 });
  const list = warnings(page).getByRole('list', { name: 'Changed by the last edit' });
  // A long list starts collapsed: open it as a reader would.
  if (!(await list.isVisible())) await summary.click();
  return list.getByRole('listitem').allTextContents();
}

/** Replaces the whole scenario in the YAML editor and applies it, as a user pasting a file. */
export async function applyYaml(page: Page, text: string): Promise<void> {
  const panel = page.getByRole('region', { name: 'Scenario' });
  const editor = panel.getByRole('textbox', { name: 'Scenario YAML' });
  if (!(await editor.isVisible())) await panel.getByText('Edit YAML').click();
  await editor.fill(text);
  await panel.getByRole('button', { name: 'Apply' }).click();
}
