// Reading untrusted documents field by field, collecting located errors
// instead of throwing: every problem becomes a ScenarioIssue.
import type { ScenarioIssue } from '../api/types';

export type Obj = Record<string, unknown>;

/** An empty map with no prototype: `m["__proto__"] = v` stores a key instead of replacing the prototype. */
export const keyMap = <T = string>(): Record<string, T> => Object.create(null) as Record<string, T>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value rendered for an error message, short. */
export function show(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 77)}...` : v;
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    // Too deep to print (JSON.stringify and Array's toString both recurse): say what it is instead.
    s = Array.isArray(v) ? '[a list nested too deeply to show]' : '{a value nested too deeply to show}';
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export class DocReader {
  constructor(
    readonly document: string,
    readonly errors: ScenarioIssue[],
    readonly warnings: ScenarioIssue[],
  ) {}

  error(path: string, value: unknown, message: string): void {
    this.errors.push({ document: this.document, path, value: show(value), message });
  }

  warn(path: string, value: unknown, message: string): void {
    this.warnings.push({ document: this.document, path, value: show(value), message });
  }

  /** An object field; undefined when absent, an error when of another type. */
  obj(o: Obj, key: string, path: string): Obj | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) return void this.error(join(path, key), v, 'must be an object (a mapping of fields)');
    return v;
  }

  arr(o: Obj, key: string, path: string): unknown[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return void this.error(join(path, key), v, 'must be a list');
    return v;
  }

  str(o: Obj, key: string, path: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') return void this.error(join(path, key), v, 'must be a string');
    return v;
  }

  int(o: Obj, key: string, path: string): number | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) return void this.error(join(path, key), v, 'must be an integer');
    return v;
  }

  bool(o: Obj, key: string, path: string): boolean | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') return void this.error(join(path, key), v, 'must be true or false');
    return v;
  }

  oneOf<T extends string>(o: Obj, key: string, path: string, allowed: readonly T[]): T | undefined {
    const v = this.str(o, key, path);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      return void this.error(join(path, key), v, `supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
    return v as T;
  }

  /** A map of string to string (labels, nodeSelector, selector); its keys are data, so "__proto__" is a key like any other. */
  stringMap(o: Obj, key: string, path: string): Record<string, string> | undefined {
    const m = this.obj(o, key, path);
    if (!m) return undefined;
    const out = keyMap();
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'string') {
        this.error(join(path, `${key}.${k}`), v, 'must be a string (quote numbers and booleans in YAML)');
        continue;
      }
      out[k] = v;
    }
    return out;
  }
}

export const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
