// kernelChanges() against its oracle on the example scenarios, edit by edit, in both proxy modes; and the IPv6
// proxier's rules in a dual-stack cluster's comparison.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataplane } from './dataplane';
import { kernelChanges } from './kernelChanges';
import { oracleKernelChanges } from './kernelChanges.oracle.testUtil';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { liveStateOf } from '../cluster/liveState';

const example = (f: string) => readFileSync(join(__dirname, '../../public/scenarios', f), 'utf8');
const parsed = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return p.scenario;
};
const nft = (text: string) => text.replace(/^networking:\n/m, 'networking:\n  kubeProxyMode: nftables\n');

function compare(beforeText: string, afterText: string) {
  const before = realize(parsed(beforeText));
  const after = realize(parsed(afterText), liveStateOf(before));
  const fast = kernelChanges(buildDataplane(before), buildDataplane(after));
  const oracle = oracleKernelChanges(buildDataplane(before), buildDataplane(after));
  return { fast, oracle };
}

const EDITS: Record<string, (t: string) => string> = {
  'a worker added': (t) => t.replace(/^( *)- role: worker\n/m, '$1- role: worker\n$1- role: worker\n'),
  'a worker removed': (t) => t.replace(/^ *- role: worker\n/m, ''),
  'a Deployment scaled up': (t) => t.replace(/replicas: (\d+)/, (_, n) => `replicas: ${Number(n) + 2}`),
  'a Deployment scaled to one': (t) => t.replace(/replicas: (\d+)/, 'replicas: 1'),
  'an image changed': (t) => t.replace(/image: ([\w.-]+)/, 'image: $1:edited'),
  'a Service removed': (t) => t.replace(/\n---\n(#[^\n]*\n)*apiVersion: v1\nkind: Service\n[\s\S]*?(?=\n---\n|$)/, ''),
};
const FILES = [
  'dual-stack.yaml',
  'ipv6.yaml',
  'nodeport.yaml',
  'vxlan.yaml',
  'session-affinity.yaml',
  'multi-port.yaml',
];

describe('kernelChanges on the examples', () => {
  for (const f of FILES)
    for (const [mode, text] of [
      ['iptables', example(f)],
      ['nftables', nft(example(f))],
    ] as const)
      it(`${f} in ${mode} mode: each edit as the whole tables say`, () => {
        for (const [what, edit] of Object.entries(EDITS)) {
          const edited = edit(text);
          expect(edited, what).not.toBe(text);
          const { fast, oracle } = compare(text, edited);
          expect(fast, `${f} ${mode}: ${what}`).toEqual(oracle);
        }
      });
});

describe('kernelChanges in a dual-stack cluster', () => {
  const dual = example('dual-stack.yaml');
  const scaled = EDITS['a Deployment scaled up']!;
  it("lists ip6tables-save's lines after iptables-save's, each with -6", () => {
    const { fast } = compare(dual, scaled(dual));
    const added = fast[0]!.rules.added;
    const first6 = added.findIndex((l) => l.startsWith('-6 '));
    expect(first6).toBeGreaterThan(0);
    expect(added.slice(first6).every((l) => l.startsWith('-6 -t '))).toBe(true);
    expect(added).toContainEqual(
      expect.stringMatching(/^-6 -t nat -A KUBE-SEP-\w+ -p tcp .* -j DNAT --to-destination \[fd00:/),
    );
  });
  it("lists table ip6 kube-proxy's lines in nftables mode, each with [ip6]", () => {
    const { fast } = compare(nft(dual), scaled(nft(dual)));
    const added = fast[0]!.rules.added;
    expect(added).toContainEqual(expect.stringMatching(/^\[ip6\] meta l4proto tcp dnat to \[fd00:10:244:/));
    expect(added).toContainEqual(expect.stringMatching(/^meta l4proto tcp dnat to 10\.244\./));
  });
});

describe('kernelChanges where unchanged Services share lines with changed ones', () => {
  // NodePort Services with externalTrafficPolicy Local write the same "masquerade local traffic" rule on every
  // node: where a changed count of it falls is where the unchanged ones stand (e, not last in
  // service-nodeports: f is, with the Cluster policy).
  const two = (replicas: number) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {kubeProxyMode: nftables}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
${['a', 'b', 'c', 'd', 'e', 'f']
  .map(
    (n, i) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${n}}
spec:
  replicas: ${i === 1 ? replicas : 2}
  selector: {matchLabels: {app: ${n}}}
  template:
    metadata: {labels: {app: ${n}}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${n}}
spec:
  type: NodePort
  externalTrafficPolicy: ${n === 'f' ? 'Cluster' : 'Local'}
  selector: {app: ${n}}
  ports: [{port: 80}]`,
  )
  .join('\n')}`;
  it('places them as the whole tables do', () => {
    for (const [from, to] of [
      [0, 3],
      [3, 0],
      [1, 4],
    ] as const) {
      const { fast, oracle } = compare(two(from), two(to));
      expect(oracle.length).toBeGreaterThan(0);
      expect(fast).toEqual(oracle);
    }
  });
});

describe('kernelChanges where a Service comes in among unchanged ones', () => {
  // Service n added before x and y: of the closing braces its seven chains add, the last seven of the table are the
  // table's, y's and x's, which stand one Service port later than before.
  const services = (withN: boolean) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking: {kubeProxyMode: nftables}
nodes: [{role: control-plane}, {role: worker}]
${[
  ['a', 2],
  ['n', 6],
  ['x', 2],
  ['y', 2],
]
  .map(
    ([n, replicas]) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${n}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${n}}}
  template:
    metadata: {labels: {app: ${n}}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
${
  n === 'n' && !withN
    ? ''
    : `---
apiVersion: v1
kind: Service
metadata: {name: ${n}}
spec: {selector: {app: ${n}}, ports: [{port: 80}]}`
}`,
  )
  .join('\n')}`;
  it('places the unchanged Services where they stand after', () => {
    const { fast, oracle } = compare(services(false), services(true));
    expect(oracle[0]!.rules.added.filter((l) => l === '}')).toHaveLength(7);
    expect(fast).toEqual(oracle);
  });
});
