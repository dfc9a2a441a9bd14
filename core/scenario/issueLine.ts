// Where in the text a ScenarioIssue points: the 1-based line of its document and path, for an
// editor to mark. The issue names "document N (...)" and a dotted path ("spec.ports[0].port");
// the yaml package's node ranges turn those back into a place in the text.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';
import type { ScenarioIssue } from '../api/types';

/** Texts larger than this are not searched: an editor never shows them. */
const MAX_TEXT = 2 * 1024 * 1024;

/** "spec.ports[0].port" -> ["spec", "ports", 0, "port"]. */
export function pathSteps(path: string): (string | number)[] {
  return [...path.matchAll(/\[(\d+)\]|[^.[\]]+/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[0]));
}

/** The line of the issue's document and path; the deepest part of the path found; null when the document is not there. */
export function issueLine(text: string, issue: Pick<ScenarioIssue, 'document' | 'path'>): number | null {
  // A syntax error already says where: "line 3, column 7".
  const syntax = /^line (\d+)/.exec(issue.path);
  if (syntax) return Number(syntax[1]);
  const doc = /^document (\d+)/.exec(issue.document);
  if (!doc || text.length > MAX_TEXT) return null;
  const lines = new LineCounter();
  // Numbered as parse.ts numbers them: empty documents are not counted.
  const docs = parseAllDocuments(text, { lineCounter: lines }) as ReturnType<typeof parseAllDocuments>;
  const list = (Array.isArray(docs) ? docs : [docs]).filter(
    (d) => d.contents !== null && !(isScalar(d.contents) && d.contents.value === null),
  );
  const found = list[Number(doc[1]) - 1];
  if (!found?.contents) return null;
  let node: Node | null = found.contents as Node;
  let at = node.range?.[0] ?? 0;
  for (const step of pathSteps(issue.path)) {
    if (typeof step === 'number' && isSeq(node)) {
      const item: unknown = node.items[step];
      if (!item) break;
      node = item as Node;
      at = node.range?.[0] ?? at;
    } else if (isMap(node)) {
      const pair: Pair | undefined = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      at = (pair.key as Node).range?.[0] ?? at;
      node = (pair.value as Node | null) ?? null;
      if (!node) break;
    } else break;
  }
  return lines.linePos(at).line;
}
