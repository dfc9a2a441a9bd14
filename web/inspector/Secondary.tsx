/** A dual-stack cluster's second family (IPv6) beside the primary value: smaller and lighter; nothing in single-stack. */
export function Secondary({ text }: { text: string | undefined }) {
  if (text === undefined) return null;
  return <span className="secondary-family"> {text}</span>;
}
