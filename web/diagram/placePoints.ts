// Where a hop's place is on the picture, and the way the packet travels between
// two places: up its chain of devices (pod eth0, veth, cni0, the host stack, eth0)
// to the node network and down the other side. Pictures only; the places come from hopPlace.
import type { Layout, NodeBox, PodBox } from './layout';
import type { HopPlace } from './hopPlace';
import type { Pt, Rect } from './nodeGeometry';

export interface Anchor {
  key: string;
  pt: Pt;
}

export interface PlaceIndex {
  nodes: Map<string, NodeBox>;
  pods: Map<string, { node: NodeBox; pod: PodBox }>;
}

export function placeIndex(l: Layout): PlaceIndex {
  return {
    nodes: new Map(l.nodes.map((b) => [b.node.name, b])),
    pods: new Map(l.nodes.flatMap((b) => b.pods.map((p) => [`${p.pod.namespace}/${p.pod.name}`, { node: b, pod: p }]))),
  };
}

const bandY = (l: Layout) => l.band.y + l.band.h / 2;

function hostChain(l: Layout, b: NodeBox, from: 'cni0' | 'stack' | 'eth0' | 'flannel'): Anchor[] {
  const n = b.node.name;
  const inside = (p: Pt) => ({ x: p.x, y: p.y + b.facing * 16 });
  const all: Anchor[] = [
    { key: `${n}:cni0`, pt: { x: b.eth0.x, y: b.bridge.y + b.bridge.h / 2 } },
    { key: `${n}:stack`, pt: { x: b.eth0.x, y: b.stack.y + b.stack.h / 2 } },
    { key: `${n}:eth0`, pt: inside(b.eth0) },
    { key: `${n}:band`, pt: { x: b.eth0.x, y: bandY(l) } },
  ];
  if (from === 'flannel') return [{ key: `${n}:flannel`, pt: inside(b.flannel) }, ...all.slice(1)];
  return all.slice(['cni0', 'stack', 'eth0'].indexOf(from));
}

/** The anchors from a place up to the node network, nearest first. */
export function chainOf(l: Layout, ix: PlaceIndex, p: HopPlace): Anchor[] {
  if (p.kind === 'external' || !p.node) {
    const c = l.client;
    return [
      { key: 'client', pt: { x: c.x + c.w / 2, y: c.y + c.h / 2 } },
      { key: 'client:band', pt: { x: c.x + c.w, y: bandY(l) } },
    ];
  }
  const b = ix.nodes.get(p.node);
  if (!b) return [];
  const host = (from: 'cni0' | 'stack' | 'eth0' | 'flannel') => hostChain(l, b, from);
  const pb = p.pod ? ix.pods.get(p.pod) : undefined;
  if ((p.kind === 'pod' || p.kind === 'veth') && pb) {
    const y = pb.pod.bus.y;
    const pod = `${p.node}:pod:${p.pod}`;
    const onVeth: Anchor[] = [
      { key: `${pod}:veth`, pt: { x: (b.busX + pb.pod.x) / 2, y } },
      { key: `${pod}:bus`, pt: { x: b.busX, y } },
      { key: `${p.node}:bustop`, pt: { x: b.busX, y: b.bridge.y + b.bridge.h / 2 } },
      ...host('cni0'),
    ];
    return p.kind === 'pod' ? [{ key: pod, pt: { x: pb.pod.x + 16, y } }, ...onVeth] : onVeth;
  }
  if (p.kind === 'pod' || p.kind === 'veth' || p.kind === 'cni0') return host('cni0');
  return host(p.kind === 'flannel' ? 'flannel' : p.kind === 'eth0' ? 'eth0' : 'stack');
}

/** The polyline from one place to another: up to where their chains meet, then down. */
export function travel(from: Anchor[], to: Anchor[]): Pt[] {
  const keys = new Map(to.map((a, j) => [a.key, j]));
  const i = from.findIndex((a) => keys.has(a.key));
  if (i >= 0) return [...from.slice(0, i + 1), ...to.slice(0, keys.get(a(from, i))!).reverse()].map((x) => x.pt);
  return [...from, ...[...to].reverse()].map((x) => x.pt);
}
const a = (xs: Anchor[], i: number) => xs[i]!.key;

/** The box the envelope is kept inside at a place: the hop's node, else the outside. */
export function boxOf(l: Layout, ix: PlaceIndex, p: HopPlace): Rect {
  const b = p.node ? ix.nodes.get(p.node) : undefined;
  return b ?? { x: l.band.x, y: l.band.y, w: l.band.w, h: l.band.h };
}
