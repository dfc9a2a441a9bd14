// The lines `k8snet diff` compares in a node's kernel, as text: `ip route` / `ip -6 route` lines, kube-proxy's
// `iptables-save` lines with their table's name on each (`-6 ` before ip6tables-save's), or the `nft list` lines
// of its table (`[ip6] ` before `table ip6 kube-proxy`'s). One place for the formats: the comparison and its
// full-render oracle (kernelChanges.oracle.testUtil.ts) both print lines with these.
import type { IpFamilyName } from '../ip/anyIp';

export interface LineChanges {
  added: string[];
  removed: string[];
}

/** Lines in `after` and not in `before` and the reverse, each as often as the count differs, in their order. */
export function lineChanges(before: readonly string[], after: readonly string[]): LineChanges {
  const count = new Map<string, number>();
  for (const l of before) count.set(l, (count.get(l) ?? 0) + 1);
  const added: string[] = [];
  for (const l of after) {
    const n = count.get(l) ?? 0;
    if (n > 0) count.set(l, n - 1);
    else added.push(l);
  }
  const removed: string[] = [];
  for (const l of before) {
    const n = count.get(l) ?? 0;
    if (n > 0) {
      count.set(l, n - 1);
      removed.push(l);
    }
  }
  return { added, removed };
}

/** The printed lines worth comparing: not blank, not a `#` comment. */
export const shownLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

/**
 * One `iptables-save` line (a `:CHAIN POLICY [0:0]` declaration or an `-A` rule) with its table's name, without
 * the counters; undefined for the `*table` and COMMIT lines, which repeat per table.
 */
export function iptablesLineText(table: string, line: string, family: IpFamilyName): string | undefined {
  if (line.trim() === '' || line.startsWith('#') || line.startsWith('*') || line === 'COMMIT') return undefined;
  return `${family === 'IPv6' ? '-6 ' : ''}-t ${table} ${line.replace(/ \[\d+:\d+\]$/, '')}`;
}

/** One line of `nft list table ip kube-proxy` (or `ip6`), trimmed; undefined for a blank one. */
export function nftLineText(line: string, family: IpFamilyName): string | undefined {
  if (line.trim() === '' || line.startsWith('#')) return undefined;
  return `${family === 'IPv6' ? '[ip6] ' : ''}${line.trim()}`;
}
