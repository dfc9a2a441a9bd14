// The packet: an envelope with its addresses, moving along the devices it crosses.
// React draws it at rest; one layout effect animates the group along the travel
// polyline with requestAnimationFrame (transform only, nothing re-renders per frame).
import { useLayoutEffect, useRef } from 'react';
import { packetName, type HopPlace } from './hopPlace';
import { travel, type Anchor } from './placePoints';
import type { Pt, Rect } from './nodeGeometry';

const FONT = 14;
const CHAR_W = FONT * 0.61;
const LINE = 20;
const PAD = 10;
const REASON_CHARS = 36;
const REASON_LINE = 19;

function field(label: string, before: string, after: string) {
  const changed = before !== after;
  return { label, before, after, changed, chars: label.length + 1 + after.length + (changed ? before.length + 1 : 0) };
}

function wrap(text: string, width: number): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && (cur + ' ' + w).length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.length > 5 ? [...lines.slice(0, 4), `${lines[4]!.slice(0, width - 1)}…`] : lines;
}

function pointAt(pts: Pt[], f: number): Pt {
  const lens = pts.slice(1).map((p, i) => Math.hypot(p.x - pts[i]!.x, p.y - pts[i]!.y));
  let d = f * lens.reduce((a, b) => a + b, 0);
  for (let i = 0; i < lens.length; i++) {
    if (d <= lens[i]! || i === lens.length - 1) {
      const t = lens[i]! === 0 ? 1 : Math.min(1, d / lens[i]!);
      const a = pts[i]!;
      const b = pts[i + 1]!;
      return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
    }
    d -= lens[i]!;
  }
  return pts[pts.length - 1]!;
}

export function Packet({ place, chain, box }: { place: HopPlace; chain: Anchor[]; box: Rect }) {
  const g = useRef<SVGGElement>(null);
  const last = useRef<Anchor[] | null>(null);
  const at = chain[0]?.pt ?? { x: box.x + box.w / 2, y: box.y + box.h / 2 };
  const src = field('src', place.src, place.srcAfter);
  const dst = field('dst', place.dst, place.dstAfter);
  const outer = place.outer;
  // The outer header in two lines: addresses, then the tunnel.
  const outerText = outer ? [`outer ${outer.src} → ${outer.dst}`, outer.proto] : [];
  // A drop's reason is written on the envelope itself: an opaque card, so it never lies over node text.
  const reason = place.dropped
    ? wrap(`${place.action === 'reject' ? 'Rejected' : 'Dropped'}: ${place.explain}`, REASON_CHARS)
    : [];
  const textW = Math.max(src.chars, dst.chars, ...outerText.map((t) => t.length), reason.length ? REASON_CHARS : 0);
  const w = Math.min(textW * CHAR_W + 2 * PAD + (outer ? 12 : 0), box.w - 12);
  const innerH = 2 * LINE + PAD + (reason.length ? reason.length * REASON_LINE + 6 : 0);
  const h = innerH + (outer ? 2 * LINE + 10 : 0);
  // The envelope hangs beside the dot, kept inside the box of the node the hop names.
  const ex = Math.max(box.x + 6, Math.min(at.x + 14, box.x + box.w - 6 - w)) - at.x;
  const below = at.y + 14 + h <= box.y + box.h - 6;
  const ey = (below ? at.y + 14 : Math.max(box.y + 6, at.y - 14 - h)) - at.y;

  useLayoutEffect(() => {
    const el = g.current;
    const from = last.current;
    last.current = chain;
    if (!el || !from || chain.length === 0 || from[0]?.key === chain[0]?.key) return;
    if (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) return;
    const pts = travel(from, chain);
    const end = `translate(${at.x} ${at.y})`;
    const t0 = performance.now();
    const ms = 420;
    let id = 0;
    const tick = (t: number) => {
      const f = Math.min(1, (t - t0) / ms);
      const e = f < 0.5 ? 2 * f * f : 1 - 2 * (1 - f) * (1 - f);
      const p = pointAt(pts, e);
      el.setAttribute('transform', f >= 1 ? end : `translate(${p.x} ${p.y})`);
      if (f < 1) id = requestAnimationFrame(tick);
    };
    const p0 = pts[0]!;
    el.setAttribute('transform', `translate(${p0.x} ${p0.y})`);
    id = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(id);
      el.setAttribute('transform', end);
    };
  }, [chain, at.x, at.y]);

  const row = (f: ReturnType<typeof field>, y: number, x0: number) => (
    <text className="mono" x={x0} y={y}>
      <tspan className="field">{f.label} </tspan>
      {f.changed && <tspan className="old">{f.before}</tspan>}
      {f.changed && ' '}
      <tspan className={f.changed ? 'new' : undefined}>{f.after}</tspan>
    </text>
  );
  const inner = outer ? { x: ex + 6, y: ey + 2 * LINE + 8 } : { x: ex, y: ey };
  return (
    <g
      ref={g}
      className={`packet${place.nat ? ' nat' : ''}${place.dropped ? ' dropped' : ''}${outer ? ' encapsulated' : ''}`}
      transform={`translate(${at.x} ${at.y})`}
      role="img"
      aria-label={packetName(place)}
    >
      {outer && (
        <g className="outer">
          <rect x={ex} y={ey} width={w} height={h} rx={8} />
          {outerText.map((t, i) => (
            <text key={i} className="mono" x={ex + PAD} y={ey + LINE * (i + 1)}>
              {t}
            </text>
          ))}
        </g>
      )}
      <rect className="envelope" x={inner.x} y={inner.y} width={w - (outer ? 12 : 0)} height={innerH} rx={6} />
      {row(src, inner.y + LINE, inner.x + PAD)}
      {row(dst, inner.y + 2 * LINE, inner.x + PAD)}
      {reason.length > 0 && (
        <text className="drop-reason">
          {reason.map((l, i) => (
            <tspan key={i} x={inner.x + PAD} y={inner.y + 2 * LINE + 8 + (i + 1) * REASON_LINE}>
              {l}
            </tspan>
          ))}
        </text>
      )}
      <circle className="dot" r={9} />
      {place.dropped && (
        <g className="drop-mark">
          <path d="M -12 -12 L 12 12 M 12 -12 L -12 12" />
        </g>
      )}
    </g>
  );
}
