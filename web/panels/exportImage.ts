// The diagram as a picture file: its <svg> as drawn now (selection, current hop and packet
// included), with the computed styles written onto each element so the file needs no CSS.
// The picture is the whole cluster, whatever the zoom on screen.
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  // Labels drawn over lines keep their halo (a stroke painted under the fill).
  'paint-order',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
];

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The SVG document text of the drawn diagram, standalone: sized to its viewBox, on the page's background. */
export function diagramSvgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  from.forEach((el, i) => {
    const target = to[i]!;
    const cs = getComputedStyle(el);
    // The root's own style is its on-screen size; the file gets the viewBox's instead.
    const own = el === svg ? null : target.getAttribute('style');
    const computed = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
    target.setAttribute('style', own ? `${computed};${own}` : computed);
    // Interaction attributes mean nothing in a picture.
    target.removeAttribute('tabindex');
  });
  // Pan and zoom live in the viewport group's transform: the file starts fitted.
  clone.querySelectorAll(':scope > g[transform]').forEach((g) => g.removeAttribute('transform'));
  const box = svg.viewBox.baseVal;
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(box.width));
  clone.setAttribute('height', String(box.height));
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('x', String(box.x));
  background.setAttribute('y', String(box.y));
  background.setAttribute('width', String(box.width));
  background.setAttribute('height', String(box.height));
  background.setAttribute(
    'fill',
    getComputedStyle(svg.closest('[aria-label="Cluster diagram"]') ?? svg).backgroundColor || '#ffffff',
  );
  clone.insertBefore(background, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** The same picture as PNG, drawn through a canvas at `scale` times the viewBox size. */
export async function diagramPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const text = diagramSvgText(svg);
  const box = svg.viewBox.baseVal;
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(box.width * scale);
    canvas.height = Math.round(box.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw on a canvas');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, box.width, box.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no image'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
