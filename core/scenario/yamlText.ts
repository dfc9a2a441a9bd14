// The user's YAML as a document model that writes itself back unchanged except where it was edited:
// a changed scalar is rewritten in the concrete syntax tree (yaml's CST.setScalarValue, which quotes as its
// context needs, so "a, b: c" typed into a flow map stays one value), a changed structure re-serialises only
// its own document, and every other document keeps its exact text, comments and layout.
import { Composer, CST, isCollection, isScalar, parse, Parser, type Document, type Node } from 'yaml';

type ScalarToken = CST.FlowScalar | CST.BlockScalar;
const SCALAR_TYPES = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar']);

/** True when `v` written plain would be read back as something other than this string (a number, a map...). */
function plainMisreads(v: string): boolean {
  try {
    return parse(v) !== v;
  } catch {
    return true;
  }
}

export class YamlText {
  readonly docs: Document.Parsed[];
  readonly ok: boolean;
  private readonly tokens: CST.Token[];
  private readonly docTokens: CST.Document[];
  private readonly restructured = new Set<Document>();

  constructor(text: string) {
    this.tokens = [...new Parser().parse(text)];
    this.docTokens = this.tokens.filter((t): t is CST.Document => t.type === 'document');
    this.docs = [...new Composer().compose(this.tokens)];
    this.ok = this.docs.length === this.docTokens.length && this.docs.every((d) => d.errors.length === 0);
  }

  /** Sets one scalar value. An existing scalar changes in place; a missing field is added to its document. */
  setScalar(doc: Document.Parsed, path: (string | number)[], value: string | number): void {
    const node = doc.getIn(path, true) as Node | undefined;
    const token = isScalar(node) && node.range ? this.tokenAt(doc, node.range[0]) : undefined;
    if (!token) {
      doc.setIn(path, value);
      this.restructured.add(doc);
      return;
    }
    const inFlow = this.inFlow(doc, path);
    const text = String(value);
    let type: 'PLAIN' | 'QUOTE_DOUBLE' | undefined;
    if (typeof value === 'number') type = 'PLAIN';
    else if (token.type === 'scalar' && plainMisreads(text)) type = 'QUOTE_DOUBLE';
    CST.setScalarValue(token, text, { inFlow, ...(type ? { type } : {}) });
  }

  /** Marks a document whose structure was changed through the Document API (added, removed, replaced nodes). */
  restructure(doc: Document): void {
    this.restructured.add(doc);
  }

  toString(): string {
    return this.tokens
      .map((t) => {
        const k = t.type === 'document' ? this.docTokens.indexOf(t) : -1;
        const doc = this.docs[k];
        return doc && this.restructured.has(doc)
          ? doc.toString({ flowCollectionPadding: false, lineWidth: 0 })
          : CST.stringify(t);
      })
      .join('');
  }

  private tokenAt(doc: Document.Parsed, offset: number): ScalarToken | undefined {
    const docToken = this.docTokens[this.docs.indexOf(doc)];
    if (!docToken) return undefined;
    let found: ScalarToken | undefined;
    CST.visit(docToken, (item) => {
      const v = item.value;
      if (v && SCALAR_TYPES.has(v.type) && (v as ScalarToken).offset === offset) {
        found = v as ScalarToken;
        return CST.visit.BREAK;
      }
      return undefined;
    });
    return found;
  }

  /** Whether the node at `path` sits inside a flow collection ({...} or [...]), where "," and ":" end a plain value. */
  private inFlow(doc: Document, path: (string | number)[]): boolean {
    for (let i = 0; i < path.length; i++) {
      const parent = i === 0 ? doc.contents : doc.getIn(path.slice(0, i), true);
      if (isCollection(parent) && parent.flow) return true;
    }
    return false;
  }
}
