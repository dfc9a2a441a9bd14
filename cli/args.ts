// Shared command-line plumbing: errors with exit codes, scenario loading.
import { readFileSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_SCENARIO_YAML } from '../core/scenario/defaultScenario';
import { parseScenario, MAX_SCENARIO_BYTES } from '../core/scenario/parse';
import type { Scenario } from '../core/api/types';

/** A user error (exit 1) or a usage error (exit 2), printed as one line, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, 2);
export const userError = (message: string) => new CliError(message, 1);

export function parse<T extends ParseArgsConfig['options']>(argv: string[], options: T, allowPositionals = 1) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw usageError((e as Error).message.split('\n')[0]!);
  }
  if (parsed.positionals.length > allowPositionals) {
    throw usageError(`unexpected argument "${parsed.positionals[allowPositionals]}"`);
  }
  return parsed;
}

/** Loads a scenario file, or the built-in default when no file is given. */
export function loadScenario(file: string | undefined): Scenario {
  let text = DEFAULT_SCENARIO_YAML;
  const name = file ?? 'the default scenario';
  if (file !== undefined) {
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw userError(`${file}: not a regular file`);
      size = st.size;
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw userError(
        `${file}: cannot read the scenario file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    // Refuse before reading: a 50 MB file must not be loaded into memory to be rejected.
    if (size > MAX_SCENARIO_BYTES) {
      throw userError(
        `${file}: the scenario is ${size.toLocaleString('en-US')} bytes; the limit is ${MAX_SCENARIO_BYTES.toLocaleString('en-US')} bytes`,
      );
    }
    text = readFileSync(file, 'utf8');
  }
  const r = parseScenario(text);
  if (!r.ok) {
    const lines = r.errors.map(
      (e) =>
        `${name}: ${e.document}: ${e.path ? `${e.path}: ` : ''}${e.value !== '' ? `${JSON.stringify(e.value)}: ` : ''}${e.message}`,
    );
    throw userError(lines.join('\n'));
  }
  return r.scenario;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Left-aligned text columns, like kubectl's tables. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('')).join('\n');
}
