// A live edit copies the groups whose pods all run on where they ran column by column (liveSurvivors.ts,
// liveBind.ts); binding those pods one by one, as before the copy existed, must give the very same cluster.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from './realize';
import { liveStateOf } from './liveState';
import { keptRuns } from './liveSurvivors';
import { GroupWriter } from './liveBind';
import type { RealizedCluster } from '../api/types';

interface App {
  kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet';
  replicas: number;
  image: number;
  hostNetwork: boolean;
}
interface Step {
  nodes: { name: number; maxPods: number }[];
  apps: App[];
  daemonSet: boolean;
  pod: boolean;
}

const app = fc.record({
  kind: fc.constantFrom('Deployment' as const, 'Deployment' as const, 'ReplicaSet' as const, 'StatefulSet' as const),
  replicas: fc.nat(9),
  image: fc.nat(1),
  hostNetwork: fc.boolean(),
});
// Nodes by name: an edit may remove one from the middle, and the nodes after it change index.
const nodes = fc.uniqueArray(fc.record({ name: fc.nat(6), maxPods: fc.constantFrom(3, 8, 110) }), {
  selector: (n) => n.name,
  minLength: 1,
  maxLength: 5,
});
const first = fc.record({
  nodes,
  apps: fc.array(app, { minLength: 4, maxLength: 4 }),
  daemonSet: fc.boolean(),
  pod: fc.boolean(),
});
/** A user's edit changes one thing: one workload, the nodes, or nothing at all; the other groups stay as they were. */
const edit = fc.oneof(
  fc.record({ app: fc.nat(3), to: app }),
  fc.record({ app: fc.nat(3), replicas: fc.nat(9) }),
  fc.record({ nodes }),
  fc.constant({}),
);
type Edit = { app?: number; to?: App; replicas?: number; nodes?: Step['nodes'] };

function apply(s: Step, e: Edit): Step {
  const apps = s.apps.map((a, i) => (i !== e.app ? a : (e.to ?? { ...a, replicas: e.replicas ?? a.replicas })));
  return { ...s, apps, nodes: e.nodes ?? s.nodes };
}

const workload = (name: string, kind: string, replicas: number, image: string, hostNetwork = false) => `---
apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}}
spec:
  ${kind === 'DaemonSet' ? '' : `replicas: ${replicas}`}
  ${kind === 'StatefulSet' ? 'serviceName: s\n  podManagementPolicy: Parallel' : ''}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {hostNetwork: ${hostNetwork}, containers: [{name: c, image: ${image}, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {selector: {app: ${name}}, ports: [{port: 80, targetPort: 8080}]}
`;

function text(family: string, s: Step): string {
  // A /28 per node (13 pod addresses) in the IPv4 families: some edits run a node out of addresses.
  const networking =
    family === 'ipv6'
      ? '{ipFamily: ipv6}'
      : family === 'dual6'
        ? // IPv6 first: the primary fields hold IPv6, the pod columns IPv4 beside it.
          '{ipFamily: dual, nodeCIDRMaskSize: 28, podSubnet: "fd00:10:244::/56,10.244.0.0/16", serviceSubnet: "fd00:10:96::/112,10.96.0.0/16"}'
        : `{ipFamily: ${family}, nodeCIDRMaskSize: 28}`;
  const nodes = s.nodes.map(
    (n, i) => `  - {role: ${i === 0 ? 'control-plane' : 'worker'}, name: n${n.name}, maxPods: ${n.maxPods}}`,
  );
  let out = `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: runs\nnetworking: ${networking}\nnodes:\n${nodes.join('\n')}\n`;
  s.apps.forEach((a, i) => (out += workload(`app${i}`, a.kind, a.replicas, `img:${a.image}`, a.hostNetwork)));
  if (s.daemonSet) out += workload('agent', 'DaemonSet', 0, 'agent');
  if (s.pod)
    out += `---\napiVersion: v1\nkind: Pod\nmetadata: {name: solo}\nspec: {containers: [{name: c, image: x}]}\n`;
  return out;
}

/** Everything an edit hands on: the pods, the Services, the warnings and the state the next edit starts from. */
function facts(c: RealizedCluster) {
  const st = liveStateOf(c)!;
  return {
    pods: c.pods.map((p) => [p.namespace, p.name, p.node, p.ip, p.ips, p.phase, p.reason]),
    services: c.services.map((s) => [s.name, s.clusterIP, s.endpoints.map((e) => `${e.ip} ${e.pod}`)]),
    warnings: c.warnings.map((w) => w.message),
    bornOf: st.bornOf ? [...st.bornOf.subarray(0, c.pods.length)] : [],
    serials: [...st.serials],
    ranges: st.podNodeRanges,
    groups: st.pods.packed.groups.map((g) => [g.name, g.size, g.running, g.templateHash, g.names]),
  };
}

function run(family: string, steps: Step[], copy: boolean): unknown[] {
  keptRuns.copy = copy;
  const out: unknown[] = [];
  let c: RealizedCluster | undefined;
  for (const s of steps) {
    const r = parseScenario(text(family, s));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    c = realize(r.scenario, c ? liveStateOf(c) : undefined);
    out.push(facts(c));
  }
  return out;
}

afterEach(() => {
  keptRuns.copy = true;
  vi.restoreAllMocks();
});

describe('kept runs', () => {
  it('copying the unchanged groups as columns gives the same cluster as binding each pod, edit after edit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ipv4', 'dual', 'dual6', 'ipv6'),
        first,
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (f, s0, es) => {
          const steps: Step[] = [s0];
          for (const e of es) steps.push(apply(steps.at(-1)!, e));
          expect(run(f, steps, true)).toEqual(run(f, steps, false));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('an edit that leaves a group alone binds none of its pods one by one; it scales up by binding the new ones only', () => {
    const s0: Step = {
      // Four /28s: room for every pod.
      nodes: [0, 1, 2, 3].map((name) => ({ name, maxPods: 110 })),
      apps: [0, 1, 2, 3].map(() => ({ kind: 'Deployment', replicas: 5, image: 0, hostNetwork: false })),
      daemonSet: false,
      pod: true,
    };
    const bound = vi.spyOn(GroupWriter.prototype, 'put');
    const puts = (steps: Step[], copy: boolean) => {
      bound.mockClear();
      run('dual', steps, copy);
      return bound.mock.calls.length;
    };
    // The system DaemonSets' pods are bound one by one either way; the four Deployments', the bare Pod and CoreDNS's
    // two (kubeadm's coredns Deployment) are copied.
    const unchanged = puts([s0, s0], true);
    expect(puts([s0, s0], false) - unchanged).toBe(4 * 5 + 1 + 2);
    expect(puts([s0, apply(s0, { app: 2, replicas: 7 })], true) - unchanged).toBe(2);
  });
});
