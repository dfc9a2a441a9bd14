import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import type { RealizedCluster } from '../../core/api/types';
import { parked, ref, webPods } from './helpers';
import type { Lesson } from './types';

/** An address on the internet, outside every range of the cluster. */
const INTERNET = '8.8.8.8';
const out = (c: RealizedCluster) => ({ from: ref(webPods(c)[0]), to: INTERNET, port: 443 });

export const egressLesson: Lesson = {
  id: 'egress',
  title: 'Egress to the internet',
  steps: [
    {
      title: 'Out through the default route',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: out,
      traceAt: { phase: 'Request', action: 'route' },
      body: (f) => {
        const r = parked(f);
        return [
          `A pod connects to ${r.dst}. On ${r.node} no route covers that address but the default one: "${r.rule ?? '?'}".`,
          `The packet leaves through eth0 towards the node network's gateway, like any traffic from the node itself.`,
        ];
      },
    },
    {
      title: 'Masquerade: the pod address stays inside',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: out,
      traceAt: { phase: 'Request', action: 'snat' },
      body: (f) => {
        const s = parked(f);
        return [
          `Pod addresses mean nothing outside the cluster, so on ${s.node} the CNI's masquerade rule rewrites the source (SNAT): ${s.src} becomes ${s.srcAfter}, the node's eth0 address.`,
          `The rule: "${s.rule ?? '?'}". It matches only traffic leaving the pod network: pod to pod keeps its addresses (the three rules), pod to internet does not.`,
        ];
      },
    },
  ],
};
