import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import type { RealizedCluster } from '../../core/api/types';
import { edited, parked, ref, webPods } from './helpers';
import type { Lesson } from './types';

const toWeb = (c: RealizedCluster) => ({ from: ref(webPods(c)[0]), to: 'svc/default/web' });
const lines = (rule: string | undefined) => (rule ?? '').split('\n').filter(Boolean);

export const kubeProxyModesLesson: Lesson = {
  id: 'kube-proxy',
  title: 'kube-proxy modes: iptables and nftables',
  steps: [
    {
      title: 'iptables mode: a chain per Service, a chain per endpoint',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: toWeb,
      traceAt: { phase: 'Request', action: 'dnat' },
      body: (f) => {
        const d = parked(f);
        const rule = lines(d.rule);
        return [
          `kube-proxy here runs in ${f.cluster.cluster.kubeProxyMode} mode. On ${d.node}, ${rule.length} rules decide the DNAT, from KUBE-SERVICES to the Service's chain to one endpoint's chain: ${d.dst} becomes ${d.dstAfter}.`,
          `The last one: "${rule.at(-1) ?? '?'}". Every Service adds a rule to KUBE-SERVICES, which the kernel reads in order.`,
        ];
      },
    },
    {
      title: 'nftables mode: the same Service, a map lookup',
      scenario: edited([{ kind: 'cluster', field: 'kubeProxyMode', value: 'nftables' }]),
      trace: toWeb,
      traceAt: { phase: 'Request', action: 'dnat' },
      body: (f) => {
        const d = parked(f);
        const rule = lines(d.rule);
        return [
          `The same cluster with kube-proxy in ${f.cluster.cluster.kubeProxyMode} mode. On ${d.node} the Service is found in a verdict map, one lookup however many Services there are: "${rule[0] ?? '?'}".`,
          `The endpoint is picked with numgen and DNATed the same way: ${d.dst} becomes ${d.dstAfter}. "${rule.at(-1) ?? '?'}".`,
        ];
      },
    },
  ],
};
