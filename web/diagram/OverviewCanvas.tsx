// Level of detail for big clusters: every node a tile on a canvas (5,000
// nodes would be tens of thousands of SVG elements), coloured by how full its
// PodCIDR is; zoom in and the tiles grow their name, PodCIDR and pod count.
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomTransform } from 'd3-zoom';
import { useEffect, useMemo, useRef, useState } from 'react';
import { podCidrCapacity } from '../../core/ipam/hostLocal';
import { podCount, podCountOn } from '../../core/store/podQueries';
import type { RealizedCluster } from '../../core/api/types';
import { podBySelection } from '../../core/trace/refs';
import { useExplorer } from '../state/store';

const TILE = 120;
const GAP = 12;

/** Fill shades from empty (blue) to full (orange); one more for "no PodCIDR" (red). */
const SHADES = 24;

interface Tile {
  x: number;
  y: number;
  name: string;
  pods: number;
  capacity: number;
  podCIDR: string | null;
  shade: number;
}

function shadeOf(pods: number, capacity: number, podCIDR: string | null): number {
  if (podCIDR === null) return SHADES;
  const use = capacity > 0 ? Math.min(1, pods / capacity) : 1;
  return Math.round(use * (SHADES - 1));
}

export function OverviewCanvas({ cluster }: { cluster: RealizedCluster }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [t, setT] = useState<ZoomTransform>(zoomIdentity);
  const selection = useExplorer((s) => s.selection);
  const select_ = useExplorer((s) => s.select);
  const cols = Math.ceil(Math.sqrt(cluster.nodes.length * 1.6));
  const tiles = useMemo<Tile[]>(
    () =>
      cluster.nodes.map((n, i) => {
        const pods = podCountOn(cluster, n.name);
        const capacity = Math.min(n.maxPods, podCidrCapacity(n.podCIDR));
        return {
          x: (i % cols) * (TILE + GAP),
          y: Math.floor(i / cols) * (TILE * 0.6 + GAP),
          name: n.name,
          pods,
          capacity,
          podCIDR: n.podCIDR,
          shade: shadeOf(pods, capacity, n.podCIDR),
        };
      }),
    [cluster, cols],
  );
  const worldW = cols * (TILE + GAP);
  const worldH = Math.ceil(cluster.nodes.length / cols) * (TILE * 0.6 + GAP);
  const selected = selection?.startsWith('node/')
    ? selection.slice(5)
    : selection?.startsWith('pod/')
      ? podBySelection(cluster, selection)?.node
      : undefined;

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const z = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, 60])
      .on('zoom', (e: { transform: ZoomTransform }) => setT(e.transform));
    const sel = select(el);
    sel.call(z);
    return () => void sel.on('.zoom', null);
  }, []);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const dpr = window.devicePixelRatio || 1;
    const w = el.clientWidth;
    const h = el.clientHeight;
    el.width = w * dpr;
    el.height = h * dpr;
    const ctx = el.getContext('2d')!;
    const css = getComputedStyle(el);
    const fit = Math.min(w / worldW, h / worldH);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.translate(t.x, t.y);
    ctx.scale(t.k * fit, t.k * fit);
    const scale = t.k * fit;
    const th = TILE * 0.6;
    // Only what is on screen is drawn in detail.
    const x0 = -t.x / scale - TILE;
    const y0 = -t.y / scale - th;
    const x1 = x0 + w / scale + TILE;
    const y1 = y0 + h / scale + th;
    const visible = (tile: Tile) => tile.x >= x0 && tile.x <= x1 && tile.y >= y0 && tile.y <= y1;
    // Tiles are filled colour by colour: one fillStyle per shade, not one parsed colour string per node.
    const light = css.getPropertyValue('--tile-l') || '55%';
    for (let shade = 0; shade <= SHADES; shade++) {
      ctx.fillStyle = shade === SHADES ? '#c92a2a' : `hsl(${210 - (shade / (SHADES - 1)) * 180} 70% ${light})`;
      for (const tile of tiles) if (tile.shade === shade && visible(tile)) ctx.fillRect(tile.x, tile.y, TILE, th);
    }
    const focus = tiles.find((tile) => tile.name === selected);
    if (focus) {
      ctx.lineWidth = (6 / Math.max(scale, 0.05)) * 0.5;
      ctx.strokeStyle = css.getPropertyValue('--focus');
      ctx.strokeRect(focus.x, focus.y, TILE, th);
    }
    // Zoomed in far enough to read: each tile on screen says what it is.
    if (scale * TILE > 90) {
      ctx.fillStyle = '#fff';
      for (const tile of tiles) {
        if (!visible(tile)) continue;
        ctx.font = '600 15px system-ui, sans-serif';
        ctx.fillText(tile.name, tile.x + 8, tile.y + 20, TILE - 16);
        ctx.font = '13px ui-monospace, monospace';
        ctx.fillText(tile.podCIDR ?? 'no PodCIDR', tile.x + 8, tile.y + 40, TILE - 16);
        ctx.fillText(`${tile.pods}/${tile.capacity} pods`, tile.x + 8, tile.y + 60, TILE - 16);
      }
    }
  }, [t, tiles, worldW, worldH, selected]);

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const el = canvas.current!;
    const r = el.getBoundingClientRect();
    const fit = Math.min(el.clientWidth / worldW, el.clientHeight / worldH);
    const [wx, wy] = t.invert([e.clientX - r.left, e.clientY - r.top]).map((v) => v / fit) as [number, number];
    const hit = tiles.find((tile) => wx >= tile.x && wx <= tile.x + TILE && wy >= tile.y && wy <= tile.y + TILE * 0.6);
    if (hit) select_(`node/${hit.name}`);
  };

  const pods = podCount(cluster);
  return (
    <canvas
      ref={canvas}
      className="overview"
      role="img"
      aria-label={`Overview of ${cluster.nodes.length.toLocaleString('en-US')} nodes and ${pods.toLocaleString('en-US')} pods, one tile per node coloured by how full its PodCIDR is; use Find to select a node, pod or address`}
      onClick={onClick}
    />
  );
}
