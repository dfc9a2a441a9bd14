// React's side of the pan/zoom: one effect creates it over the SVG; the transform
// goes straight onto the viewport group, so zooming re-renders nothing.
import { useEffect, useMemo, useRef } from 'react';
import { createPanZoom, type PanZoom } from './panZoom';

export interface ZoomControls {
  svgRef: React.RefObject<SVGSVGElement | null>;
  viewportRef: React.RefObject<SVGGElement | null>;
  zoomBy: (k: number) => void;
  fit: () => void;
  follow: (x: number, y: number, width: number, height: number) => void;
}

/** `fitKey` changes when the drawing changes size or arrangement: the view goes back to the whole cluster. */
export function useZoom(fitKey: string): ZoomControls {
  const svgRef = useRef<SVGSVGElement | null>(null);
  const viewportRef = useRef<SVGGElement | null>(null);
  const pz = useRef<PanZoom | null>(null);
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const p = createPanZoom(svg, (t) => viewportRef.current?.setAttribute('transform', t.toString()));
    pz.current = p;
    return () => {
      p.destroy();
      pz.current = null;
    };
  }, []);
  useEffect(() => {
    pz.current?.fit();
  }, [fitKey]);
  const actions = useMemo(
    () => ({
      zoomBy: (k: number) => pz.current?.zoomBy(k),
      fit: () => pz.current?.fit(),
      follow: (x: number, y: number, w: number, h: number) => pz.current?.follow(x, y, w, h),
    }),
    [],
  );
  return { svgRef, viewportRef, ...actions };
}
