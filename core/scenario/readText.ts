// Scenario text -> plain documents, by one reader at every size: YAML (JSON is YAML too).
// JSON.parse only speeds up text it reads exactly as the YAML reader would.
import { isNode, LineCounter, parseAllDocuments, visit } from 'yaml';
import type { ScenarioIssue } from '../api/types';

/** YAML aliases allowed: enough for anchors in real manifests, far too few for an alias bomb. */
const MAX_ALIASES = 200;

/** The tags of plain JSON-like data; anything else (!!omap, !!set, !!binary, !custom) would change or drop data. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

export type ReadResult = { ok: true; docs: unknown[] } | { ok: false; errors: ScenarioIssue[] };

const failure = (document: string, path: string, message: string): ReadResult => ({
  ok: false,
  errors: [{ document, path, value: '', message }],
});

export function readDocuments(text: string): ReadResult {
  return (/^\s*[[{]/.test(text) && readPlainJson(text)) || readYaml(text);
}

/** JSON.parse's value when it is exactly the YAML reader's (one document, no repeated key); undefined otherwise. */
function readPlainJson(text: string): ReadResult | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // maybe YAML, or JSON documents separated by ---: the YAML reader decides and says where
  }
  if (hasRepeatedKey(text)) return undefined; // the YAML reader refuses it with the line
  return { ok: true, docs: value === null ? [] : [value] };
}

/**
 * True when some JSON object repeats a key. A string is a key when it follows "{" or "," inside an object;
 * `text` is known to be valid JSON, so this scan needs no error handling.
 */
export function hasRepeatedKey(text: string): boolean {
  const stack: (Set<string> | null)[] = [];
  let prev = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, j + 1);
      const escaped = raw.includes('\\');
      const keys = stack.at(-1);
      if (keys && (prev === '{' || prev === ',')) {
        const key = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (keys.has(key)) return true;
        keys.add(key);
      }
      i = j;
      prev = '"';
      continue;
    }
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    prev = c;
  }
  return false;
}

function readYaml(text: string): ReadResult {
  const docs: unknown[] = [];
  const lines = new LineCounter();
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return `line ${p.line}, column ${p.col}`;
  };
  try {
    const parsed = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true, strict: true, lineCounter: lines });
    const list = Array.isArray(parsed) ? parsed : [parsed];
    for (const [i, d] of list.entries()) {
      const err = d.errors[0];
      if (err) {
        const pos = err.linePos?.[0] ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
        return failure(`document ${i + 1}`, pos, `YAML syntax error: ${err.message.split('\n')[0]}`);
      }
      let tagged: ReadResult | undefined;
      visit(d, (_key, node) => {
        if (!isNode(node) || !node.tag || PLAIN_TAGS.has(node.tag)) return undefined;
        const tag = node.tag.replace('tag:yaml.org,2002:', '!!');
        tagged = failure(
          `document ${i + 1}`,
          at(node.range?.[0] ?? 0),
          `the YAML tag ${tag} is not supported: Kubernetes objects are plain maps, lists, strings, numbers and booleans (remove the tag)`,
        );
        return visit.BREAK;
      });
      if (tagged) return tagged;
      const value = d.toJS({ maxAliasCount: MAX_ALIASES });
      if (value !== null && value !== undefined) docs.push(value);
    }
  } catch (e) {
    // yaml throws on too many aliases ("Excessive alias count indicates a resource exhaustion attack").
    return failure('scenario', '', `YAML could not be read: ${(e as Error).message.split('\n')[0]}`);
  }
  return { ok: true, docs };
}
