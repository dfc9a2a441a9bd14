// Level of detail for big clusters: every node a tile on a canvas (5,000
// nodes would be tens of thousands of SVG elements), coloured by how full its
// PodCIDR is; zoom in and the tiles grow their name, PodCIDR and pod count.
// d3-zoom owns the transform; +, -, Fit and the keys drive the same behaviour.
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { podCount } from '../../core/store/podQueries';
import type { RealizedCluster } from '../../core/api/types';
import { podBySelection } from '../../core/trace/refs';
import { useExplorer } from '../state/store';
import { nearestTile, paintOverview, TILE, TILE_H, tileAt, tilesOf } from './overviewTiles';

const MAX_ZOOM = 60;
/** A found tile is shown at least this wide, large enough to carry its labels. */
const READABLE_TILE_PX = 140;

type Behavior = ZoomBehavior<HTMLCanvasElement, unknown>;

export function OverviewCanvas({
  cluster,
  marked,
  reveal,
}: {
  cluster: RealizedCluster;
  /** Nodes a traced packet passes, in order: marked on their tiles. */
  marked: string[];
  /** A node to bring into view (from Find); `n` changes on every find, even of the same node. */
  reveal: { node: string; n: number } | null;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const behavior = useRef<{ z: Behavior; sel: Selection<HTMLCanvasElement, unknown, null, undefined> } | null>(null);
  const [t, setT] = useState<ZoomTransform>(zoomIdentity);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const selection = useExplorer((s) => s.selection);
  const select_ = useExplorer((s) => s.select);
  const ts = useMemo(() => tilesOf(cluster), [cluster]);
  const selected = selection?.startsWith('node/')
    ? selection.slice(5)
    : selection?.startsWith('pod/')
      ? (podBySelection(cluster, selection)?.node ?? undefined)
      : undefined;
  const fitOf = (el: { clientWidth: number; clientHeight: number }) =>
    Math.min(el.clientWidth / ts.width, el.clientHeight / ts.height);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const z = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, MAX_ZOOM])
      .on('zoom', (e: { transform: ZoomTransform }) => setT(e.transform));
    const sel = select(el);
    sel.call(z);
    behavior.current = { z, sel };
    const seen = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    seen.observe(el);
    return () => {
      seen.disconnect();
      sel.on('.zoom', null);
      behavior.current = null;
    };
  }, []);

  // Find: centre the found node's tile, zoomed in far enough to read it.
  useEffect(() => {
    const el = canvas.current;
    const b = behavior.current;
    const tile = reveal ? ts.byName.get(reveal.node) : undefined;
    if (!el || !b || !tile) return;
    const fit = fitOf(el);
    const cur = (el as unknown as { __zoom?: ZoomTransform }).__zoom ?? zoomIdentity;
    const k = Math.min(MAX_ZOOM, Math.max(cur.k, READABLE_TILE_PX / (TILE * fit)));
    const at = zoomIdentity
      .translate(el.clientWidth / 2, el.clientHeight / 2)
      .scale(k)
      .translate(-(tile.x + TILE / 2) * fit, -(tile.y + TILE_H / 2) * fit);
    b.z.transform(b.sel, at);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a reveal is an event: only its own change moves the view
  }, [reveal]);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const dpr = window.devicePixelRatio || 1;
    const w = el.clientWidth;
    const h = el.clientHeight;
    el.width = w * dpr;
    el.height = h * dpr;
    const ctx = el.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paintOverview(ctx, ts, { t, fit: fitOf(el), w, h, selected, marked, css: getComputedStyle(el) });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fitOf reads ts
  }, [t, ts, selected, marked, size]);

  const world = (el: { clientWidth: number; clientHeight: number }, sx: number, sy: number) => {
    const fit = fitOf(el);
    const [x, y] = t.invert([sx, sy]);
    return [x / fit, y / fit] as const;
  };
  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const el = canvas.current!;
    const r = el.getBoundingClientRect();
    const hit = tileAt(ts, ...world(el, e.clientX - r.left, e.clientY - r.top));
    if (hit) select_(`node/${hit.name}`);
  };
  const zoomBy = (k: number) => {
    const b = behavior.current;
    if (b) b.z.scaleBy(b.sel, k);
  };
  const fit = () => {
    const b = behavior.current;
    if (b) b.z.transform(b.sel, zoomIdentity);
  };
  const pan = (dx: number, dy: number) => {
    const b = behavior.current;
    const el = canvas.current;
    // A quarter of the view per press, in screen terms.
    if (b && el) b.z.translateBy(b.sel, (-dx * el.clientWidth) / 4 / t.k, (-dy * el.clientHeight) / 4 / t.k);
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const keys: Record<string, () => void> = {
      '+': () => zoomBy(1.5),
      '=': () => zoomBy(1.5),
      '-': () => zoomBy(1 / 1.5),
      _: () => zoomBy(1 / 1.5),
      '0': fit,
      ArrowLeft: () => pan(-1, 0),
      ArrowRight: () => pan(1, 0),
      ArrowUp: () => pan(0, -1),
      ArrowDown: () => pan(0, 1),
    };
    const act = e.ctrlKey || e.metaKey || e.altKey ? undefined : keys[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  };

  const area = { clientWidth: size.w, clientHeight: size.h };
  const centre = size.w > 0 ? nearestTile(ts, ...world(area, size.w / 2, size.h / 2)) : undefined;
  const view = `zoom ${t.k.toFixed(1)}×${centre && t.k > 1.01 ? `, centred on ${centre.name}` : ''}`;
  const pods = podCount(cluster);
  const traced = marked.length > 0 ? `; the traced packet passes ${marked.join(', ')}, marked in the hop colour` : '';
  return (
    <div className="overview-frame">
      <div className="overview-bar">
        <span className="hint" aria-live="off">
          Overview: {view}
        </span>
        <div className="zoom-controls" role="group" aria-label="Overview zoom">
          <button type="button" onClick={() => zoomBy(1.5)} aria-label="Zoom the overview in" title="Zoom in (+)">
            +
          </button>
          <button type="button" onClick={() => zoomBy(1 / 1.5)} aria-label="Zoom the overview out" title="Zoom out (-)">
            −
          </button>
          <button type="button" onClick={fit} aria-label="Fit the overview" title="Every node (0)">
            Fit
          </button>
        </div>
      </div>
      <canvas
        ref={canvas}
        className="overview"
        role="img"
        tabIndex={0}
        aria-label={`Overview of ${cluster.nodes.length.toLocaleString('en-US')} nodes and ${pods.toLocaleString('en-US')} pods, one tile per node coloured by how full its PodCIDR is; use Find to select a node, pod or address`}
        aria-description={`${view}${traced}. Arrow keys pan, + and - zoom, 0 fits.`}
        onClick={onClick}
        onKeyDown={onKey}
      />
    </div>
  );
}
