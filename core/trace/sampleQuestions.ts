// Test support shared by the round-trip and cited-rules tests: the dataplane as
// `k8snet tables` exports it and `trace --tables` reads it back, and a sample
// of questions like scripts/golden.ts asks.
import type { Dataplane } from '../dataplane/dataplane';
import { dumpedKernel, nodeDumps, withKernels, type NodeDumpTexts } from '../dataplane/dumpedKernel';
import type { NodeKernel } from '../dataplane/nodeKernel';

/** What `k8snet tables` writes for every node, read back as `trace --tables` reads it. */
export function exportedDataplane(
  dp: Dataplane,
  edit: (node: string, iptablesSave: string) => string = (_, t) => t,
  editNft: (node: string, nftRuleset: string) => string = (_, t) => t,
  editPolicy: (node: string, nftPolicy: string) => string = (_, t) => t,
): Dataplane {
  return editedDataplane(dp, { iptablesSave: edit, nftRuleset: editNft, nftPolicy: editPolicy });
}

/** Sources and destinations like scripts/golden.ts: pods, Services, nodes, the outside world. */
export function sampleQuestions(dp: Dataplane): { from: string; to: string }[] {
  const c = dp.cluster;
  const pods = c.nodes
    .flatMap((n) => n.pods)
    .filter((p) => p.ip !== null)
    .slice(0, 6);
  // The first node's primary address, as a ref with a port writes it ([IPv6]:PORT).
  const primary = c.nodes[0]!.ip;
  const nodeHost = primary.includes(':') ? `[${primary}]` : primary;
  const to = [
    ...pods.map((p) => `pod/${p.namespace}/${p.name}`),
    ...c.services.slice(0, 8).map((s) => `svc/${s.namespace}/${s.name}`),
    ...c.nodes.slice(0, 3).map((n) => `node/${n.name}`),
    ...c.services.flatMap((s) => s.ports.filter((p) => p.nodePort !== null).map((p) => `${nodeHost}:${p.nodePort}`)),
    '8.8.8.8:443',
  ];
  const from = [...pods.slice(0, 3).map((p) => `pod/${p.namespace}/${p.name}`), `node/${c.nodes[0]!.name}`, 'external'];
  return from.flatMap((f) => to.filter((t) => t !== f).map((t) => ({ from: f, to: t })));
}

/** A scenario's text switched to kube-proxy's nftables mode (what the nftables-mode tests run every example in). */
export function inNftablesMode(yaml: string): string {
  return /kubeProxyMode: \w+/.test(yaml)
    ? yaml.replace(/kubeProxyMode: \w+/, 'kubeProxyMode: nftables')
    : yaml.replace(/^networking:$/m, 'networking:\n  kubeProxyMode: nftables');
}

/** Edits to some of a node's dump files, by file: each gets the node's name and the file's text as written. */
export type DumpEdits = Partial<Record<keyof NodeDumpTexts, (node: string, text: string) => string>>;

/** What `k8snet tables` writes for every node, some files edited, read back as `trace --tables` reads it. */
export function editedDataplane(dp: Dataplane, edits: DumpEdits): Dataplane {
  const kernels = new Map<string, NodeKernel>();
  for (const n of dp.cluster.nodes) {
    const d: NodeDumpTexts = { ...nodeDumps(dp, n.name)! };
    for (const [file, edit] of Object.entries(edits) as [keyof NodeDumpTexts, DumpEdits[keyof NodeDumpTexts]][]) {
      const f = d[file];
      if (f && edit) d[file] = { ...f, text: edit(n.name, f.text) };
    }
    const k = dumpedKernel(n.name, d);
    if (!k.ok) throw new Error(JSON.stringify(k.error));
    kernels.set(n.name, k.kernel);
  }
  return withKernels(dp, kernels);
}
