// The scenario's YAML in CodeMirror 6: line numbers, YAML highlighting, each error marked at its
// line. Loaded only when "Edit YAML" opens (see ScenarioPanel), so the first load stays small.
import { useEffect, useRef } from 'react';
import { EditorView, keymap, lineNumbers, highlightActiveLine, Decoration, type DecorationSet } from '@codemirror/view';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { yaml } from '@codemirror/lang-yaml';

export interface LineError {
  /** 1-based. */
  line: number;
  message: string;
}

const setErrors = StateEffect.define<LineError[]>();

/** The error lines as line decorations; the message is the line's title (a tooltip on hover). */
const errorLines = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setErrors)) continue;
      const byLine = new Map<number, string[]>();
      for (const err of e.value)
        if (err.line >= 1 && err.line <= tr.state.doc.lines)
          byLine.set(err.line, [...(byLine.get(err.line) ?? []), err.message]);
      deco = Decoration.set(
        [...byLine.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([line, messages]) =>
            Decoration.line({
              class: 'cm-error-line',
              attributes: { title: messages.join('\n') },
            }).range(tr.state.doc.line(line).from),
          ),
      );
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export interface ScenarioEditorProps {
  value: string;
  onChange: (text: string) => void;
  errors: LineError[];
  /** The accessible name, as the textarea it replaces had. */
  label: string;
  invalid: boolean;
}

export default function ScenarioEditor({ value, onChange, errors, label, invalid }: ScenarioEditorProps) {
  const host = useRef<HTMLDivElement | null>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const extensions: Extension[] = [
      lineNumbers(),
      highlightActiveLine(),
      history(),
      // No Tab binding: Tab leaves the editor, so a keyboard user is never trapped in it.
      keymap.of([...defaultKeymap, ...historyKeymap]),
      yaml(),
      syntaxHighlighting(defaultHighlightStyle),
      errorLines,
      EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'false' }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) changed.current(u.state.doc.toString());
      }),
    ];
    const v = new EditorView({ state: EditorState.create({ doc: value, extensions }), parent: host.current! });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: setErrors.of(errors) });
  }, [errors]);

  useEffect(() => {
    view.current?.contentDOM.setAttribute('aria-invalid', String(invalid));
  }, [invalid]);

  return <div className="scenario-editor" ref={host} />;
}
