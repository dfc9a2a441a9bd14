// Scenario texts applied in turn to one live cluster, as `k8snet realize LAST --from ...` does: the cluster after each.
import { parseScenario } from '../scenario/parse';
import { realize } from './realize';
import { liveStateOf } from './liveState';
import type { RealizedCluster } from '../api/types';

export function history(...texts: string[]): RealizedCluster[] {
  const out: RealizedCluster[] = [];
  for (const t of texts) {
    const r = parseScenario(t);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    out.push(realize(r.scenario, out.length ? liveStateOf(out[out.length - 1]!) : undefined));
  }
  return out;
}
