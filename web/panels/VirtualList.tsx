// Long lists drawn by window: only the rows in view (and a few either side)
// are in the page. 150,000 endpoints or a 500,000-line nat table scroll like
// ten rows.
import { useState, type ReactNode } from 'react';

/** Rows drawn above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 8;

/** What a windowed list shows: an array, or anything that can count and fetch its rows (LinesView). */
export interface Rows<T> {
  count: number;
  at(i: number): T;
}
const rowsOf = <T,>(items: readonly T[] | Rows<T>): Rows<T> =>
  'at' in items && !Array.isArray(items)
    ? (items as Rows<T>)
    : { count: items.length, at: (i) => (items as readonly T[])[i]! };

interface Props<T> {
  items: readonly T[] | Rows<T>;
  /** Every row's height in pixels (rows do not wrap). */
  rowHeight: number;
  /** Rows in view at once; the list scrolls past that. */
  maxRows: number;
  label: string;
  keyOf: (item: T, index: number) => string | number;
  render: (item: T, index: number) => ReactNode;
  className?: string;
  /** Text lines per row (a two-line row is twice as tall as its line height). */
  rowLines?: number;
}

export function VirtualList<T>({ items, rowHeight, maxRows, label, keyOf, render, className, rowLines = 1 }: Props<T>) {
  const [top, setTop] = useState(0);
  const all = rowsOf(items);
  const height = Math.min(all.count, maxRows) * rowHeight;
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(all.count, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const item = all.at(i);
    rows.push(
      <div
        role="listitem"
        key={keyOf(item, i)}
        aria-setsize={all.count}
        aria-posinset={i + 1}
        className="vrow"
        style={{ top: i * rowHeight, height: rowHeight, lineHeight: `${rowHeight / rowLines}px` }}
      >
        {render(item, i)}
      </div>,
    );
  }
  return (
    // Focusable, so the keyboard scrolls it; its rows carry their place in the whole list for screen readers.
    <div
      role="list"
      aria-label={label}
      tabIndex={0}
      className={`vlist ${className ?? ''}`}
      style={{ height }}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
    >
      <div className="vlist-body" style={{ height: all.count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}

/** Lines past this many are drawn by window; fewer are one plain, copyable block. */
const PLAIN_LINES = 500;
const LINE_HEIGHT = 18;

/** A table as a command prints it (ip route, iptables-save, nft list): plain text, windowed when long. */
export function TableText({ lines, label }: { lines: readonly string[] | Rows<string>; label: string }) {
  const all = rowsOf(lines);
  if (all.count <= PLAIN_LINES)
    return (
      <pre className="table-text mono" tabIndex={0} aria-label={label}>
        {Array.from({ length: all.count }, (_, i) => all.at(i)).join('\n')}
      </pre>
    );
  return (
    <>
      <p className="hint">{all.count.toLocaleString('en-US')} lines; scroll to read them all.</p>
      <VirtualList
        items={lines}
        rowHeight={LINE_HEIGHT}
        maxRows={24}
        label={label}
        className="table-text mono"
        keyOf={(_, i) => i}
        render={(line) => line}
      />
    </>
  );
}
