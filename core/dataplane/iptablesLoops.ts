// The kernel refuses a ruleset whose jumps form a loop: iptables-restore fails
// with "RULE_APPEND failed (Too many links)", ELOOP from nf_tables' loop check
// (nf_tables_check_loops, for iptables-nft) or mark_source_chains in ip_tables.c
// (legacy); lab/labLoops.test.ts shows it. A dump traced here must be one the
// kernel would load, so a loop is an error, never a silent return.

export interface Jump {
  table: string;
  from: string;
  to: string;
  line: number;
}

/** The first jump that closes a loop, with the chains on the loop in order; null when there is none. */
export function findJumpLoop(jumps: Jump[]): { jump: Jump; path: string[] } | null {
  const edges = new Map<string, Jump[]>();
  for (const j of jumps) {
    const key = `${j.table} ${j.from}`;
    edges.set(key, [...(edges.get(key) ?? []), j]);
  }
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (table: string, chain: string): { jump: Jump; path: string[] } | null => {
    const key = `${table} ${chain}`;
    if (done.has(key)) return null;
    onPath.push(chain);
    for (const j of edges.get(key) ?? []) {
      const at = onPath.indexOf(j.to);
      if (at >= 0) return { jump: j, path: [...onPath.slice(at), j.to] };
      const found = visit(table, j.to);
      if (found) return found;
    }
    onPath.pop();
    done.add(key);
    return null;
  };
  for (const j of jumps) {
    const found = visit(j.table, j.from);
    if (found) return found;
  }
  return null;
}
