// Geometry only: where the node network, each node, the Services and the route
// lanes go. No networking facts are computed here; every label comes from the
// realized cluster or core's routes. The arrangement is chosen to fit the stage's aspect ratio.
import type { RealizedCluster, RealizedService } from '../../core/api/types';
import {
  DUAL_HEADER_EXTRA,
  NODE_GAP,
  NODE_W,
  nodeBox,
  nodeHeight,
  POD_H,
  type NodeBox,
  type Pt,
  type Rect,
} from './nodeGeometry';
import { CHAR_W, LABEL_OFF, LANE_H, packLanes, routeArc, type DrawnRoute, type RouteArc } from './routeLanes';
import { PORT_H } from './nodeGeometry';
import { CORRIDOR, routeTables, tablesHeight, type RouteTable } from './routeTables';

export { POD_H, type NodeBox, type PodBox } from './nodeGeometry';

const MARGIN = 24;
/** Between the band and a row of nodes: the uplinks. */
const UPLINK = 56;
const BAND_LABEL = 46;
const PLACE_H = 34;
export const SVC_W = 320;
export const SVC_H = 58;
const SVC_H_DUAL = 76;
const SVC_GAP = 14;
const SVC_SIDE = 90;
/** Services drawn in the Service layer before "+N more". */
export const MAX_SERVICES_DRAWN = 10;

export interface ServiceBox extends Rect {
  service: RealizedService;
}

export interface Layout {
  width: number;
  height: number;
  band: Rect;
  /** Between two node boxes in a row. */
  gap: number;
  nodes: NodeBox[];
  rows: number;
  /** Per row: the y just outside its far edge, where Service edges run. */
  rowOuter: number[];
  routes: RouteArc[];
  /** With many nodes' routes on, each node's routes as a table in the band; `routes` then holds arcs drawn only in use. */
  tables: RouteTable[] | null;
  services: { side: 'right' | 'below'; x: number; y: number; boxes: ServiceBox[]; hidden: number };
  /** Where unscheduled pods are counted. */
  pending: Rect;
  /** Places outside the cluster, drawn when a trace uses them. */
  client: Rect;
  gateway: Rect;
}

export interface LayoutInput {
  /** Width over height of the area the diagram is shown in. */
  aspect: number;
  routes: DrawnRoute[];
  /** Lanes kept free even if fewer routes are drawn now, so stepping a trace never moves the nodes. */
  reserveLanes: number;
  /** Draw the routes as one table per node rather than as arcs in lanes. */
  tables?: boolean;
}

function arrange(c: RealizedCluster, rows: 1 | 2, side: 'right' | 'below', input: LayoutInput): Layout {
  const n = c.nodes.length;
  const cols = Math.max(1, Math.ceil(n / rows));
  const extra = c.cluster.ipFamily === 'dual' ? DUAL_HEADER_EXTRA : 0;
  const heights = c.nodes.map((x) => nodeHeight(x.pods.length, extra));
  const rowH = (r: number) => Math.max(0, ...heights.slice(r * cols, (r + 1) * cols));
  // Wide enough between nodes that a route label never reaches the next node's trunk.
  const tabled = input.tables === true;
  const longest = tabled ? 0 : Math.max(0, ...input.routes.map((r) => r.line.length));
  const gap = Math.max(NODE_GAP, Math.ceil(longest * CHAR_W + LABEL_OFF * 2 + 12 - NODE_W));
  const nodesW = cols * NODE_W + (cols - 1) * gap;
  const xOf = (i: number) => MARGIN + (i % cols) * (NODE_W + gap);
  const eth0 = new Map<string, Pt>(c.nodes.map((x, i) => [x.name, { x: xOf(i) + NODE_W / 2, y: 0 }]));
  const lanes = tabled ? input.routes.map(() => 0) : packLanes(input.routes, eth0);
  const laneCount = Math.max(input.reserveLanes, 0, ...lanes.map((l) => l + 1));
  const tableH = tabled ? tablesHeight(input.routes) : 0;
  const bandH = tabled
    ? BAND_LABEL + CORRIDOR + tableH * rows + 10
    : BAND_LABEL + Math.max(laneCount * LANE_H, PLACE_H + 6) + 10;
  // Two rows: the first above the band (mirrored), the second below, so every node has its own uplink.
  const bandY = rows === 2 ? MARGIN + rowH(0) + UPLINK : MARGIN;
  const band = { x: MARGIN, y: bandY, w: nodesW, h: bandH };
  const nodes = c.nodes.map((node, i) => {
    const r = Math.floor(i / cols);
    const above = rows === 2 && r === 0;
    return nodeBox(node, xOf(i), above ? bandY - UPLINK : bandY + bandH + UPLINK, above ? -1 : 1, heights[i]!, extra);
  });
  for (const b of nodes) eth0.set(b.node.name, b.eth0);
  // Tables: [label][upper row's tables][corridor][lower row's tables]; one row: [label][corridor][tables].
  const corridorY = bandY + BAND_LABEL + (rows === 2 ? tableH : 0) + CORRIDOR / 2;
  const laneY = (l: number) => (tabled ? corridorY : bandY + BAND_LABEL + (l + 1) * LANE_H - 6);
  const column = new Map(nodes.map((b) => [b.node.name, b]));
  const tables = tabled
    ? routeTables(
        input.routes,
        (n) => column.get(n),
        (n) =>
          rows === 2 && column.get(n)!.facing === -1
            ? bandY + BAND_LABEL
            : bandY + BAND_LABEL + CORRIDOR + (rows === 2 ? tableH : 0),
      )
    : null;
  const placeY = tabled ? corridorY - PLACE_H / 2 : bandY + bandH - PLACE_H - 8;
  const routes = input.routes
    .map((r, i) => routeArc(r, lanes[i]!, laneY(lanes[i]!), eth0, PORT_H))
    .filter((a): a is RouteArc => a !== null);
  const rowOuter = Array.from({ length: rows }, (_, r) =>
    rows === 2 && r === 0 ? MARGIN - 12 : bandY + bandH + UPLINK + rowH(r) + 16,
  );
  const nodesBottom = rows === 2 ? bandY + bandH + UPLINK + rowH(1) : bandY + bandH + UPLINK + rowH(0);
  // A dual-stack Service pill has a third line: its IPv6 ClusterIP.
  const svcH = c.cluster.ipFamily === 'dual' ? SVC_H_DUAL : SVC_H;
  const drawn = c.services.filter((s) => s.clusterIP !== null || s.headless).slice(0, MAX_SERVICES_DRAWN);
  const boxes: ServiceBox[] = [];
  let sx: number;
  let sy: number;
  let bottom: number;
  let right: number;
  let pending: Rect;
  if (side === 'right') {
    sx = MARGIN + nodesW + SVC_SIDE;
    sy = MARGIN;
    const perCol = Math.max(4, Math.ceil((drawn.length + 1) / 2));
    drawn.forEach((service, i) => {
      const col = Math.floor(i / perCol);
      const row = i % perCol;
      boxes.push({
        service,
        x: sx + col * (SVC_W + SVC_GAP),
        y: sy + 58 + row * (svcH + SVC_GAP),
        w: SVC_W,
        h: svcH,
      });
    });
    // "Pending: N" goes under the first column's last Service.
    const used = Math.min(drawn.length, perCol);
    pending = { x: sx, y: sy + 58 + used * (svcH + SVC_GAP), w: SVC_W, h: SVC_H };
    bottom = Math.max(nodesBottom, pending.y + SVC_H);
    right = sx + (drawn.length > perCol ? 2 : 1) * (SVC_W + SVC_GAP);
  } else {
    sx = MARGIN;
    sy = nodesBottom + 60;
    const perRow = Math.max(1, Math.floor((Math.max(nodesW, SVC_W) + SVC_GAP) / (SVC_W + SVC_GAP)));
    const at = (i: number) => ({
      x: sx + (i % perRow) * (SVC_W + SVC_GAP),
      y: sy + 58 + Math.floor(i / perRow) * (svcH + SVC_GAP),
      w: SVC_W,
      h: svcH,
    });
    drawn.forEach((service, i) => boxes.push({ service, ...at(i) }));
    pending = { ...at(drawn.length), h: SVC_H };
    bottom = pending.y + SVC_H;
    right = MARGIN + Math.max(nodesW, Math.min(drawn.length + 1, perRow) * (SVC_W + SVC_GAP));
  }
  const height = bottom + MARGIN + 12;
  return {
    width: Math.max(right + MARGIN, 640),
    height,
    band,
    gap,
    nodes,
    rows,
    rowOuter,
    routes,
    tables,
    services: { side, x: sx, y: sy, boxes, hidden: c.services.length - drawn.length },
    pending,
    client: { x: band.x + 10, y: placeY, w: 150, h: PLACE_H },
    gateway: { x: band.x + band.w - 170, y: placeY, w: 160, h: PLACE_H },
  };
}

/** How large the diagram would be drawn in an area of this aspect ratio (relative; bigger is better). */
const fitScore = (l: Layout, aspect: number) => Math.min(aspect / l.width, 1 / l.height);

/** Of one or two rows of nodes, with the Services beside or below them, the arrangement drawn largest. */
export function layoutCluster(c: RealizedCluster, input: LayoutInput): Layout {
  let best: Layout | null = null;
  for (const rows of c.nodes.length >= 2 ? ([1, 2] as const) : ([1] as const))
    for (const side of ['right', 'below'] as const) {
      const l = arrange(c, rows, side, input);
      // A second row has to be clearly better: one row reads left to right like the talk's slides.
      const bonus = rows === 2 ? 1.08 : 1;
      if (!best || fitScore(l, input.aspect) > fitScore(best, input.aspect) * (best.rows === 1 ? bonus : 1)) best = l;
    }
  return best!;
}

/**
 * A Service's edge to an endpoint pod, kept out of node boxes and pills: from the pill's left end
 * into the gap beside its column, along the gaps to the row's far edge, down the gutter right of
 * the pod's node, to the pod.
 */
export function serviceEdge(l: Layout, svc: ServiceBox, node: NodeBox, podY: number, podRight: number): string {
  const row = node.facing === -1 ? 0 : l.rows - 1;
  const outer = l.rowOuter[row]!;
  const gutter = node.x + node.w + l.gap / 2;
  const y = podY + POD_H / 2;
  const cy = svc.y + svc.h / 2;
  const aside = svc.x - SVC_GAP / 2;
  const toPod = `H ${gutter} V ${y} H ${podRight}`;
  if (l.services.side === 'right') {
    const lastGutter = l.services.x - (l.services.x - (l.band.x + l.band.w)) / 2;
    // A pill in a later column crosses the first column in the gap above its own row.
    const out = svc.x > l.services.x ? `H ${aside} V ${svc.y - SVC_GAP / 2} H ${lastGutter}` : `H ${lastGutter}`;
    return `M ${svc.x} ${cy} ${out} V ${outer} ${toPod}`;
  }
  const bottom = l.services.y - 20;
  // A node above the band is reached round the left of the band, along the top.
  const around = row === 0 && l.rows === 2 ? ` H ${MARGIN / 2} V ${outer}` : '';
  return `M ${svc.x} ${cy} H ${aside} V ${bottom}${around} ${toPod}`;
}

/** A stable colour per workload (by first appearance), from a palette readable on light and dark. */
const PALETTE = [
  '#2f6fdf',
  '#d9480f',
  '#2b8a3e',
  '#9c36b5',
  '#c2255c',
  '#0b7285',
  '#e67700',
  '#5c940d',
  '#364fc7',
  '#a61e4d',
];

export function workloadColors(c: RealizedCluster): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of c.pods) {
    const k = p.owner ?? `Pod/${p.namespace}/${p.name}`;
    if (!m.has(k)) m.set(k, PALETTE[m.size % PALETTE.length]!);
  }
  return m;
}
