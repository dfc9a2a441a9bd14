// A saved rule line split into words as iptables-restore reads it.
/** Splits a rule line into words, as the shell would: double quotes group, backslash escapes. */
export function words(line: string): string[] | string {
  const out: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      cur ??= '';
      for (i++; i < line.length && line[i] !== '"'; i++) cur += line[i] === '\\' ? (line[++i] ?? '') : line[i];
      if (i >= line.length) return 'a quoted string is not closed';
    } else if (ch === ' ' || ch === '\t') {
      if (cur !== null) out.push(cur);
      cur = null;
    } else cur = (cur ?? '') + ch;
  }
  if (cur !== null) out.push(cur);
  return out;
}
