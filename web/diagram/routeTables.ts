// With many nodes and every node's routes on, arcs would need a lane per crossing pair:
// each node's CNI routes are drawn instead as a small table in the node network band, in the
// node's column, as `ip route` prints them. The route in use is still drawn as an arc, on top.
import type { DrawnRoute } from './routeLanes';
import type { Rect } from './nodeGeometry';

export const TABLE_TITLE = 24;
export const TABLE_ROW = 24;
const TABLE_PAD = 8;
/** Between the two rows of tables (or the label and one row): the corridor the arc in use runs along. */
export const CORRIDOR = 34;
/** "All nodes" draws tables from this many nodes on; fewer nodes' arcs stay readable. */
export const TABLES_FROM_NODES = 4;

export interface RouteTable extends Rect {
  node: string;
  rows: { route: DrawnRoute; y: number }[];
}

export const tableHeight = (lines: number) => TABLE_TITLE + lines * TABLE_ROW + TABLE_PAD;

/** The longest table's height over these routes. */
export function tablesHeight(routes: DrawnRoute[]): number {
  const per = new Map<string, number>();
  for (const r of routes) per.set(r.node, (per.get(r.node) ?? 0) + 1);
  return tableHeight(Math.max(0, ...per.values()));
}

/** One table per node with routes, its top at `top(node)`, in the column at `x(node)`. */
export function routeTables(
  routes: DrawnRoute[],
  column: (node: string) => { x: number; w: number } | undefined,
  top: (node: string) => number,
): RouteTable[] {
  const by = new Map<string, DrawnRoute[]>();
  for (const r of routes) by.set(r.node, [...(by.get(r.node) ?? []), r]);
  const h = tablesHeight(routes);
  const out: RouteTable[] = [];
  for (const [node, rs] of by) {
    const c = column(node);
    if (!c) continue;
    const y = top(node);
    out.push({
      node,
      x: c.x + 10,
      y,
      w: c.w - 20,
      h,
      rows: rs.map((route, i) => ({ route, y: y + TABLE_TITLE + (i + 1) * TABLE_ROW - 5 })),
    });
  }
  return out;
}
