// Route arcs inside the node-network band: each route leaves its node's eth0,
// runs along a lane and lands, arrow first, on the eth0 of the node it points at.
// Lanes are packed like intervals so no two labels, or a label and an arc, share space.
import type { Pt } from './nodeGeometry';

/** One route line a node holds, towards another node's PodCIDR (from core's cniRoutesByNode). */
export interface DrawnRoute {
  node: string;
  to: string;
  line: string;
}

export interface RouteArc {
  route: DrawnRoute;
  lane: number;
  d: string;
  labelX: number;
  labelY: number;
  anchor: 'start' | 'end';
}

export const LANE_H = 26;
export const ROUTE_FONT = 14;
/** A monospace character's width at ROUTE_FONT, for placing labels before the browser measures them. */
export const CHAR_W = ROUTE_FONT * 0.62;
const TRUNK = 7;
export const LABEL_OFF = TRUNK + 10;

interface Span {
  left: number;
  right: number;
}

function ends(r: DrawnRoute, eth0: Map<string, Pt>): { xs: number; xd: number; span: Span } | null {
  const a = eth0.get(r.node);
  const b = eth0.get(r.to);
  if (!a || !b) return null;
  const xs = a.x - TRUNK;
  const xd = b.x + TRUNK;
  const w = r.line.length * CHAR_W;
  // A label starts past both trunks at its node (leaving at x - TRUNK, arriving at x + TRUNK).
  const label =
    xd >= xs ? { left: a.x + LABEL_OFF, right: a.x + LABEL_OFF + w } : { left: xs - 10 - w, right: xs - 10 };
  return {
    xs,
    xd,
    span: { left: Math.min(xs, xd, label.left) - 8, right: Math.max(xs, xd, label.right) + 8 },
  };
}

/** Lane per route: first-fit over spans sorted by their left end (interval partitioning). */
export function packLanes(routes: DrawnRoute[], eth0: Map<string, Pt>): number[] {
  const spans = routes.map((r) => ends(r, eth0)?.span ?? { left: 0, right: 0 });
  const order = spans.map((_, i) => i).sort((i, j) => spans[i]!.left - spans[j]!.left);
  const laneEnd: number[] = [];
  const lane: number[] = new Array<number>(routes.length).fill(0);
  for (const i of order) {
    let l = laneEnd.findIndex((end) => end <= spans[i]!.left);
    if (l < 0) l = laneEnd.push(0) - 1;
    laneEnd[l] = spans[i]!.right;
    lane[i] = l;
  }
  return lane;
}

/** A route's arc: up (or down) its node's trunk to the lane, along it, and into the peer's eth0. */
export function routeArc(
  r: DrawnRoute,
  lane: number,
  laneY: number,
  eth0: Map<string, Pt>,
  portH: number,
): RouteArc | null {
  const e = ends(r, eth0);
  if (!e) return null;
  const a = eth0.get(r.node)!;
  const b = eth0.get(r.to)!;
  // Start and end just outside the ports, on the band's side.
  const ys = a.y + (a.y > laneY ? -portH / 2 : portH / 2);
  const yd = b.y + (b.y > laneY ? -portH / 2 : portH / 2);
  const k = 8;
  const sy = Math.sign(laneY - ys) || 1;
  const dy = Math.sign(yd - laneY) || 1;
  const sx = Math.sign(e.xd - e.xs) || 1;
  const d = [
    `M ${e.xs} ${ys}`,
    `V ${laneY - sy * k}`,
    `Q ${e.xs} ${laneY} ${e.xs + sx * k} ${laneY}`,
    `H ${e.xd - sx * k}`,
    `Q ${e.xd} ${laneY} ${e.xd} ${laneY + dy * k}`,
    `V ${yd}`,
  ].join(' ');
  const right = e.xd >= e.xs;
  return {
    route: r,
    lane,
    d,
    labelX: right ? a.x + LABEL_OFF : e.xs - 10,
    labelY: laneY - 5,
    anchor: right ? 'start' : 'end',
  };
}
