// The overview's tiles: where each node's tile is, which tile is where, and how the canvas is painted.
// Pictures only; pod counts and capacities come from core.
import type { ZoomTransform } from 'd3-zoom';
import { podCidrCapacity } from '../../core/ipam/hostLocal';
import { podCountOn } from '../../core/store/podQueries';
import type { RealizedCluster } from '../../core/api/types';

export const TILE = 120;
export const TILE_H = TILE * 0.6;
const GAP = 12;
/** Fill shades from empty (blue) to full (orange); one more for "no PodCIDR" (red). */
const SHADES = 24;

export interface Tile {
  x: number;
  y: number;
  name: string;
  pods: number;
  capacity: number;
  podCIDR: string | null;
  shade: number;
}

export interface Tiles {
  tiles: Tile[];
  byName: Map<string, Tile>;
  cols: number;
  width: number;
  height: number;
}

function shadeOf(pods: number, capacity: number, podCIDR: string | null): number {
  if (podCIDR === null) return SHADES;
  const use = capacity > 0 ? Math.min(1, pods / capacity) : 1;
  return Math.round(use * (SHADES - 1));
}

export function tilesOf(cluster: RealizedCluster): Tiles {
  const cols = Math.ceil(Math.sqrt(cluster.nodes.length * 1.6));
  const tiles = cluster.nodes.map((n, i) => {
    const pods = podCountOn(cluster, n.name);
    const capacity = Math.min(n.maxPods, podCidrCapacity(n.podCIDR));
    return {
      x: (i % cols) * (TILE + GAP),
      y: Math.floor(i / cols) * (TILE_H + GAP),
      name: n.name,
      pods,
      capacity,
      podCIDR: n.podCIDR,
      shade: shadeOf(pods, capacity, n.podCIDR),
    };
  });
  return {
    tiles,
    byName: new Map(tiles.map((t) => [t.name, t])),
    cols,
    width: cols * (TILE + GAP),
    height: Math.ceil(cluster.nodes.length / cols) * (TILE_H + GAP),
  };
}

/** The tile under a point of the world (unscaled tile coordinates), if any. */
export function tileAt(ts: Tiles, wx: number, wy: number): Tile | undefined {
  const col = Math.floor(wx / (TILE + GAP));
  const row = Math.floor(wy / (TILE_H + GAP));
  if (col < 0 || col >= ts.cols || row < 0) return undefined;
  const t = ts.tiles[row * ts.cols + col];
  return t && wx <= t.x + TILE && wy <= t.y + TILE_H ? t : undefined;
}

/** The tile nearest a point of the world. */
export function nearestTile(ts: Tiles, wx: number, wy: number): Tile | undefined {
  const col = Math.max(0, Math.min(ts.cols - 1, Math.floor(wx / (TILE + GAP))));
  const rows = Math.ceil(ts.tiles.length / ts.cols);
  const row = Math.max(0, Math.min(rows - 1, Math.floor(wy / (TILE_H + GAP))));
  return ts.tiles[Math.min(ts.tiles.length - 1, row * ts.cols + col)];
}

export interface Paint {
  t: ZoomTransform;
  /** World units to CSS pixels at zoom 1: the whole cluster fits. */
  fit: number;
  w: number;
  h: number;
  selected: string | undefined;
  /** The nodes a trace passes, in the order it passes them. */
  marked: string[];
  css: CSSStyleDeclaration;
}

export function paintOverview(ctx: CanvasRenderingContext2D, ts: Tiles, p: Paint): void {
  const { t, fit, w, h, css } = p;
  ctx.clearRect(0, 0, w, h);
  ctx.translate(t.x, t.y);
  const scale = t.k * fit;
  ctx.scale(scale, scale);
  // Only what is on screen is drawn.
  const x0 = -t.x / scale - TILE;
  const y0 = -t.y / scale - TILE_H;
  const x1 = x0 + w / scale + TILE;
  const y1 = y0 + h / scale + TILE_H;
  const visible = (tile: Tile) => tile.x >= x0 && tile.x <= x1 && tile.y >= y0 && tile.y <= y1;
  // Tiles are filled colour by colour: one fillStyle per shade, not one parsed colour string per node.
  const light = css.getPropertyValue('--tile-l') || '55%';
  for (let shade = 0; shade <= SHADES; shade++) {
    ctx.fillStyle = shade === SHADES ? '#c92a2a' : `hsl(${210 - (shade / (SHADES - 1)) * 180} 70% ${light})`;
    for (const tile of ts.tiles) if (tile.shade === shade && visible(tile)) ctx.fillRect(tile.x, tile.y, TILE, TILE_H);
  }
  const px = 1 / Math.max(scale, 0.02);
  // The trace's nodes: a thick ring in the hop colour and a disc with the order they are passed in.
  const hop = css.getPropertyValue('--hop').trim() || '#e8590c';
  p.marked.forEach((name, i) => {
    const tile = ts.byName.get(name);
    if (!tile) return;
    ctx.lineWidth = Math.max(6 * px, 4);
    ctx.strokeStyle = hop;
    ctx.strokeRect(tile.x, tile.y, TILE, TILE_H);
    const r = Math.max(14, 9 * px);
    ctx.fillStyle = hop;
    ctx.beginPath();
    ctx.arc(tile.x + TILE - r, tile.y + r, r, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = '#fff';
    ctx.font = `700 ${Math.round(r * 1.2)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.fillText(String(i + 1), tile.x + TILE - r, tile.y + r * 1.4);
    ctx.textAlign = 'start';
  });
  const focus = p.selected ? ts.byName.get(p.selected) : undefined;
  if (focus) {
    ctx.lineWidth = 3 * px;
    ctx.strokeStyle = css.getPropertyValue('--focus');
    ctx.strokeRect(focus.x, focus.y, TILE, TILE_H);
  }
  // Zoomed in far enough to read: each tile on screen says what it is.
  if (scale * TILE > 90) {
    ctx.fillStyle = '#fff';
    for (const tile of ts.tiles) {
      if (!visible(tile)) continue;
      ctx.font = '600 15px system-ui, sans-serif';
      ctx.fillText(tile.name, tile.x + 8, tile.y + 20, TILE - 40);
      ctx.font = '13px ui-monospace, monospace';
      ctx.fillText(tile.podCIDR ?? 'no PodCIDR', tile.x + 8, tile.y + 40, TILE - 16);
      ctx.fillText(`${tile.pods}/${tile.capacity} pods`, tile.x + 8, tile.y + 60, TILE - 16);
    }
  }
}
