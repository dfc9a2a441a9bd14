// Geometry only: where each node box, bridge and pod goes. No networking facts
// are computed here; every label comes from the realized cluster.
import type { RealizedCluster, RealizedNode, RealizedPod } from '../../core/model/types';

export const NODE_W = 340;
export const NODE_GAP = 48;
export const POD_H = 44;
export const POD_GAP = 8;
export const HEADER_H = 128;
export const BAND_H = 56;
export const ROUTE_GAP = 150;
/** Pods drawn per node before "+N more" (the inspector lists all). */
export const MAX_PODS_DRAWN = 10;

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

export interface Layout {
  width: number;
  height: number;
  band: { x: number; y: number; w: number; h: number };
  nodes: NodeBox[];
}

export function layoutCluster(c: RealizedCluster): Layout {
  const margin = 24;
  // Room between the band and the nodes for the route arcs.
  const top = margin + BAND_H + ROUTE_GAP;
  const nodes: NodeBox[] = c.nodes.map((node, i) => {
    const x = margin + i * (NODE_W + NODE_GAP);
    const shown = node.pods.slice(0, MAX_PODS_DRAWN);
    const bridgeY = top + HEADER_H;
    const podTop = bridgeY + 56;
    const pods = shown.map((pod, j) => ({ pod, x: x + 20, y: podTop + j * (POD_H + POD_GAP), w: NODE_W - 40 }));
    const hidden = node.pods.length - shown.length;
    const h = podTop - top + shown.length * (POD_H + POD_GAP) + (hidden > 0 ? 32 : 0) + 16;
    return { node, x, y: top, w: NODE_W, h, bridgeY, pods, hidden };
  });
  const width = Math.max(margin * 2 + nodes.length * (NODE_W + NODE_GAP) - NODE_GAP, 600);
  const height = Math.max(...nodes.map((n) => n.y + n.h), top + 200) + margin;
  return { width, height, band: { x: margin, y: margin, w: width - margin * 2, h: BAND_H }, nodes };
}

/** A stable colour per workload (by first appearance), from a palette readable on light and dark. */
const PALETTE = ['#2f6fdf', '#d9480f', '#2b8a3e', '#9c36b5', '#c2255c', '#0b7285', '#e67700', '#5c940d', '#364fc7', '#a61e4d'];

export function workloadColors(c: RealizedCluster): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of c.pods) {
    const k = p.owner ?? `Pod/${p.namespace}/${p.name}`;
    if (!m.has(k)) m.set(k, PALETTE[m.size % PALETTE.length]!);
  }
  return m;
}

/** An arc from one node's top to another's, peaking `lift` above the node row (for a route). */
export function routeArc(from: NodeBox, to: NodeBox, lift: number): { d: string; labelX: number; labelY: number } {
  const x1 = from.x + from.w * 0.62;
  const x2 = to.x + to.w * 0.38;
  const y = from.y;
  const peak = y - lift;
  return { d: `M ${x1} ${y} C ${x1} ${peak}, ${x2} ${peak}, ${x2} ${y}`, labelX: (x1 + x2) / 2, labelY: y - lift * 0.75 - 6 };
}
