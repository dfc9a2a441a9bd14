// Pan and zoom with d3-zoom: d3 reads the gestures, React draws the transform.
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { useEffect, useMemo, useRef, useState } from 'react';

export interface ZoomControls {
  svgRef: React.RefObject<SVGSVGElement | null>;
  transform: ZoomTransform;
  zoomBy: (k: number) => void;
  /** Back to the whole cluster in view (the viewBox already fits it). */
  fit: () => void;
}

export function useZoom(): ZoomControls {
  const svgRef = useRef<SVGSVGElement | null>(null);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const behavior = useMemo<ZoomBehavior<SVGSVGElement, unknown>>(
    () =>
      zoom<SVGSVGElement, unknown>()
        .scaleExtent([0.25, 8])
        .on('zoom', (e: { transform: ZoomTransform }) => setTransform(e.transform)),
    [],
  );
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const sel = select(svg);
    sel.call(behavior);
    // Double-click is for selecting, not zooming.
    sel.on('dblclick.zoom', null);
    return () => void sel.on('.zoom', null);
  }, [behavior]);
  return {
    svgRef,
    transform,
    zoomBy: (k) => svgRef.current && behavior.scaleBy(select(svgRef.current), k),
    fit: () => svgRef.current && behavior.transform(select(svgRef.current), zoomIdentity),
  };
}
