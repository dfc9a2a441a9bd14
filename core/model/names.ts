// Generated object names, shaped like the real controllers' but deterministic,
// so the same scenario always realizes to the same pod names.

// apimachinery's rand.SafeEncodeString alphabet: no vowels, no 0/1/3 (avoids words and look-alikes).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a, as pod-template-hash uses (hash.NewFNV32a in controller.ComputeHash). */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** As rand.SafeEncodeString: each character of s mapped onto the safe alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/**
 * The pod-template-hash label a Deployment gives its ReplicaSet: the
 * SafeEncodeString of the decimal FNV-32a of the template. Upstream hashes a
 * spew dump of the Go struct; we hash a stable JSON of the template instead.
 */
export function podTemplateHash(template: unknown): string {
  return safeEncodeString(String(fnv32a(stableJson(template))));
}

/** The 5-character suffix the ReplicaSet controller's generateName adds; ours is seeded, not random. */
export function podSuffix(owner: string, index: number): string {
  let h = fnv32a(`${owner}#${index}`);
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += ALPHANUMS[h % ALPHANUMS.length];
    h = Math.floor(h / ALPHANUMS.length) ^ Math.imul(h, 2654435761) >>> 0;
    h >>>= 0;
  }
  return out;
}

/** JSON with sorted keys, so equal values hash equally whatever their key order. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(',')}}`;
}
