import { useEffect, useRef, useState } from 'react';
import { defaultLabPrefix, labScript, labRefusal } from '../../core/lab/script';
import { MAX_SCENARIO_BYTES } from '../../core/scenario/parse';
import { dataplaneOf, useDerived } from '../state/derive';
import { shareHash, shareRefusal } from '../state/persist';
import { sharedStateOf, useExplorer } from '../state/store';

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/** Undo/Redo, Share, Import and Export: the scenario as a file or a link. */
export function Toolbar() {
  const { cluster } = useDerived();
  const canUndo = useExplorer((s) => s.past.length > 0);
  const canRedo = useExplorer((s) => s.future.length > 0);
  const undo = useExplorer((s) => s.undo);
  const redo = useExplorer((s) => s.redo);
  const load = useExplorer((s) => s.loadScenarioText);
  const [link, setLink] = useState<string | null>(null);
  // A link too long for browsers to open is not offered: why, and Export instead.
  const [refused, setRefused] = useState<string | null>(null);
  const linkField = useRef<HTMLInputElement>(null);
  // The link opens with its text selected, ready to copy; Esc closes it.
  useEffect(() => {
    if (link) linkField.current?.focus();
  }, [link]);
  const [copied, setCopied] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  // Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) everywhere except in text fields, which keep their own undo.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || typing(e.target)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) undo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') redo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo]);

  const share = async () => {
    const url = `${window.location.origin}${window.location.pathname}${shareHash(sharedStateOf(useExplorer.getState()))}`;
    const why = shareRefusal(url);
    setRefused(why);
    setLink(why ? null : url);
    if (why) return;
    setCopied(false);
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard (an http page, or permission denied): the link is shown to copy by hand.
    }
  };

  const download = (text: string, name: string, type: string) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const exportFile = () =>
    download(useExplorer.getState().scenarioText, `${cluster.cluster.name}.yaml`, 'application/yaml');
  const labFile = () => {
    const refused = labRefusal(cluster);
    if (refused) return useExplorer.getState().showNotice(`No lab script for this cluster: ${refused}.`);
    const prefix = defaultLabPrefix(cluster.cluster.name);
    download(labScript(dataplaneOf(cluster), { prefix }), `${prefix}-lab.sh`, 'text/x-shellscript');
  };

  const importFile = async (f: File | undefined) => {
    if (!f) return;
    // Refused before reading: a 200 MB file must not be loaded into the page to be rejected.
    if (f.size > MAX_SCENARIO_BYTES) {
      useExplorer.getState().refuse(`the file ${f.name}`, [
        {
          document: f.name,
          path: '',
          value: `${f.size.toLocaleString('en-US')} bytes`,
          message: `the scenario is too large; the limit is ${MAX_SCENARIO_BYTES.toLocaleString('en-US')} bytes`,
        },
      ]);
      return;
    }
    load(await f.text(), { source: `the file ${f.name}` });
    if (file.current) file.current.value = '';
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Scenario actions">
      <button type="button" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
      <button type="button" onClick={() => void share()}>
        Share
      </button>
      <button type="button" onClick={() => file.current?.click()}>
        Import
      </button>
      <input
        ref={file}
        type="file"
        accept=".yaml,.yml,.json,text/yaml,application/json"
        hidden
        aria-label="Scenario file to import"
        onChange={(e) => void importFile(e.target.files?.[0])}
      />
      <button type="button" onClick={exportFile}>
        Export
      </button>
      <button
        type="button"
        onClick={labFile}
        title="A bash script that builds this cluster in Linux network namespaces (run as root)"
      >
        Download lab script
      </button>
      {refused && (
        <div
          className="share-popup"
          role="dialog"
          aria-label="Share link"
          onKeyDown={(e) => e.key === 'Escape' && setRefused(null)}
        >
          <p role="alert">{refused}</p>
          <button type="button" onClick={exportFile}>
            Export
          </button>
          <button type="button" onClick={() => setRefused(null)}>
            Close
          </button>
        </div>
      )}
      {link && (
        <div
          className="share-popup"
          role="dialog"
          aria-label="Share link"
          onKeyDown={(e) => e.key === 'Escape' && setLink(null)}
        >
          <label>
            Share link <input readOnly value={link} ref={linkField} onFocus={(e) => e.target.select()} />
          </label>
          <span role="status">
            {copied ? 'Copied to the clipboard.' : 'Copy this link; it holds the whole scenario.'}
          </span>
          <button type="button" onClick={() => setLink(null)}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}
