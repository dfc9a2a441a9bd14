// The app's "Changed by the last edit" lines say what `k8snet diff` says: where each pod added or removed
// ran and its IP, a node's PodCIDR, and the endpoints a Service gained and lost.
import { describe, expect, it } from 'vitest';
import { history } from './liveHistory.testUtil';
import { DEFAULT_SCENARIO_YAML } from '../scenario/defaultScenario';
import { diffClusters } from './diff';
import type { RealizedCluster } from '../api/types';

const messages = (a: RealizedCluster, b: RealizedCluster) => diffClusters(a, b).map((c) => c.message);
const base = DEFAULT_SCENARIO_YAML;

describe('diffClusters wording', () => {
  it('a scale-down names each removed pod with its node and IP, and the endpoints lost', () => {
    const [a, b] = history(base, base.replace('replicas: 4', 'replicas: 2'));
    expect(messages(a!, b!)).toEqual([
      'pod default/web-85469b5d-8g4nh removed on node-a 10.32.0.4',
      'pod default/web-85469b5d-5khj2 removed on node-b 10.32.1.3',
      'Service default/web: endpoints gained 0, lost 2 (10.32.0.4:8080, 10.32.1.3:8080)',
    ]);
  });

  it('a node added or removed says its PodCIDR; a removed one released it', () => {
    const noB = base.replace('  - role: worker\n    name: node-b\n    ip: 10.10.1.1\n', '');
    const [a, b] = history(base, noB);
    expect(messages(a!, b!)[0]).toBe('node node-b removed (10.10.1.1, PodCIDR 10.32.1.0/24 released)');
    expect(messages(b!, a!)[0]).toBe('node node-b added (10.10.1.1, PodCIDR 10.32.1.0/24)');
  });

  it('a bare Pod is named with its node and IP (the fallback comparison, pod by pod)', () => {
    const debug = `${base}---\napiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec: {nodeName: node-b, containers: [{name: sh, image: busybox}]}\n`;
    const [a, b, c] = history(base, debug, base);
    expect(messages(a!, b!)).toEqual(['pod default/debug added on node-b 10.32.1.4']);
    expect(messages(b!, c!)).toEqual(['pod default/debug removed on node-b 10.32.1.4']);
  });
});
