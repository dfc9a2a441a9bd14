// Pan and zoom on d3-zoom, shaped like xyflow's XYPanZoom: a plain factory over
// a DOM node. d3 owns the transform and the gestures; the caller draws it.
import { select } from 'd3-selection';
import 'd3-transition';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomTransform } from 'd3-zoom';

export interface PanZoom {
  zoomBy: (k: number) => void;
  /** Back to the whole cluster: the viewBox already fits it. */
  fit: () => void;
  /** Centre this point of the drawing, if the view is zoomed in and it is out of sight. */
  follow: (x: number, y: number, width: number, height: number) => void;
  destroy: () => void;
}

/** The plain wheel scrolls the page; Ctrl/Cmd+wheel (and a trackpad pinch, which sends ctrlKey) zooms. */
export function zoomFilter(e: { type: string; ctrlKey: boolean; metaKey: boolean; button: number }): boolean {
  if (e.type === 'wheel') return e.ctrlKey || e.metaKey;
  return !e.ctrlKey && !e.button;
}

function wheelDelta(e: WheelEvent): number {
  return -e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002) * (e.ctrlKey ? 10 : 4);
}

export function createPanZoom(el: SVGSVGElement, onTransform: (t: ZoomTransform) => void): PanZoom {
  const behavior = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.5, 8])
    .filter(zoomFilter)
    .wheelDelta(wheelDelta)
    .on('zoom', (e: D3ZoomEvent<SVGSVGElement, unknown>) => onTransform(e.transform));
  const sel = select(el);
  sel.call(behavior);
  // Double-click is for selecting, not zooming.
  sel.on('dblclick.zoom', null);
  const reduced = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  return {
    zoomBy: (k) => behavior.scaleBy(reduced() ? sel : sel.transition().duration(200), k),
    fit: () => behavior.transform(sel, zoomIdentity),
    follow: (x, y, width, height) => {
      const t = (el as unknown as { __zoom?: ZoomTransform }).__zoom ?? zoomIdentity;
      if (t.k <= 1.01) return;
      const [vx, vy] = t.apply([x, y]);
      const margin = 0.15;
      if (vx > width * margin && vx < width * (1 - margin) && vy > height * margin && vy < height * (1 - margin))
        return;
      behavior.translateTo(reduced() ? sel : sel.transition().duration(350), x, y);
    },
    destroy: () => void sel.on('.zoom', null),
  };
}
