// Geometry of one node box: its eth0 port faces the node network, then the
// header, the host's routing/netfilter strip, the cni0 bridge and the pods on
// the bridge's bus. A node above the band is drawn mirrored, so every eth0 faces it.
import type { RealizedNode, RealizedPod } from '../../core/api/types';

export interface Pt {
  x: number;
  y: number;
}
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const NODE_W = 360;
export const NODE_GAP = 56;
export const POD_H = 44;
export const POD_GAP = 8;
/** Pods drawn per node before "+N more" (the inspector lists all). */
export const MAX_PODS_DRAWN = 8;
const HEADER_TOP = 18;
const HEADER_H = 104;
const STACK_H = 28;
const BRIDGE_H = 32;
const PODS_TOP = 218;
const MORE_H = 28;
const BOTTOM = 14;
export const PORT_W = 64;
export const PORT_H = 24;
/** A dual-stack node's header holds two more lines: the IPv6 node IP and the IPv6 PodCIDR. */
export const DUAL_HEADER_EXTRA = 38;

export interface PodBox extends Rect {
  pod: RealizedPod;
  /** Where the pod's veth meets the bridge's bus. */
  bus: Pt;
}

export interface NodeBox extends Rect {
  node: RealizedNode;
  /** 1: the node network is above the box; -1: below it (the box is mirrored). */
  facing: 1 | -1;
  /** Centre of the eth0 port, on the edge that faces the node network. */
  eth0: Pt;
  /** Centre of the flannel.1 port beside eth0 (drawn only with the VXLAN CNI). */
  flannel: Pt;
  /** Top of the header lines (four, or six in a dual-stack cluster). */
  headerY: number;
  headerH: number;
  stack: Rect;
  bridge: Rect;
  busX: number;
  busEnd: number;
  pods: PodBox[];
  hidden: number;
  /** Baseline of the "+N more pods" line. */
  moreY: number;
}

/** `extra`: DUAL_HEADER_EXTRA in a dual-stack cluster, else 0. */
export function nodeHeight(podCount: number, extra = 0): number {
  const shown = Math.min(podCount, MAX_PODS_DRAWN);
  return PODS_TOP + extra + shown * (POD_H + POD_GAP) + (podCount > shown ? MORE_H : 0) + BOTTOM;
}

/** A node box whose edge facing the band is at `edge` (top edge when facing 1, bottom edge when -1). */
export function nodeBox(node: RealizedNode, x: number, edge: number, facing: 1 | -1, h: number, extra = 0): NodeBox {
  const podsTop = PODS_TOP + extra;
  // An element `o` px from the band-facing edge, `size` tall: its top y.
  const at = (o: number, size: number) => (facing === 1 ? edge + o : edge - o - size);
  const y = facing === 1 ? edge : edge - h;
  const shown = node.pods.slice(0, MAX_PODS_DRAWN);
  const busX = x + 28;
  const pods: PodBox[] = shown.map((pod, j) => {
    const py = at(podsTop + j * (POD_H + POD_GAP), POD_H);
    return { pod, x: x + 52, y: py, w: NODE_W - 68, h: POD_H, bus: { x: busX, y: py + POD_H / 2 } };
  });
  const bridge = { x: x + 14, y: at(podsTop - 14 - BRIDGE_H, BRIDGE_H), w: NODE_W - 28, h: BRIDGE_H };
  const bridgeEdge = facing === 1 ? bridge.y + bridge.h : bridge.y;
  const lastPod = pods[pods.length - 1];
  const hidden = node.pods.length - shown.length;
  return {
    node,
    x,
    y,
    w: NODE_W,
    h,
    facing,
    eth0: { x: x + NODE_W / 2, y: edge },
    flannel: { x: x + NODE_W / 2 + PORT_W + 34, y: edge },
    headerY: at(HEADER_TOP, HEADER_H + extra),
    headerH: HEADER_H + extra,
    stack: { x: x + 14, y: at(HEADER_TOP + HEADER_H + extra + 8, STACK_H), w: NODE_W - 28, h: STACK_H },
    bridge,
    busX,
    busEnd: lastPod ? lastPod.bus.y : bridgeEdge,
    pods,
    hidden,
    moreY: hidden > 0 ? at(podsTop + shown.length * (POD_H + POD_GAP), MORE_H) + 20 : 0,
  };
}
