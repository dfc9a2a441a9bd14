import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDataplane, type Dataplane } from './dataplane';
import { nodeIp6tables } from './ip6tables';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { trace } from '../trace/trace';
import type { ChainSource } from './iptablesTable';

// A node's ip6tables are written lazily, one Service port at a time, as its iptables are: a 10,000-Service
// dual-stack node's full ip6tables is half a million rules, and building it took a minute. The lazy tables
// must walk exactly as the full ones: every verdict, hop, cited rule and rule position the same.
const EXTRA = `---
apiVersion: v1
kind: Service
metadata: {name: web-local}
spec:
  type: NodePort
  ipFamilyPolicy: PreferDualStack
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 8080, targetPort: 8080, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: web-empty}
spec:
  ipFamilyPolicy: RequireDualStack
  selector: {app: nothing}
  ports: [{port: 81}]
`;

/** The same cluster whose nodes' IPv6 walks read the full ip6tables, as `iptables --node` prints them. */
function withFullIp6tables(dp: Dataplane): Dataplane {
  const full = new Map<string, { nat: ChainSource; filter: ChainSource } | undefined>();
  return {
    ...dp,
    kernel(name) {
      const k = dp.kernel(name);
      const node = dp.nodeByName(name);
      if (!k || !node) return k;
      if (!full.has(name)) full.set(name, nodeIp6tables(dp.cluster, dp.services6()!, node));
      const t = full.get(name)!;
      return {
        ...k,
        table: (tn, family) =>
          family === 'IPv6' ? (tn === 'nat' || tn === 'filter' ? t?.[tn] : undefined) : k.table(tn, family),
      };
    },
  };
}

const json = (dp: Dataplane, q: { from: string; to: string; family: 'IPv6' }) =>
  JSON.stringify(trace(dp, q), (k, v: unknown) => (k === 'packet' ? undefined : typeof v === 'bigint' ? `${v}n` : v));

describe('lazily written ip6tables walk as the full ip6tables do', () => {
  const p = parseScenario(readFileSync('public/scenarios/dual-stack.yaml', 'utf8') + EXTRA);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  const c = realize(p.scenario);

  it('every pod and node to every Service, pod and NodePort over IPv6: the same trace, rule positions included', () => {
    const lazy = buildDataplane(c);
    const full = withFullIp6tables(buildDataplane(c));
    const pods = c.pods.filter((x) => x.ip !== null && !x.hostNetwork);
    const node6 = c.nodes.map((n) => n.ips![1]!);
    const to = [
      ...c.services.map((s) => `svc/${s.namespace}/${s.name}`),
      ...pods.map((x) => `pod/${x.namespace}/${x.name}`),
      ...node6.flatMap((ip) => [30080, 30081].map((port) => `[${ip}]:${port}`)),
    ];
    const from = [
      ...pods.map((x) => `pod/${x.namespace}/${x.name}`),
      ...c.nodes.map((n) => `node/${n.name}`),
      'external',
    ];
    let walked = 0;
    for (const f of from)
      for (const t of to) {
        if (f === t) continue;
        const q = { from: f, to: t, family: 'IPv6' as const };
        const a = json(lazy, q);
        expect(a, `${f} -> ${t}`).toBe(json(full, q));
        if (a.includes('KUBE-SVC-') || a.includes('KUBE-EXT-')) walked++;
      }
    // Not only refusals: Service and NodePort walks went through kube-proxy's IPv6 chains.
    expect(walked).toBeGreaterThan(40);
  });
});
