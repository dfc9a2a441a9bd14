import { useMemo, useState } from 'react';
import { podBySelection } from '../../core/trace/refs';
import { servicesWithEndpointsOn } from '../../core/store/podQueries';
import { OverviewCanvas } from './OverviewCanvas';
import type { RealizedCluster } from '../../core/api/types';
import { useExplorer } from '../state/store';
import { usePending, useTrace } from '../state/derive';
import { FindBox } from './FindBox';
import { DetailDiagram } from './DetailDiagram';
import './diagram.css';

/** More nodes than this are drawn as an overview of tiles, with the selected node in detail below. */
export const DETAIL_MAX_NODES = 12;

export function ClusterDiagram({ cluster }: { cluster: RealizedCluster }) {
  const selection = useExplorer((s) => s.selection);
  const big = cluster.nodes.length > DETAIL_MAX_NODES;
  const trace = useTrace();
  // A big cluster shows a few nodes in detail: those a traced packet passes through, else the selected one.
  const passed = useMemo(
    () =>
      big && trace
        ? [...new Set(trace.steps.map((s) => s.hop.node))].filter((n) => cluster.nodes.some((x) => x.name === n))
        : [],
    [big, trace, cluster],
  );
  const traced = passed.slice(0, MAX_TRACED_NODES);
  const selected = big ? nodeOf(cluster, selection) : undefined;
  const [reveal, setReveal] = useState<{ node: string; n: number } | null>(null);
  const found = (ref: string) => {
    const node = nodeOf(cluster, ref);
    if (node) setReveal((r) => ({ node, n: (r?.n ?? 0) + 1 }));
  };
  const focus = traced.length > 0 ? traced : [selected ?? cluster.nodes[0]!.name];
  const focusKey = focus.join(' ');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- focusKey stands for focus
  const view = useMemo(() => (big ? detailView(cluster, focus) : cluster), [big, cluster, focusKey]);
  const deriving = usePending();
  const working = useExplorer((s) => s.working);
  const pending = deriving || working;
  const shown = view.nodes.map((n) => n.name);
  return (
    <section className="diagram" role="region" aria-label="Cluster diagram" aria-busy={pending}>
      {pending && (
        <p className="pending" role="status">
          Computing the cluster in the background; the diagram shows the previous one until it is ready.
        </p>
      )}
      <FindBox cluster={cluster} onFound={found} />
      {big && <OverviewCanvas cluster={cluster} marked={passed} reveal={reveal} />}
      {big && (
        <p className="hint">
          <span className="tile-scale" aria-hidden="true" /> tile colour: pods on the node against what its PodCIDR and
          maxPods allow (blue empty, green, orange full; red: no PodCIDR).
          {traced.length > 0
            ? ` Showing the traced packet's ${shown.length === 1 ? 'node' : 'nodes'} ${shown.join(', ')} in detail.`
            : ` Showing node ${shown[0]} in detail: select a tile, or Find a node, pod or address.`}
        </p>
      )}
      <DetailDiagram cluster={view} />
    </section>
  );
}

/** The node a selection ref is on: the node itself, or a pod's node. */
function nodeOf(c: RealizedCluster, ref: string | null): string | undefined {
  if (ref?.startsWith('node/')) return ref.slice(5);
  if (ref?.startsWith('pod/')) return podBySelection(c, ref)?.node ?? undefined;
  return undefined;
}

/** Nodes a big cluster's detail view draws for a trace (client, server, a NodePort's node in between). */
const MAX_TRACED_NODES = 4;

/** Some nodes of a big cluster, with the Services that have endpoints on them. */
function detailView(c: RealizedCluster, names: string[]): RealizedCluster {
  const nodes = names
    .map((name) => c.nodes.find((x) => x.name === name))
    .filter((n): n is RealizedCluster['nodes'][number] => n !== undefined);
  if (nodes.length === 0) nodes.push(c.nodes[0]!);
  const here = new Set(nodes.flatMap((n) => servicesWithEndpointsOn(c, n.name)));
  const services = c.services.filter((s) => here.has(s) || s.namespace === 'kube-system');
  // Field by field: a spread would read c.pods and list all of a big cluster's pods.
  return {
    cluster: c.cluster,
    policies: c.policies,
    namespaces: c.namespaces,
    nodes,
    pods: nodes.flatMap((n) => n.pods),
    services,
    warnings: c.warnings,
  };
}
