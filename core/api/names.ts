// Generated object names, shaped like the real controllers' but deterministic,
// so the same scenario always realizes to the same pod names.

// apimachinery's rand.SafeEncodeString alphabet: no vowels, no 0/1/3 (avoids words and look-alikes).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const CODES = [...ALPHANUMS].map((c) => c.charCodeAt(0));

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
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let h = hashValue(template, 0x811c9dc5);
  // controller.ComputeHash: a Deployment's status.collisionCount is fed in as 8 little-endian bytes.
  if (collisionCount !== undefined) {
    const n = collisionCount >>> 0;
    for (const b of [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24, 0, 0, 0, 0])
      h = Math.imul(h ^ b, 0x01000193) >>> 0;
  }
  return safeEncodeString(String(h));
}

/** A stable fingerprint of a whole value (a pod template as written): equal values, equal text. */
export function valueFingerprint(value: unknown): string {
  return hashValue(value, 0x811c9dc5).toString(36);
}

/** FNV-1a over a value's stable JSON form, fed piece by piece: no intermediate strings. */
function hashValue(v: unknown, h: number): number {
  const feed = (t: string) => {
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193) >>> 0;
  };
  if (v === null || typeof v !== 'object') {
    feed(typeof v === 'string' ? `"${v}"` : String(v));
    return h;
  }
  if (Array.isArray(v)) {
    feed('[');
    for (const x of v) {
      h = hashValue(x, h);
      feed(',');
    }
    feed(']');
    return h;
  }
  const o = v as Record<string, unknown>;
  feed('{');
  for (const k of Object.keys(o).sort()) {
    if (o[k] === undefined) continue;
    feed(k);
    feed(':');
    h = hashValue(o[k], h);
    feed(',');
  }
  feed('}');
  return h;
}

/** The 5-character suffix the ReplicaSet controller's generateName adds; ours is seeded, not random. */
export function podSuffix(owner: string | number, index: number): string {
  // The owner's hash is mixed with the index numerically (murmur3's finalizer): no string per pod.
  let h = ((typeof owner === 'number' ? owner : fnv32a(owner)) ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  const a = ALPHANUMS.length;
  const c0 = h % a;
  h = Math.floor(h / a);
  const c1 = h % a;
  h = Math.floor(h / a);
  const c2 = h % a;
  h = Math.floor(h / a);
  const c3 = h % a;
  h = Math.floor(h / a);
  // 27^4 < 2^32 / 8: the fifth character still has entropy left from the hash.
  const c4 = h % a;
  return String.fromCharCode(CODES[c0]!, CODES[c1]!, CODES[c2]!, CODES[c3]!, CODES[c4]!);
}
