import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import type { RealizedCluster } from '../../core/api/types';
import { parked, ref, verdict, webPods } from './helpers';
import type { Lesson } from './types';

const DENY_INGRESS =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: default}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n';
const ALLOW_WEB =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-web, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: http}]}]\n';

const dnsToWeb = (c: RealizedCluster) => ({
  from: ref(c.pods.find((p) => p.namespace === 'kube-system')),
  to: ref(webPods(c).find((p) => p.node === 'node-b')),
  port: 8080,
});

export const policyLesson: Lesson = {
  id: 'policy',
  title: 'NetworkPolicy: deny, then allow',
  steps: [
    {
      title: 'Without policies, every pod reaches every pod',
      scenario: DEFAULT_SCENARIO_YAML,
      trace: dnsToWeb,
      body: (f) => [
        `No NetworkPolicy selects any pod, so no pod is isolated: the trace is ${verdict(f)}.`,
        'The network model allows all pod-to-pod traffic by default; policies are how a namespace opts out.',
      ],
    },
    {
      title: 'Default deny: an empty podSelector isolates every pod',
      scenario: `${DEFAULT_SCENARIO_YAML}---\n${DENY_INGRESS}`,
      trace: dnsToWeb,
      traceAt: { phase: 'Request', action: 'drop' },
      body: (f) => {
        const drop = parked(f);
        return [
          `The policy default-deny selects every pod in default for Ingress and allows nothing. The trace is now ${verdict(f)}, on ${drop.node}: ${drop.explain}`,
          `flannel enforces no policy; kube-network-policies, the enforcer modelled beside it, queued the packet on ${drop.node} and its verdict was drop: see \`k8snet policy-rules --node ${drop.node}\`.`,
        ];
      },
    },
    {
      title: 'Allow one workload in',
      scenario: `${DEFAULT_SCENARIO_YAML}---\n${DENY_INGRESS}---\n${ALLOW_WEB}`,
      trace: (c) => ({
        from: ref(webPods(c).find((p) => p.node === 'node-a')),
        to: ref(webPods(c).find((p) => p.node === 'node-b')),
        port: 8080,
      }),
      traceAt: { phase: 'Request', action: 'allow' },
      body: (f) => {
        const allow = parked(f);
        return [
          `A second policy allows ingress to app=web from app=web on the port named http. Policies add up: the trace is ${verdict(f)}, allowed on ${allow.node}: ${allow.explain}`,
          `CoreDNS is still denied: nothing allows it. The reply of an allowed connection always passes.`,
        ];
      },
    },
  ],
};
