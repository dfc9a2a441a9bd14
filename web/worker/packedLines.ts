// Half a million table lines without half a million strings: one UTF-8
// buffer and the offset of each line. The worker packs, the page reads only
// the lines on screen.
import type { PackedLines } from './workerProtocol';

export function packLines(lines: readonly string[]): PackedLines {
  const bytes = new TextEncoder().encode(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  const starts = new Uint32Array(lines.length + 1);
  let k = 1;
  // A newline byte never occurs inside a multi-byte UTF-8 sequence.
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) starts[k++] = i + 1;
  return { bytes, starts };
}

/** Lines read on demand from packed bytes. */
export class LinesView {
  private readonly decoder = new TextDecoder();
  constructor(private readonly packed: PackedLines) {}

  get count(): number {
    return this.packed.starts.length - 1;
  }

  at(i: number): string {
    const { bytes, starts } = this.packed;
    return this.decoder.decode(bytes.subarray(starts[i], starts[i + 1]! - 1));
  }
}
