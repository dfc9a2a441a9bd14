import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import { renderRoute } from '../../core/dataplane/routes';
import { crossNodePair, ipOf, ref, requestHops, stepCount, webPods } from './helpers';
import type { Lesson } from './types';

export const rulesLesson: Lesson = {
  id: 'rules',
  title: 'The three rules',
  steps: [
    {
      title: 'Pod to pod, without NAT',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: (c) => {
        const [a, b] = crossNodePair(c);
        return { from: ref(a), to: ref(b), port: 8080 };
      },
      body: (f) => {
        const all = f.steps.map((s) => s.hop);
        const h = requestHops(f);
        const same = all.every((x) => x.src === x.srcAfter && x.dst === x.dstAfter);
        return [
          `A packet from ${h[0]?.src ?? '?'} to ${h[0]?.dst ?? '?'} crosses ${new Set(h.map((x) => x.node)).size} nodes; the stepper walks ${stepCount(f)}${same ? ', and no step rewrites an address' : ''}.`,
          `Step through it: the source and destination on screen stay the same from the first hop to the last. The receiving pod sees the sender's real IP.`,
        ];
      },
    },
    {
      title: 'Node to pod, without NAT',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: (c) => ({ from: 'node/node-a', to: ref(webPods(c).find((p) => p.node === 'node-b')), port: 8080 }),
      body: (f) => {
        const h = requestHops(f);
        return [
          `node-a (a kubelet, say) sends from ${ipOf(h[0]?.src)}; the pod receives the packet from ${ipOf(h[h.length - 1]?.srcAfter)}: the same address.`,
        ];
      },
    },
    {
      title: 'A pod sees itself at the IP others use',
      scenario: DEFAULT_SCENARIO_YAML,
      select: (c) => ref(webPods(c)[0]),
      body: ({ cluster, dp }) => {
        const p = webPods(cluster)[0]!;
        const own = dp.podRoutes(p).find((r) => r.proto === 'kernel');
        return [
          `Inside pod ${p.name}, eth0 holds ${p.ip}; its connected route is "${own ? renderRoute(own) : '?'}".`,
          `Others send to ${p.ip} too: there is no private-versus-public address, so an app can announce its own IP to its peers.`,
        ];
      },
    },
  ],
};
