import { useState, type FormEvent } from 'react';
import type { RealizedCluster } from '../../core/api/types';
import { findObject } from '../../core/trace/refs';
import { useExplorer } from '../state/store';

/** Find a node, pod, Service or address and select it. */
export function FindBox({ cluster, onFound }: { cluster: RealizedCluster; onFound?: (ref: string) => void }) {
  const select = useExplorer((s) => s.select);
  const [q, setQ] = useState('');
  const [msg, setMsg] = useState('');
  const find = (e: FormEvent) => {
    e.preventDefault();
    const r = findObject(cluster, q);
    if (r.ok) {
      select(r.ref);
      onFound?.(r.ref);
    }
    setMsg(r.ok ? `Found: ${r.what}` : r.message);
  };
  return (
    <form className="find" role="search" onSubmit={find}>
      <label>
        Find{' '}
        <input
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="node, pod, Service or IP"
          spellCheck={false}
        />
      </label>
      <button type="submit">Find</button>
      <span role="status" className="hint">
        {msg}
      </span>
    </form>
  );
}
