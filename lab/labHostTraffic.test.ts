// The node's own traffic on a real kernel (nodeport.yaml in iptables mode, one frontend pod, an
// internalTrafficPolicy Local Service, a hostNetwork pod): each probe's outcome and the source the
// server sees are the tracer's. A hostNetwork pod has no namespace of its own, so its server and its
// client run in its node's namespace, as the kubelet runs them (kuberuntime_sandbox.go: NamespaceMode
// NODE). Traffic stays inside the namespaces this suite builds; they are removed even when a check fails.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { labPods } from '../core/lab/script';
import { editScenario } from '../core/scenario/edit';
import { CLIENT_PORT, trace } from '../core/trace/trace';
import { connect } from './echoLab';
import { dataplaneOf, kernelLabUnavailable, labForSuite, nsExec, scenarioText } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab host traffic tests');

const yaml = (() => {
  const e = editScenario(scenarioText('nodeport.yaml'), {
    kind: 'replicas',
    namespace: 'default',
    name: 'frontend',
    value: '1',
  });
  if (!e.ok) throw new Error(e.message);
  return `${e.text}---
apiVersion: v1
kind: Service
metadata: {name: frontend-itp}
spec:
  internalTrafficPolicy: Local
  selector: {app: frontend}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: nodeports-worker
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: agent, labels: {app: agent}}
spec:
  hostNetwork: true
  nodeName: nodeports-worker3
  containers: [{name: a, image: node-exporter, ports: [{containerPort: 9100}]}]
---
apiVersion: v1
kind: Service
metadata: {name: agent}
spec:
  selector: {app: agent}
  ports: [{port: 9100}]
`;
})();

describe.skipIf(why !== undefined)("kernel lab: the node's own traffic, ITP Local and --random-fully", () => {
  const dp = dataplaneOf(yaml);
  const c = dp.cluster;
  const { names, servers } = labForSuite(dp, 'host');
  const frontend = c.pods.find((p) => p.owner === 'Deployment/default/frontend')!;
  const agent = c.pods.find((p) => p.name === 'agent')!;
  const nodeOf = (name: string) => c.nodes.find((n) => n.name === name)!;
  const epNode = nodeOf(frontend.node!);
  const other = c.nodes.find((n) => n.name !== epNode.name && n.name !== agent.node && labPods(n).length > 0)!;
  const podOn = (n: typeof epNode) => labPods(n).find((p) => p !== frontend)!;
  const svc = (name: string) => c.services.find((s) => s.name === name)!;

  /** A server that answers each connection with the client's address and port as it sees them. */
  async function serve(ns: string, port: number): Promise<void> {
    const s = spawn('ip', [
      'netns',
      'exec',
      ns,
      process.execPath,
      '-e',
      `require('net').createServer((s) => s.end(s.remoteAddress + ':' + s.remotePort + '\\n')).listen(${port}, '0.0.0.0', () => console.log('ready'))`,
    ]);
    servers.push(s);
    await new Promise<void>((ok, fail) => {
      s.stdout!.once('data', () => ok());
      s.once('exit', (code) => fail(new Error(`server exited ${code}`)));
    });
  }

  /** The tracer's answer in the same terms: the source the server sees (port too, unless `anyPort`), or "no answer". */
  function predicted(from: string, to: string, anyPort = false): string {
    const r = trace(dp, { from, to });
    if (!r.ok) throw new Error(r.message);
    if (r.result.verdict !== 'delivered') return 'no answer';
    const seen = r.result.hops.at(-1)!.srcAfter;
    return anyPort ? seen.replace(/:\d+$/, ':*') : seen;
  }
  const podRef = (p: { namespace: string; name: string }) => `pod/${p.namespace}/${p.name}`;

  it('ITP Local, a localhost NodePort and a hostNetwork pod, as client and as server: what the tracer says', async () => {
    expect(c.cluster.kubeProxyMode).toBe('iptables');
    await serve(names.pod(frontend), 80);
    await serve(names.node(nodeOf(agent.node!)), 9100);
    const itp = svc('frontend-itp');
    const nodePort = svc('frontend').ports[0]!.nodePort!;
    const cases = [
      // proxier.go: no local endpoint -> filter KUBE-SERVICES "-j DROP" ("has no local endpoints").
      {
        what: 'ITP Local from a node without an endpoint',
        ns: names.pod(podOn(other)),
        ref: podRef(podOn(other)),
        to: `${itp.clusterIP}:80`,
      },
      {
        what: "ITP Local from the endpoint's node",
        ns: names.pod(podOn(epNode)),
        ref: podRef(podOn(epNode)),
        to: `${itp.clusterIP}:80`,
      },
      // proxier.go sets route_localnet=1 ("to allow node-ports on localhost"): 127.0.0.1:NodePort is DNATed.
      {
        what: "localhost NodePort on the endpoint's node",
        ns: names.node(epNode),
        ref: `node/${epNode.name}`,
        to: `127.0.0.1:${nodePort}`,
      },
      {
        what: 'localhost NodePort on another node',
        ns: names.node(other),
        ref: `node/${other.name}`,
        to: `127.0.0.1:${nodePort}`,
      },
      // The hostNetwork pod as client: its node's namespace, its node's address, nat OUTPUT.
      {
        what: 'hostNetwork pod to a ClusterIP',
        ns: names.node(nodeOf(agent.node!)),
        ref: podRef(agent),
        to: `${svc('frontend').clusterIP}:80`,
      },
      // ... and as server: reached at its node's IP, directly and through its Service.
      {
        what: 'pod to the hostNetwork pod',
        ns: names.pod(podOn(other)),
        ref: podRef(podOn(other)),
        to: `${agent.ip}:9100`,
      },
      {
        what: "pod to the hostNetwork pod's Service",
        ns: names.pod(podOn(other)),
        ref: podRef(podOn(other)),
        to: `${svc('agent').clusterIP}:9100`,
      },
    ];
    const rows = await Promise.all(
      cases.map(async (k) => {
        const [ip, port] = [k.to.slice(0, k.to.lastIndexOf(':')), Number(k.to.slice(k.to.lastIndexOf(':') + 1))];
        // --random-fully picks the masqueraded source port at random: only the address is compared.
        const seen = await connect(k.ns, ip, port, { timeoutMs: 1500 });
        return `${k.what}: ${seen.replace(/:\d+$/, ':*')}`;
      }),
    );
    expect(rows).toEqual(cases.map((k) => `${k.what}: ${predicted(k.ref, k.to, true)}`));
    // The cases above are not all alike: ITP Local drops one and answers the other.
    expect(rows[0]).toMatch(/no answer$/);
    expect(rows[1]).not.toMatch(/no answer$/);
  }, 120_000);

  it("MASQUERADE --random-fully: the kernel gives the node's connection a new source port; the tracer's is illustrative", async () => {
    const target = `${svc('frontend').clusterIP}:80`;
    const seen = await connect(names.node(other), svc('frontend').clusterIP!, 80, {
      timeoutMs: 1500,
      localPort: CLIENT_PORT,
    });
    const [seenIp, seenPort] = seen.split(':');
    const r = trace(dp, { from: `node/${other.name}`, to: target });
    if (!r.ok) throw new Error(r.message);
    const snat = r.result.hops.find((h) => h.action === 'snat')!;
    expect(snat.rule).toContain('MASQUERADE --random-fully');
    expect(snat.explain).toContain('this one is illustrative');
    // The address is the tracer's; the port is not the client's 40000, in the kernel nor in the trace.
    expect(seenIp).toBe(snat.srcAfter.split(':')[0]);
    expect(Number(seenPort)).not.toBe(CLIENT_PORT);
    expect(Number(snat.srcAfter.split(':')[1])).not.toBe(CLIENT_PORT);
    // conntrack -L on the client's node holds the port the server saw in its reply tuple.
    const ct = nsExec(names.node(other), 'conntrack', '-L', '-p', 'tcp', '--orig-port-src', String(CLIENT_PORT));
    const entry = ct.split('\n').find((l) => l.includes(`dst=${svc('frontend').clusterIP}`))!;
    expect(entry).toContain(`sport=${CLIENT_PORT} dport=80`);
    expect(entry).toContain(`dport=${seenPort}`);
  }, 60_000);
});
