// For the CLI's tests: runs k8snet in-process, capturing stdout and stderr.
import { vi } from 'vitest';
import { main } from './main';

/** `join` glues the captured stdout pieces: '\n' for console.log lines, '' for raw writes. */
export function runCli(argv: string[], join = '\n'): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  try {
    return { code: main(argv), out: out.join(join), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}
