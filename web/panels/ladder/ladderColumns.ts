// Which column each hop of a trace stands in: one per network namespace the packet crosses,
// plus the places outside the cluster core names (the external client, the default gateway).
import type { Hop, OutsidePeer } from '../../../core/trace/types';
import type { TraceStep } from '../../state/traceSteps';

export type ColumnKind = 'pod' | 'host' | OutsidePeer['kind'];

export interface LadderColumn {
  key: string;
  kind: ColumnKind;
  /** The pod's or node's name, or the outside place. */
  title: string;
  /** "pod on node-a", "node (root ns)", or the outside place's address. */
  subtitle: string;
}

const outsideKey = (kind: OutsidePeer['kind']) => `outside:${kind}`;

/** The column a hop happens in (a pod's namespace, a node's root namespace, or outside). */
export function columnKeyOf(hop: Pick<Hop, 'node' | 'namespace'>): string {
  if (hop.namespace === 'external' || hop.node === 'external') return outsideKey('external client');
  if (hop.namespace.startsWith('pod ')) return hop.namespace;
  return `host:${hop.node}`;
}

function columnOf(hop: Hop): LadderColumn {
  const key = columnKeyOf(hop);
  if (key.startsWith('outside:')) return { key, kind: 'external client', title: 'external client', subtitle: '' };
  if (key.startsWith('pod ')) {
    const name = key.slice(key.indexOf('/') + 1);
    return { key, kind: 'pod', title: name, subtitle: `pod on ${hop.node}` };
  }
  return { key, kind: 'host', title: hop.node, subtitle: 'node (root ns)' };
}

const outsideColumn = (p: OutsidePeer): LadderColumn => ({
  key: outsideKey(p.kind),
  kind: p.kind,
  title: p.kind,
  subtitle: p.ip,
});

/**
 * Columns left to right: the external client first, then each node's namespaces together (nodes in
 * the order the packet first reaches them, namespaces in the order it first enters them), the
 * default gateway last; so the client pod, its node, the peer node and the server pod read in order.
 */
export function ladderColumns(steps: readonly TraceStep[]): LadderColumn[] {
  const seen = new Map<string, { col: LadderColumn; group: string; order: number }>();
  const groups: string[] = [];
  const note = (col: LadderColumn, group: string) => {
    const known = seen.get(col.key);
    if (known) {
      // An outside place first seen without its address (a drop outside) takes it when a hop names it.
      if (!known.col.subtitle && col.subtitle) known.col = col;
      return;
    }
    if (!groups.includes(group)) groups.push(group);
    seen.set(col.key, { col, group, order: seen.size });
  };
  for (const { hop } of steps) {
    if (hop.cameFrom) note(outsideColumn(hop.cameFrom), hop.cameFrom.kind);
    const col = columnOf(hop);
    note(col, col.kind === 'pod' || col.kind === 'host' ? `node:${hop.node}` : col.kind);
    if (hop.leavesTo) note(outsideColumn(hop.leavesTo), hop.leavesTo.kind);
  }
  const rank = (group: string) =>
    group === 'external client' ? -1 : group === 'default gateway' ? groups.length : groups.indexOf(group);
  return [...seen.values()].sort((a, b) => rank(a.group) - rank(b.group) || a.order - b.order).map((e) => e.col);
}

/** Where a step's rung starts and ends: the packet moves from `from` to `at`, then maybe out to `exit`. */
export interface RungPlace {
  from: number;
  at: number;
  exit?: number;
}

/** Each step's columns: an arrow from the previous hop's column (in the same phase) or from outside. */
export function rungPlaces(steps: readonly TraceStep[], columns: readonly LadderColumn[]): RungPlace[] {
  const index = new Map(columns.map((c, i) => [c.key, i]));
  const colOf = (key: string) => {
    const i = index.get(key);
    if (i === undefined) throw new Error(`no ladder column for ${key}`);
    return i;
  };
  return steps.map(({ hop, phase }, i) => {
    const at = colOf(columnKeyOf(hop));
    const prev = i > 0 && steps[i - 1]!.phase === phase ? steps[i - 1]!.hop : undefined;
    const from = hop.cameFrom ? colOf(outsideKey(hop.cameFrom.kind)) : prev ? colOf(columnKeyOf(prev)) : at;
    return { from, at, ...(hop.leavesTo ? { exit: colOf(outsideKey(hop.leavesTo.kind)) } : {}) };
  });
}
