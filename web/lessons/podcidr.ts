import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import { formatCount } from '../../core/ip/explain';
import { cidrFacts, example } from './helpers';
import type { Lesson } from './types';

export const podCidrLesson: Lesson = {
  id: 'podcidr',
  title: 'The PodCIDR',
  steps: [
    {
      title: "Every pod IP comes from the cluster's range",
      scenario: DEFAULT_SCENARIO_YAML,
      select: () => 'cluster',
      body: ({ cluster }) => {
        const x = cidrFacts(cluster.cluster.podCIDR)!;
        return [
          `This cluster's PodCIDR is ${x.cidr}: the addresses ${x.network} to ${x.lastAddress}, ${formatCount(x.size)} of them (2^${32 - x.prefix}).`,
          `The first ${x.prefix} bits are fixed (${x.binary.marked.split('|')[0]}); the remaining ${32 - x.prefix} bits number the addresses. Try another CIDR in the inspector's calculator.`,
        ];
      },
    },
    {
      title: 'A second cluster, a different range',
      scenario: example('talk-10-4.yaml'),
      select: () => 'cluster',
      body: ({ cluster }) => {
        const x = cidrFacts(cluster.cluster.podCIDR)!;
        return [
          `A second cluster uses ${x.cidr}: ${x.network} to ${x.lastAddress}, again ${formatCount(x.size)} addresses. The prefix length, not the first octet, decides the size.`,
          `Its ${cluster.nodes.length} nodes hold ${cluster.nodes.map((n) => n.podCIDR ?? 'none').join(', ')}.`,
        ];
      },
    },
    {
      title: 'Cut into one block per node',
      scenario: DEFAULT_SCENARIO_YAML,
      select: () => 'node/node-a',
      body: ({ cluster }) => {
        const whole = cidrFacts(cluster.cluster.podCIDR, cluster.cluster.nodeCIDRMaskSize)!;
        const node = cluster.nodes.find((n) => n.name === 'node-a')!;
        const block = cidrFacts(node.podCIDR!)!;
        const fits = whole.fits.find((f) => f.prefix === cluster.cluster.nodeCIDRMaskSize)?.count ?? 0;
        return [
          `The controller manager cuts ${whole.cidr} into /${cluster.cluster.nodeCIDRMaskSize} blocks: ${formatCount(fits)} of them, one per node. ${node.name} got ${block.cidr}: ${formatCount(block.size)} addresses.`,
          `On the node, ${block.firstUsable} goes to the cni0 bridge (the pods' gateway) and pods get ${node.pods[0]?.ip ?? 'the next addresses'} onwards; ${block.network} and ${block.lastAddress} are never handed out.`,
        ];
      },
    },
  ],
};
