// Geometry only: where each node box, bridge, pod and Service goes. No
// networking facts are computed here; every label comes from the realized cluster.
import type { RealizedCluster, RealizedNode, RealizedPod, RealizedService } from '../../core/api/types';

export const NODE_W = 340;
export const NODE_GAP = 48;
export const ROW_GAP = 150;
export const POD_H = 44;
export const POD_GAP = 8;
export const HEADER_H = 128;
export const BAND_H = 56;
export const ROUTE_GAP = 150;
export const SVC_W = 250;
export const SVC_H = 58;
export const SVC_GAP = 24;
/** Pods drawn per node before "+N more" (the inspector lists all). */
export const MAX_PODS_DRAWN = 10;
/** Services drawn in the Service layer before "+N more". */
export const MAX_SERVICES_DRAWN = 12;

export interface PodBox {
  pod: RealizedPod;
  x: number;
  y: number;
  w: number;
}

export interface NodeBox {
  node: RealizedNode;
  x: number;
  y: number;
  w: number;
  h: number;
  bridgeY: number;
  pods: PodBox[];
  hidden: number;
}

export interface ServiceBox {
  service: RealizedService;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  width: number;
  height: number;
  band: { x: number; y: number; w: number; h: number };
  nodes: NodeBox[];
  services: { y: number; boxes: ServiceBox[]; hidden: number };
}

/** Nodes per row: two side by side as in the talk, then a squarish grid so text stays large. */
export function columnsFor(n: number): number {
  if (n <= 2) return Math.max(1, n);
  if (n <= 4) return 2;
  return Math.min(8, Math.ceil(Math.sqrt(n)));
}

export function layoutCluster(c: RealizedCluster): Layout {
  const margin = 24;
  // Room between the band and the first row for the route arcs.
  const top = margin + BAND_H + ROUTE_GAP;
  const cols = columnsFor(c.nodes.length);
  const heights = c.nodes.map((node) => {
    const shown = Math.min(node.pods.length, MAX_PODS_DRAWN);
    return HEADER_H + 56 + shown * (POD_H + POD_GAP) + (node.pods.length > shown ? 32 : 0) + 16;
  });
  const rowTop: number[] = [];
  let y = top;
  for (let r = 0; r * cols < c.nodes.length; r++) {
    rowTop.push(y);
    y += Math.max(...heights.slice(r * cols, (r + 1) * cols)) + ROW_GAP;
  }
  const nodes: NodeBox[] = c.nodes.map((node, i) => {
    const x = margin + (i % cols) * (NODE_W + NODE_GAP);
    const ny = rowTop[Math.floor(i / cols)]!;
    const shown = node.pods.slice(0, MAX_PODS_DRAWN);
    const bridgeY = ny + HEADER_H;
    const podTop = bridgeY + 56;
    const pods = shown.map((pod, j) => ({ pod, x: x + 20, y: podTop + j * (POD_H + POD_GAP), w: NODE_W - 40 }));
    return { node, x, y: ny, w: NODE_W, h: heights[i]!, bridgeY, pods, hidden: node.pods.length - shown.length };
  });
  const width = Math.max(margin * 2 + cols * (NODE_W + NODE_GAP) - NODE_GAP, 600);
  // The Service layer: virtual IPs below the nodes, in rows that fit the width.
  const svcTop = y - ROW_GAP + 90;
  const perRow = Math.max(1, Math.floor((width - margin * 2 + SVC_GAP) / (SVC_W + SVC_GAP)));
  const drawn = c.services.filter((s) => s.clusterIP !== null || s.headless).slice(0, MAX_SERVICES_DRAWN);
  const boxes = drawn.map((service, i) => ({
    service,
    x: margin + (i % perRow) * (SVC_W + SVC_GAP),
    y: svcTop + 40 + Math.floor(i / perRow) * (SVC_H + SVC_GAP),
    w: SVC_W,
    h: SVC_H,
  }));
  const svcRows = Math.ceil(drawn.length / perRow);
  const height = svcTop + 40 + svcRows * (SVC_H + SVC_GAP) + (c.services.length > drawn.length ? 30 : 0) + margin;
  return {
    width,
    height,
    band: { x: margin, y: margin, w: width - margin * 2, h: BAND_H },
    nodes,
    services: { y: svcTop, boxes, hidden: c.services.length - drawn.length },
  };
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

/** An arc from one node's top to another's, peaking `lift` above the higher of the two (for a route). */
export function routeArc(from: NodeBox, to: NodeBox, lift: number): { d: string; labelX: number; labelY: number } {
  const x1 = from.x + from.w * 0.62;
  const x2 = to.x + to.w * 0.38;
  const y1 = from.y;
  const y2 = to.y;
  const peak = Math.min(y1, y2) - lift;
  return {
    d: `M ${x1} ${y1} C ${x1} ${peak}, ${x2} ${peak}, ${x2} ${y2}`,
    labelX: (x1 + x2) / 2,
    labelY: peak + lift * 0.25 - 6,
  };
}

/** A dashed edge from a Service box up to an endpoint pod's right edge. */
export function serviceEdge(svc: ServiceBox, pod: PodBox): string {
  const x1 = svc.x + svc.w / 2;
  const y1 = svc.y;
  const x2 = pod.x + pod.w;
  const y2 = pod.y + POD_H / 2;
  return `M ${x1} ${y1} C ${x1} ${y1 - 80}, ${x2 + 60} ${y2}, ${x2} ${y2}`;
}
