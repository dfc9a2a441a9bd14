import { useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import { findObject, podBySelection } from '../../core/trace/refs';
import { servicesWithEndpointsOn } from '../../core/store/podQueries';
import { podIsolation } from '../../core/policy/clusterPolicies';
import { OverviewCanvas } from './OverviewCanvas';
import type { RealizedCluster } from '../../core/api/types';
import { layoutCluster, routeArc, serviceEdge, workloadColors, POD_H, type PodBox } from './layout';
import { useZoom } from './useZoom';
import { Legend } from './Legend';
import { useExplorer } from '../state/store';
import { hopRef, judgePrediction, useEditEffect, usePending, useTrace } from '../state/derive';
import { cniRoutesByNode } from '../../core/dataplane/routes';

const activate = (fn: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    fn();
  }
};

/** More nodes than this are drawn as an overview of tiles, with the selected node in detail below. */
export const DETAIL_MAX_NODES = 12;

export function ClusterDiagram({ cluster }: { cluster: RealizedCluster }) {
  const selection = useExplorer((s) => s.selection);
  const big = cluster.nodes.length > DETAIL_MAX_NODES;
  const trace = useTrace();
  // A big cluster shows a few nodes in detail: those a traced packet passes through, else the selected one.
  const traced =
    big && trace
      ? [...new Set(trace.steps.map((s) => s.hop.node))]
          .filter((n) => cluster.nodes.some((x) => x.name === n))
          .slice(0, MAX_TRACED_NODES)
      : [];
  const selected = !big
    ? undefined
    : selection?.startsWith('node/')
      ? selection.slice(5)
      : selection?.startsWith('pod/')
        ? (podBySelection(cluster, selection)?.node ?? undefined)
        : undefined;
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
      <FindBox cluster={cluster} />
      {big && <OverviewCanvas cluster={cluster} />}
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

function FindBox({ cluster }: { cluster: RealizedCluster }) {
  const select = useExplorer((s) => s.select);
  const [q, setQ] = useState('');
  const [msg, setMsg] = useState('');
  const find = (e: FormEvent) => {
    e.preventDefault();
    const r = findObject(cluster, q);
    if (r.ok) select(r.ref);
    setMsg(r.ok ? `Found: ${r.what}` : r.message);
  };
  return (
    <form className="find" role="search" onSubmit={find}>
      <label>
        Find{' '}
        <input
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="node, pod, Service or IP"
          spellCheck={false}
        />
      </label>
      <button type="submit">Find</button>
      <span role="status" className="hint">
        {msg}
      </span>
    </form>
  );
}

function DetailDiagram({ cluster }: { cluster: RealizedCluster }) {
  const selection = useExplorer((s) => s.selection);
  const plainSelect = useExplorer((s) => s.select);
  const prediction = useExplorer((s) => s.prediction);
  const answerPrediction = useExplorer((s) => s.answerPrediction);
  const layout = layoutCluster(cluster);
  const trace = useTrace();
  const step = useExplorer((s) => s.traceStep);
  const { changed } = useEditEffect();
  const { svgRef, transform, zoomBy, fit } = useZoom();
  const hop = trace?.steps[step]?.hop;
  // While the student predicts the next hop, a click is a guess, not a selection.
  const select = (ref: string) => {
    const next = trace?.steps[step + 1];
    if (!prediction?.awaiting || !next) return plainSelect(ref);
    answerPrediction(judgePrediction(ref, next));
  };
  // Where the current hop happens: a pod, or its node's root namespace.
  const at = hop ? hopRef(hop) : null;
  const activePod = at?.startsWith('pod/') ? at : null;
  const activeNode = hop ? `node/${hop.node}` : null;
  // The routes the CNI installed on one node: the selected node's, else the first node's.
  // The routes drawn are those of the node the packet is on during a trace, else the selected node's, else the first's.
  const hopNode = hop && cluster.nodes.some((n) => n.name === hop.node) ? hop.node : undefined;
  const routeNode = hopNode ?? (selection?.startsWith('node/') ? selection.slice(5) : (cluster.nodes[0]?.name ?? ''));
  const routes = cniRoutesByNode(cluster, routeNode).slice(0, 8);
  const boxes = new Map(layout.nodes.map((b) => [b.node.name, b]));
  const podBoxes = new Map<string, PodBox>(
    layout.nodes.flatMap((b) => b.pods.map((p) => [`${p.pod.namespace}/${p.pod.name}`, p] as const)),
  );
  const colors = workloadColors(cluster);
  // The packet: a dot on the pod or node the current hop happens in.
  const podAt = activePod ? podBoxes.get(activePod.slice(4)) : undefined;
  const nodeAt = hop ? boxes.get(hop.node) : undefined;
  const packet = podAt
    ? { x: podAt.x + podAt.w - 18, y: podAt.y + POD_H / 2 }
    : nodeAt
      ? { x: nodeAt.x + nodeAt.w - 24, y: nodeAt.y + 24 }
      : hop
        ? { x: layout.band.x + layout.band.w - 30, y: layout.band.y + layout.band.h / 2 }
        : null;
  const packetNat = hop ? hop.src !== hop.srcAfter || hop.dst !== hop.dstAfter : false;
  const cls = (ref: string, base: string) =>
    `${base}${selection === ref ? ' selected' : ''}${changed.has(ref) ? ' changed' : ''}`;
  return (
    <div className="detail">
      <div className="zoom-controls" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={fit} aria-label="Fit to view">
          Fit
        </button>
      </div>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-label={`Cluster ${cluster.cluster.name}`}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrowhead" />
          </marker>
        </defs>
        <g transform={transform.toString()}>
          <g
            className="cluster-band"
            tabIndex={0}
            role="button"
            aria-label={`node network ${cluster.cluster.nodeSubnet}: explain the cluster's ranges`}
            onClick={() => select('cluster')}
            onKeyDown={activate(() => select('cluster'))}
          >
            <rect
              className={cls('cluster', 'band')}
              x={layout.band.x}
              y={layout.band.y}
              width={layout.band.w}
              height={layout.band.h}
              rx={10}
            />
            <text className="band-label" x={layout.band.x + 16} y={layout.band.y + 35}>
              node network {cluster.cluster.nodeSubnet} · PodCIDR {cluster.cluster.podCIDR}
            </text>
          </g>
          <g className="routes" aria-label={`Routes on ${routeNode} to other nodes' PodCIDRs`}>
            {routes.map((r, i) => {
              const a = boxes.get(routeNode);
              const b = boxes.get(r.to);
              if (!a || !b) return null;
              const arc = routeArc(a, b, 40 + (i % 3) * 32);
              return (
                <g key={r.line}>
                  <path className="route" d={arc.d} markerEnd="url(#arrow)" />
                  <text className="route-label mono" x={arc.labelX} y={arc.labelY} textAnchor="middle">
                    {r.line}
                  </text>
                </g>
              );
            })}
          </g>
          {layout.nodes.map((nb) => {
            const n = nb.node;
            const ref = `node/${n.name}`;
            const label = `node ${n.name} ${n.ip} PodCIDR ${n.podCIDR ?? 'none'}`;
            const vxlan = cluster.cluster.cni === 'vxlan' && n.podCIDR !== null;
            return (
              <g key={n.name}>
                {nb.y === layout.nodes[0]!.y && (
                  <line
                    className="uplink"
                    x1={nb.x + nb.w / 2}
                    y1={layout.band.y + layout.band.h}
                    x2={nb.x + nb.w / 2}
                    y2={nb.y}
                  />
                )}
                <rect
                  className={`${cls(ref, 'node-box')}${activeNode === ref && !activePod ? ' active' : ''}`}
                  x={nb.x}
                  y={nb.y}
                  width={nb.w}
                  height={nb.h}
                  rx={12}
                />
                {/* The node's header is its button: pods inside the box stay separately clickable. */}
                <g
                  className="node"
                  tabIndex={0}
                  role="button"
                  aria-label={label}
                  aria-pressed={selection === ref}
                  onClick={() => select(ref)}
                  onKeyDown={activate(() => select(ref))}
                >
                  <rect className="node-hit" x={nb.x} y={nb.y} width={nb.w} height={nb.bridgeY - nb.y - 4} rx={12} />
                  <text className="node-name" x={nb.x + 16} y={nb.y + 30}>
                    {n.name}
                  </text>
                  <text className="node-role" x={nb.x + 16} y={nb.y + 52}>
                    {n.role}
                    {vxlan ? ' · flannel.1 (VXLAN)' : ''}
                  </text>
                  <text className="mono" x={nb.x + 16} y={nb.y + 80}>
                    eth0 {n.ip}
                  </text>
                  <text className="mono" x={nb.x + 16} y={nb.y + 106}>
                    PodCIDR {n.podCIDR ?? '— none (NotReady)'}
                  </text>
                </g>
                {n.gateway && (
                  <g className="bridge">
                    <rect x={nb.x + 16} y={nb.bridgeY} width={nb.w - 32} height={32} rx={6} />
                    <text className="mono" x={nb.x + 28} y={nb.bridgeY + 22}>
                      cni0 {n.gateway}
                    </text>
                  </g>
                )}
                {nb.pods.map((pb) => (
                  // veth pairs first, so the pod boxes sit on top of the lines
                  <line
                    key={`veth-${pb.pod.name}`}
                    className="veth"
                    x1={pb.x + 14}
                    y1={nb.bridgeY + 32}
                    x2={pb.x + 14}
                    y2={pb.y + POD_H / 2}
                  />
                ))}
                {nb.pods.map((pb) => {
                  const p = pb.pod;
                  const pref = `pod/${p.namespace}/${p.name}`;
                  const color = colors.get(p.owner ?? `Pod/${p.namespace}/${p.name}`)!;
                  const iso = podIsolation(cluster, p);
                  const isoText =
                    iso.ingress.length && iso.egress.length
                      ? 'in+out'
                      : iso.ingress.length
                        ? 'in'
                        : iso.egress.length
                          ? 'out'
                          : '';
                  return (
                    <g
                      key={pref}
                      className={`${cls(pref, 'pod')}${p.phase === 'Pending' ? ' pending' : ''}${activePod === pref ? ' active' : ''}`}
                      tabIndex={0}
                      role="button"
                      aria-label={`pod ${p.name} ${p.ip ?? 'no IP'} on ${n.name}${isoText ? `, isolated by NetworkPolicy (${isoText === 'in' ? 'ingress' : isoText === 'out' ? 'egress' : 'ingress and egress'})` : ''}`}
                      aria-pressed={selection === pref}
                      onClick={() => select(pref)}
                      onKeyDown={activate(() => select(pref))}
                    >
                      <rect x={pb.x} y={pb.y} width={pb.w} height={POD_H} rx={8} style={{ stroke: color }} />
                      <rect x={pb.x} y={pb.y} width={8} height={POD_H} rx={3} style={{ fill: color }} />
                      <text className="pod-name" x={pb.x + 18} y={pb.y + 19}>
                        {p.namespace === 'default' || p.namespace === 'kube-system'
                          ? p.name
                          : `${p.namespace}/${p.name}`}
                      </text>
                      <text className="mono pod-ip" x={pb.x + 18} y={pb.y + 37}>
                        {p.ip ?? `Pending: ${p.reason?.split(':')[0] ?? ''}`}
                      </text>
                      {isoText && (
                        <g className="isolated">
                          <rect x={pb.x + pb.w - 92} y={pb.y + 24} width={84} height={17} rx={4} />
                          <text x={pb.x + pb.w - 86} y={pb.y + 37}>
                            policy {isoText}
                          </text>
                        </g>
                      )}
                    </g>
                  );
                })}
                {nb.hidden > 0 && (
                  <text className="more" x={nb.x + 20} y={nb.y + nb.h - 22}>
                    + {nb.hidden} more pods (select the node)
                  </text>
                )}
              </g>
            );
          })}
          <g className="services" aria-label="Services: virtual IPs">
            <text className="layer-label" x={layout.band.x} y={layout.services.y + 20}>
              Services: virtual IPs, translated by kube-proxy on every node
            </text>
            {layout.services.boxes.map((sb) => {
              const s = sb.service;
              const ref = `svc/${s.namespace}/${s.name}`;
              const emphasis = selection === ref;
              const dns = s.namespace === 'kube-system' && s.name === 'kube-dns';
              const pods = [...new Set(s.endpoints.map((e) => `${e.namespace}/${e.pod}`))]
                .map((k) => podBoxes.get(k))
                .filter((p): p is PodBox => p !== undefined);
              return (
                <g key={ref}>
                  {pods.map((pb) => (
                    <path
                      key={pb.pod.name}
                      className={`svc-edge${emphasis ? ' emphasis' : ''}`}
                      d={serviceEdge(sb, pb)}
                    />
                  ))}
                  <g
                    className={cls(ref, 'svc')}
                    tabIndex={0}
                    role="button"
                    aria-pressed={emphasis}
                    aria-label={`Service ${s.namespace}/${s.name} ${s.headless ? 'headless' : s.clusterIP}${dns ? ' cluster DNS' : ''}`}
                    onClick={() => select(ref)}
                    onKeyDown={activate(() => select(ref))}
                  >
                    <rect x={sb.x} y={sb.y} width={sb.w} height={sb.h} rx={sb.h / 2} />
                    <text className="svc-name" x={sb.x + 18} y={sb.y + 23}>
                      {dns ? 'cluster DNS · ' : ''}
                      {s.name}
                    </text>
                    <text className="mono svc-ip" x={sb.x + 18} y={sb.y + 44}>
                      {s.headless ? 'headless' : s.clusterIP}:{s.ports.map((p) => p.port).join(',')}
                    </text>
                  </g>
                </g>
              );
            })}
            {layout.services.hidden > 0 && (
              <text className="more" x={layout.band.x} y={layout.height - 30}>
                + {layout.services.hidden} more Services (see the Services table)
              </text>
            )}
          </g>
          {packet && (
            <g
              className={`packet${packetNat ? ' nat' : ''}`}
              style={{ transform: `translate(${packet.x}px, ${packet.y}px)` }}
              aria-hidden="true"
            >
              <circle r={11} />
              <text x={-18} y={32}>
                {packetNat ? 'NAT' : ''}
              </text>
            </g>
          )}
        </g>
      </svg>
      <Legend cluster={cluster} colors={colors} />
    </div>
  );
}
