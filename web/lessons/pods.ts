import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import { edited, ref, webPods } from './helpers';
import type { Lesson } from './types';

export const podsLesson: Lesson = {
  id: 'pods',
  title: 'Pods and Deployments',
  steps: [
    {
      title: 'A pod is the unit that gets an IP',
      scenario: DEFAULT_SCENARIO_YAML,
      select: (c) => ref(webPods(c)[0]),
      body: ({ cluster }) => {
        const p = webPods(cluster)[0]!;
        return [
          `Kubernetes does not give containers addresses; it gives pods addresses. Pod ${p.name} has the IP ${p.ip}, on node ${p.node}.`,
          `Every container in the pod shares that one address and one network namespace, the way processes on one machine share its IP.`,
        ];
      },
    },
    {
      title: 'A Deployment keeps N of them running',
      scenario: DEFAULT_SCENARIO_YAML,
      select: () => 'node/node-b',
      body: ({ cluster }) => {
        const pods = webPods(cluster);
        const here = pods.filter((p) => p.node === 'node-b');
        return [
          `The Deployment "web" asks for ${pods.length} replicas, so there are ${pods.length} web pods: ${pods.map((p) => `${p.name} (${p.ip} on ${p.node})`).join(', ')}.`,
          `The scheduler spread them over the ${cluster.nodes.length} nodes; node-b, selected, runs ${here.length} of them. Each pod took the next free address of its node's range.`,
        ];
      },
    },
    {
      title: 'Scale it, and new pods get new addresses',
      scenario: edited([{ kind: 'replicas', namespace: 'default', name: 'web', value: '6' }]),
      before: DEFAULT_SCENARIO_YAML,
      select: () => 'node/node-a',
      body: ({ cluster, before }) => {
        const pods = webPods(cluster);
        const old = new Set(webPods(before!).map((p) => p.name));
        const added = pods.filter((p) => !old.has(p.name));
        return [
          `With replicas raised from ${old.size} to ${pods.length}, the Deployment starts ${added.length} new pods, marked in the diagram: ${added.map((p) => `${p.name} (${p.ip} on ${p.node})`).join(', ')}.`,
          `The ${old.size} pods that were there keep their addresses. A pod's IP lives as long as the pod: replace the pod and the new one may get a different address. That is why Services exist (lesson 4).`,
        ];
      },
    },
  ],
};
