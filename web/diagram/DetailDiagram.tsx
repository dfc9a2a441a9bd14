import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { RealizedCluster } from '../../core/api/types';
import { primaryFamily } from '../../core/api/familyFields';
import { cniRoutesByNode } from '../../core/dataplane/cniRoutes';
import { vethName } from '../../core/dataplane/devices';
import { layoutCluster, workloadColors } from './layout';
import { useZoom } from './useZoom';
import { useStageSize } from './useStageSize';
import { Legend } from './Legend';
import { useExplorer } from '../state/store';
import { judgePrediction, useEditEffect, useTrace } from '../state/derive';
import { clientIp, hopPlace, natLit, type HopPlace } from './hopPlace';
import { boxOf, chainOf, placeIndex } from './placePoints';
import { NodeView, type Involved } from './NodeView';
import { RoutesLayer, routeName } from './RoutesLayer';
import { ServicesLayer } from './ServicesLayer';
import { Packet } from './Packet';
import type { DrawnRoute } from './routeLanes';
import { DiagramToolbar, zoomKeys } from './DiagramToolbar';
import { OutsidePlaces } from './OutsidePlaces';
import { TABLES_FROM_NODES } from './routeTables';
import type { IpFamilyName } from '../../core/ip/anyIp';

const NOTHING: Involved = { node: null, device: null, pods: new Set(), services: new Set() };

function placesOf(cluster: RealizedCluster, hops: { hop: Parameters<typeof hopPlace>[0] }[]): HopPlace[] {
  // A veth names its pod through core's naming; only the hop's node's pods are looked at.
  const podOfVeth = (node: string, veth: string) => {
    const p = cluster.nodes.find((n) => n.name === node)?.pods.find((q) => vethName(q.namespace, q.name) === veth);
    return p ? `${p.namespace}/${p.name}` : undefined;
  };
  return hops.map((s) => hopPlace(s.hop, podOfVeth));
}

/** The node whose routes "auto" shows: the last node a hop routed off (up to this step), else the hop's, else the selected. */
function autoRoutesNode(
  places: HopPlace[],
  step: number,
  cluster: RealizedCluster,
  selected: string | null,
  family: IpFamilyName,
): string {
  for (let i = Math.min(step, places.length - 1); i >= 0; i--) {
    const p = places[i]!;
    if (p.node && p.routeLine && cniRoutesByNode(cluster, p.node, family).some((r) => r.line === p.routeLine))
      return p.node;
  }
  const here = places[step]?.node;
  if (here && cluster.nodes.some((n) => n.name === here)) return here;
  if (selected && cluster.nodes.some((n) => n.name === selected)) return selected;
  return cluster.nodes[0]?.name ?? '';
}

export function DetailDiagram({ cluster }: { cluster: RealizedCluster }) {
  const selection = useExplorer((s) => s.selection);
  const plainSelect = useExplorer((s) => s.select);
  const prediction = useExplorer((s) => s.prediction);
  const answerPrediction = useExplorer((s) => s.answerPrediction);
  const trace = useTrace();
  const step = useExplorer((s) => s.traceStep);
  const fromOutside = useExplorer((s) => s.trace?.from === 'external');
  const { changed } = useEditEffect();
  const [routesOf, setRoutesOf] = useState<string>('auto');
  const stageRef = useRef<HTMLDivElement>(null);
  const size = useStageSize(stageRef);
  // An IPv6 trace routes by each node's `ip -6 route`: the band shows that family's CNI routes.
  // With no trace, the cluster's primary family (an IPv6 single-stack cluster has only IPv6 routes).
  const family = trace?.family ?? primaryFamily(cluster.cluster);
  const places = useMemo(() => (trace ? placesOf(cluster, trace.steps) : []), [cluster, trace]);
  const place = places[step] ?? null;
  const selectedNode = selection?.startsWith('node/') ? selection.slice(5) : null;
  const names = cluster.nodes.map((n) => n.name);
  const whoseNode =
    routesOf === 'all'
      ? null
      : names.includes(routesOf)
        ? routesOf
        : autoRoutesNode(places, step, cluster, selectedNode, family);
  const inUse = place?.node && place.routeLine ? `${place.node} ${place.routeLine}` : null;
  const routesKey = `${routesOf === 'all' ? 'all' : whoseNode}|${inUse ?? ''}|${family}`;
  const routes = useMemo<DrawnRoute[]>(() => {
    const [whose, used, fam] = routesKey.split('|') as [string, string, IpFamilyName];
    const of = (n: string) => cniRoutesByNode(cluster, n, fam).map((r) => ({ node: n, to: r.to, line: r.line }));
    const drawn = whose === 'all' ? cluster.nodes.flatMap((n) => of(n.name)) : of(whose);
    const extra = used ? of(used.split(' ')[0]!).filter((r) => `${r.node} ${r.line}` === used) : [];
    return [...drawn, ...extra.filter((r) => !drawn.some((d) => d.node === r.node && d.line === r.line))];
  }, [cluster, routesKey]);
  const reserveLanes = routesOf === 'all' ? 0 : Math.max(0, cluster.nodes.length - 1) + 1;
  const tables = routesOf === 'all' && cluster.nodes.length >= TABLES_FROM_NODES;
  const aspect = size.width / size.height;
  const layout = useMemo(
    () => layoutCluster(cluster, { aspect, routes, reserveLanes, tables }),
    [cluster, aspect, routes, reserveLanes, tables],
  );
  const index = useMemo(() => placeIndex(layout), [layout]);
  const chain = useMemo(() => (place ? chainOf(layout, index, place) : []), [layout, index, place]);
  const { svgRef, viewportRef, zoomBy, fit, follow } = useZoom(
    `${layout.width}x${layout.height} ${size.width}x${size.height}`,
  );
  const at = chain[0]?.pt;
  useEffect(() => {
    if (at) follow(at.x, at.y, layout.width, layout.height);
  }, [at, follow, layout.width, layout.height]);

  // While the student predicts the next hop, a click is a guess, not a selection.
  const select = (ref: string) => {
    const next = trace?.steps[step + 1];
    if (!prediction?.awaiting || !next) return plainSelect(ref);
    answerPrediction(judgePrediction(ref, next));
  };
  const lit = place ? natLit(place, cluster) : {};
  const involved: Involved = place
    ? {
        node: place.node,
        device: place.kind === 'pod' || place.kind === 'external' ? null : place.kind,
        pods: new Set([...(place.pod ? [`pod/${place.pod}`] : []), ...(lit.pod ? [lit.pod] : [])]),
        services: new Set(lit.service ? [lit.service] : []),
      }
    : NOTHING;
  const colors = workloadColors(cluster);
  const cls = (ref: string, base: string) =>
    `${base}${selection === ref ? ' selected' : ''}${changed.has(ref) ? ' changed' : ''}`;
  const unscheduled = cluster.pods.filter((p) => p.node === null);
  // A client outside the cluster: drawn for a trace from outside, even when its first hop is a node's eth0.
  const client = places.find((p) => p.kind === 'external') ?? (fromOutside ? places[0] : undefined);
  const gateway = places.find((p) => p.viaGateway);
  // A dual-stack band names its family unless it is IPv4 in an IPv4-first cluster (the plain "routes").
  const named = cluster.cluster.ipFamily === 'dual' && (family === 'IPv6' || primaryFamily(cluster.cluster) === 'IPv6');
  const whose = `${named ? `${family} ` : ''}${routesOf === 'all' ? 'routes of all nodes' : `routes of ${whoseNode}`}`;
  const pod6 = cluster.cluster.podCIDRs?.[1];
  const onKey = (e: KeyboardEvent) => zoomKeys(e, zoomBy, fit);
  return (
    <div className="detail" onKeyDown={onKey}>
      <DiagramToolbar
        nodes={names}
        routesOf={routesOf}
        setRoutesOf={setRoutesOf}
        autoNode={routesOf === 'auto' ? whoseNode : null}
        zoomBy={zoomBy}
        fit={fit}
      />
      <div className="stage" ref={stageRef}>
        <svg
          ref={svgRef}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          style={{ height: size.height }}
          role="group"
          tabIndex={0}
          aria-label={`Cluster ${cluster.cluster.name}: drag to pan, Ctrl+wheel or + and - to zoom, 0 to fit`}
        >
          <defs>
            {['arrow', 'arrow-on'].map((id) => (
              <marker
                key={id}
                id={id}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="6"
                markerHeight="6"
                orient="auto-start-reverse"
              >
                <path d="M 0 0 L 10 5 L 0 10 z" className={id === 'arrow' ? 'arrowhead' : 'arrowhead on'} />
              </marker>
            ))}
          </defs>
          <g ref={viewportRef}>
            <g
              className="cluster-band"
              tabIndex={0}
              role="button"
              aria-label={`node network ${cluster.cluster.nodeSubnet} · PodCIDR ${cluster.cluster.podCIDR}${pod6 ? ` ${pod6}` : ''} · ${whose}: explain the cluster's ranges`}
              onClick={() => select('cluster')}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), select('cluster'))}
            >
              <rect
                className={cls('cluster', 'band')}
                x={layout.band.x}
                y={layout.band.y}
                width={layout.band.w}
                height={layout.band.h}
                rx={10}
              />
              <text className="band-label" x={layout.band.x + 16} y={layout.band.y + 30}>
                node network {cluster.cluster.nodeSubnet} · PodCIDR {cluster.cluster.podCIDR}
                {pod6 && <tspan className="secondary-ip"> {pod6}</tspan>}
                <tspan className="band-whose"> · {whose}</tspan>
              </text>
            </g>
            {layout.nodes.map((nb) => (
              <NodeView
                key={nb.node.name}
                nb={nb}
                layout={layout}
                cluster={cluster}
                colors={colors}
                involved={involved}
                cls={cls}
                selection={selection}
                select={select}
              />
            ))}
            <RoutesLayer layout={layout} inUse={inUse} whose={whose} />
            <OutsidePlaces
              layout={layout}
              index={index}
              client={client ? clientIp(client) : null}
              gateway={gateway ? { ip: gateway.viaGateway!, node: gateway.node!, line: gateway.routeLine! } : null}
              inUse={place?.viaGateway ? inUse : null}
              atClient={place?.kind === 'external'}
              routeName={routeName}
            />
            <ServicesLayer
              layout={layout}
              index={index}
              involved={involved}
              lightPod={lit.pod ?? null}
              cls={cls}
              selection={selection}
              select={select}
              unscheduled={{ count: unscheduled.length, reason: unscheduled[0]?.reason ?? '' }}
            />
            {place && chain.length > 0 && <Packet place={place} chain={chain} box={boxOf(layout, index, place)} />}
          </g>
        </svg>
      </div>
      <Legend cluster={cluster} colors={colors} />
    </div>
  );
}
