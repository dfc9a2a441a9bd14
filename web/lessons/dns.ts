import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import { podResolvConf, resolverQueries } from '../../core/cluster/resolvConf';
import type { RealizedCluster } from '../../core/api/types';
import { parked, ref, webPods } from './helpers';
import type { Lesson } from './types';

const client = (c: RealizedCluster) => webPods(c)[0]!;
const confOf = (c: RealizedCluster) => podResolvConf(c, client(c))!;

export const dnsLesson: Lesson = {
  id: 'dns',
  title: 'DNS inside the cluster',
  steps: [
    {
      title: "The pod's resolv.conf",
      scenario: DEFAULT_SCENARIO_YAML,
      select: (c) => ref(client(c)),
      body: ({ cluster }) => {
        const p = client(cluster);
        const conf = confOf(cluster);
        return [
          `The kubelet writes /etc/resolv.conf into pod ${p.name}: ${conf.text.trim().split('\n').join(' · ')}.`,
          `The only nameserver is ${conf.nameservers[0]}, the ClusterIP of kube-system/kube-dns; the search path starts with the pod's own namespace, ${p.namespace}.`,
        ];
      },
    },
    {
      title: 'The search path and ndots: 5',
      scenario: DEFAULT_SCENARIO_YAML,
      select: (c) => ref(client(c)),
      body: ({ cluster }) => {
        const conf = confOf(cluster);
        const short = resolverQueries('web', conf);
        const fqdn = `web.default.svc.${cluster.cluster.clusterDomain}`;
        const full = resolverQueries(fqdn, conf);
        const external = resolverQueries('example.com', conf);
        return [
          `Pod ${client(cluster).name} looks up "web": it has fewer than ${conf.options[0]!.slice(6)} dots, so the resolver tries the search list first: ${short.join(', ')}. The first answers: a Service in the pod's own namespace by its short name.`,
          `Even "${fqdn}" has only ${fqdn.split('.').length - 1} dots: ${full.length} names are tried and the searched ones fail before the name itself. "example.com" costs ${external.length} queries; "${fqdn}." with a final dot costs ${resolverQueries(`${fqdn}.`, conf).length}.`,
        ];
      },
    },
    {
      title: 'The query goes to a Service too',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: (c) => ({ from: ref(client(c)), to: `web.default.svc.${c.cluster.clusterDomain}` }),
      traceAt: { phase: 'DNS lookup', action: 'dnat' },
      body: (f) => {
        const d = parked(f);
        const dns = f.trace?.ok ? f.trace.result.dns : undefined;
        return [
          `The lookup is a UDP packet to kube-dns's ClusterIP, translated like any Service: on ${d.node}, ${d.dst} becomes ${d.dstAfter} (DNAT), a CoreDNS pod.`,
          `CoreDNS answers ${dns?.answer.join(', ') ?? '?'} for ${dns?.name ?? '?'}; only then does the connection itself start.`,
        ];
      },
    },
  ],
};
