// What a rung says: the hop's action where it happened, and the addresses NAT rewrote (old -> new).
import type { Hop, HopAction } from '../../../core/trace/types';

export type RungTone = 'plain' | 'nat' | 'drop' | 'done';

const NAT: ReadonlySet<HopAction> = new Set(['dnat', 'snat', 'un-nat']);
const FAILED: ReadonlySet<HopAction> = new Set(['drop', 'reject', 'refuse']);

export function toneOf(hop: Hop): RungTone {
  if (FAILED.has(hop.action)) return 'drop';
  if (NAT.has(hop.action) || hop.src !== hop.srcAfter || hop.dst !== hop.dstAfter) return 'nat';
  return hop.action === 'deliver' ? 'done' : 'plain';
}

/** "DNAT · PREROUTING (nat)". */
export const rungTitle = (hop: Hop) => `${hop.action.toUpperCase()} · ${hop.device}`;

/** The rewrites core reported at this hop, each "src OLD → NEW" or "dst OLD → NEW". */
export function rewrites(hop: Hop): string[] {
  const out: string[] = [];
  if (hop.src !== hop.srcAfter) out.push(`src ${hop.src} → ${hop.srcAfter}`);
  if (hop.dst !== hop.dstAfter) out.push(`dst ${hop.dst} → ${hop.dstAfter}`);
  return out;
}

/** The rung's second part: the rewrite, the reason of a drop, or the headers as they stand. */
export function rungDetail(hop: Hop): string[] {
  const tone = toneOf(hop);
  if (tone === 'drop') return [hop.explain];
  const r = rewrites(hop);
  if (r.length) return r;
  return [`${hop.srcAfter} → ${hop.dstAfter}`];
}

/** The accessible name: step, phase, action, where, and what changed. */
export function rungName(n: number, phase: string, hop: Hop, where: string): string {
  const detail =
    toneOf(hop) === 'drop' ? `: ${hop.explain}` : rewrites(hop).length ? `, ${rewrites(hop).join(', ')}` : '';
  return `Step ${n}, ${phase}: ${hop.action.toUpperCase()} in ${where}, ${hop.device}${detail}`;
}

/** Greedy word wrap to `width` characters, at most `maxLines` lines (the last ends in "…" when cut). */
export function wrapText(text: string, width: number, maxLines: number): string[] {
  const w = Math.max(8, Math.floor(width));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const pieces = word.length > w ? (word.match(new RegExp(`.{1,${w}}`, 'g')) ?? [word]) : [word];
    for (const piece of pieces) {
      if (!line) line = piece;
      else if (line.length + 1 + piece.length <= w) line += ` ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = `${last.length >= w ? last.slice(0, w - 1) : last}…`;
  return kept;
}

/** Cut from the middle: node and pod names differ at their ends (worker2, the pod's hash). */
export function clipMiddle(s: string, chars: number): string {
  if (s.length <= chars) return s;
  const keep = Math.max(2, chars - 1);
  const head = Math.ceil(keep / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (keep - head))}`;
}

/** A long name on two lines, broken after the hyphen or at the space nearest its middle ("nodeports-" / "worker2"). */
export function splitName(name: string, chars: number): string[] {
  if (name.length <= chars) return [name];
  let best = -1;
  for (let i = 0; i < name.length; i++)
    if (
      (name[i] === '-' || name[i] === ' ') &&
      (best < 0 || Math.abs(i - name.length / 2) < Math.abs(best - name.length / 2))
    )
      best = i;
  if (best <= 0) return [clipMiddle(name, chars)];
  const head = name[best] === '-' ? name.slice(0, best + 1) : name.slice(0, best);
  return [clipMiddle(head, chars), clipMiddle(name.slice(best + 1), chars)];
}
