// The diagram's geometry: Service edges cross no node box and no Service pill, in every arrangement.
import { describe, expect, it } from 'vitest';
import { generateScenarioText } from '../../core/scenario/generate';
import { parseScenario } from '../../core/scenario/parse';
import { realize } from '../../core/cluster/realize';
import type { RealizedCluster } from '../../core/api/types';
import { layoutCluster, serviceEdge, type Layout } from './layout';
import { placeIndex } from './placePoints';
import type { Pt, Rect } from './nodeGeometry';
import { cniRoutesByNode } from '../../core/dataplane/cniRoutes';

function cluster(nodes: number, podsPerService: number): RealizedCluster {
  const p = parseScenario(generateScenarioText({ nodes, podsPerNode: 3, podsPerService }));
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
}

/** The corners of an "M x y H x V y …" path. */
function corners(d: string): Pt[] {
  const t = d.split(' ');
  const pts: Pt[] = [];
  let cur: Pt = { x: 0, y: 0 };
  for (let i = 0; i < t.length;) {
    const op = t[i++];
    if (op === 'M') cur = { x: Number(t[i++]), y: Number(t[i++]) };
    else if (op === 'H') cur = { ...cur, x: Number(t[i++]) };
    else if (op === 'V') cur = { ...cur, y: Number(t[i++]) };
    else throw new Error(`unexpected ${op} in ${d}`);
    pts.push(cur);
  }
  return pts;
}

/** Does the axis-aligned segment a-b pass through the inside of r (1 px in from its edges)? */
function crosses(a: Pt, b: Pt, r: Rect): boolean {
  const [x1, x2] = [Math.min(a.x, b.x), Math.max(a.x, b.x)];
  const [y1, y2] = [Math.min(a.y, b.y), Math.max(a.y, b.y)];
  return x1 < r.x + r.w - 1 && x2 > r.x + 1 && y1 < r.y + r.h - 1 && y2 > r.y + 1;
}

function edges(l: Layout) {
  const ix = placeIndex(l);
  return l.services.boxes.flatMap((sb) =>
    [...new Set(sb.service.endpoints.map((e) => `${e.namespace}/${e.pod}`))].flatMap((k) => {
      const at = ix.pods.get(k);
      return at ? [{ sb, node: at.node, d: serviceEdge(l, sb, at.node, at.pod.y, at.pod.x + at.pod.w) }] : [];
    }),
  );
}

describe('Service edges', () => {
  for (const nodes of [2, 3, 4, 6])
    for (const podsPerService of [1, 4])
      for (const aspect of [0.45, 1.2, 1.8, 2.6])
        it(`${nodes} nodes, a Service per ${podsPerService} pods, aspect ${aspect}: cross no node box and no pill`, () => {
          const c = cluster(nodes, podsPerService);
          const l = layoutCluster(c, { aspect, routes: [], reserveLanes: nodes });
          const all = edges(l);
          expect(all.length).toBeGreaterThan(0);
          for (const { sb, node, d } of all) {
            const pts = corners(d);
            for (let i = 1; i < pts.length; i++) {
              const [a, b] = [pts[i - 1]!, pts[i]!];
              // The last segment enters its own node to reach the pod.
              for (const n of l.nodes)
                if (!(i === pts.length - 1 && n === node))
                  expect(crosses(a, b, n), `${d} crosses node ${n.node.name}`).toBe(false);
              for (const p of l.services.boxes)
                expect(crosses(a, b, p), `${d} crosses pill ${p.service.name} (from ${sb.service.name})`).toBe(false);
            }
          }
        });

  it('the layouts tried include Services beside and below, in one row and in two', () => {
    const seen = new Set<string>();
    for (const nodes of [2, 4, 6])
      for (const aspect of [0.45, 1.2, 1.8, 2.6]) {
        const l = layoutCluster(cluster(nodes, 1), { aspect, routes: [], reserveLanes: nodes });
        seen.add(`${l.rows} ${l.services.side}`);
      }
    expect([...seen].sort()).toEqual(expect.arrayContaining(['1 right', '2 below']));
  });
});

describe("every node's routes as tables", () => {
  const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  for (const aspect of [0.45, 1.6, 2.6])
    it(`six nodes at aspect ${aspect}: one table per node in the band, in its column, none over another`, () => {
      const c = cluster(6, 4);
      const routes = c.nodes.flatMap((n) =>
        cniRoutesByNode(c, n.name).map((r) => ({ node: n.name, to: r.to, line: r.line })),
      );
      const l = layoutCluster(c, { aspect, routes, reserveLanes: 0, tables: true });
      expect(l.tables).toHaveLength(6);
      for (const t of l.tables!) {
        const b = l.band;
        expect(t.x >= b.x && t.y >= b.y && t.x + t.w <= b.x + b.w && t.y + t.h <= b.y + b.h).toBe(true);
        const nb = l.nodes.find((n) => n.node.name === t.node)!;
        expect(t.x >= nb.x && t.x + t.w <= nb.x + nb.w).toBe(true);
        expect(t.rows.map((r) => r.route.line)).toEqual(cniRoutesByNode(c, t.node).map((r) => r.line));
        for (const u of l.tables!) if (u !== t) expect(overlaps(t, u)).toBe(false);
      }
      // The arcs kept for the route in use run along the corridor, clear of every table.
      for (const a of l.routes) {
        const y = Number(a.d.split(' ')[7]);
        expect(Number.isFinite(y)).toBe(true);
        for (const t of l.tables!) expect(y > t.y && y < t.y + t.h).toBe(false);
      }
    });
});
