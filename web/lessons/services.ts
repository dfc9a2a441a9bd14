import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import type { RealizedCluster } from '../../core/api/types';
import { parked, ref, webPods } from './helpers';
import type { Lesson } from './types';

const toWeb = (c: RealizedCluster) => ({ from: ref(webPods(c)[0]), to: `web.default.svc.${c.cluster.clusterDomain}` });

export const servicesLesson: Lesson = {
  id: 'services',
  title: 'Services',
  steps: [
    {
      title: 'DNS resolves the name',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: toWeb,
      body: (f) => {
        const dns = f.trace?.ok ? f.trace.result.dns : undefined;
        return [
          `The pod asks kube-dns at ${dns?.query.hops[0]?.dst ?? f.cluster.cluster.dnsIP} over UDP for ${dns?.name ?? 'the name'}; the answer is ${dns?.answer.join(', ') ?? '?'}, the Service's ClusterIP.`,
          `No pod has that address. It is virtual: it exists only in kube-proxy's rules on every node.`,
        ];
      },
    },
    {
      title: 'The ClusterIP is swapped for a pod IP',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: toWeb,
      traceAt: { phase: 'Request', action: 'dnat' },
      body: (f) => {
        const d = parked(f);
        return [
          `On ${d.node}, the sending pod's own node, kube-proxy's iptables rules rewrite the request's destination: ${d.dst} becomes ${d.dstAfter} (DNAT).`,
          `The rule that decided is shown with the step; each endpoint had an equal chance. (The DNS query before it was DNATed the same way, to a CoreDNS pod.)`,
        ];
      },
    },
    {
      title: 'And back on the way out',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: toWeb,
      traceAt: { phase: 'Reply', action: 'un-nat' },
      body: (f) => {
        const u = parked(f);
        return [
          `The reply leaves the server as ${u.src} → ${u.dst}. conntrack on ${u.node} remembers the connection and restores the Service address: ${u.srcAfter} → ${u.dstAfter}.`,
          `The client only ever talks to the ClusterIP.`,
        ];
      },
    },
  ],
};
