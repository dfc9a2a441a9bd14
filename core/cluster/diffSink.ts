// The diff's vocabulary: a change in words, the sink that counts and words the first ones, and the
// field comparisons every object kind shares.

export interface Change {
  /** "node/NAME", "pod/NS/NAME", "svc/NS/NAME" or "cluster". */
  ref: string;
  kind: 'added' | 'removed' | 'changed';
  message: string;
}

/**
 * Collects changes: all are counted, the first `maxChanges` are worded and
 * the first `maxRefs` objects kept. A node-mask edit at 5,000 nodes changes
 * 165,000 things; the page shows a thousand, so the rest are never worded.
 */
export class Sink {
  readonly changes: Change[] = [];
  readonly refs = new Set<string>();
  total = 0;
  constructor(
    private readonly maxChanges: number,
    private readonly maxRefs: number,
  ) {}
  get wording(): boolean {
    return this.changes.length < this.maxChanges;
  }
  emit(ref: string, kind: Change['kind'], message: () => string): void {
    this.total++;
    if (this.refs.size < this.maxRefs) this.refs.add(ref);
    if (this.changes.length < this.maxChanges) this.changes.push({ ref, kind, message: message() });
  }
}

/** A change in words, or a way to word it (only the first changes are ever worded). */
export type Wording = string | (() => string);

export function compare<T>(
  sink: Sink,
  before: T[],
  after: T[],
  key: (x: T) => string,
  describe: (a: T, b: T) => Wording[],
  ref: (x: T) => string,
  label: (x: T) => string,
  /** What an added or removed object held, as the CLI's diff says it ("on node-a 10.32.0.4"). */
  detail: (x: T, side: 'added' | 'removed') => string = () => '',
): void {
  const old = new Map(before.map((x) => [key(x), x]));
  const seen = new Set<string>();
  for (const b of after) {
    const k = key(b);
    seen.add(k);
    const a = old.get(k);
    if (!a) sink.emit(ref(b), 'added', () => `${label(b)} added${detail(b, 'added')}`);
    else
      for (const d of describe(a, b))
        sink.emit(ref(b), 'changed', () => `${label(b)}: ${typeof d === 'string' ? d : d()}`);
  }
  for (const a of before)
    if (!seen.has(key(a))) sink.emit(ref(a), 'removed', () => `${label(a)} removed${detail(a, 'removed')}`);
}

export const field = (name: string, a: unknown, b: unknown): string[] =>
  a === b ? [] : [`${name} ${a ?? 'none'} → ${b ?? 'none'}`];

/** A dual-stack list (spec.podCIDRs, status.podIPs, a node's InternalIPs) as one comparable text; undefined when absent. */
export const list = (xs: string[] | undefined): string | undefined => xs?.join(',');

/** The field, or its dual-stack list when either side has one: an IPv6 change shows as a change of the pair. */
export const pair = (name: string, a: unknown, b: unknown, as: string[] | undefined, bs: string[] | undefined) =>
  as || bs ? field(`${name}s`, list(as) ?? a, list(bs) ?? b) : field(name, a, b);

/** Where a pod runs and its address, as `k8snet diff` says it. */
export const podWhere = (node: string | null, ip: string | null) =>
  `on ${node ?? '(no node: Pending)'} ${ip ?? 'no IP'}`;

/** The endpoints a Service gained and lost, as `k8snet diff` lists them. */
export function endpointChange(before: string[], after: string[]): string {
  const had = new Set(before);
  const has = new Set(after);
  const gained = after.filter((e) => !had.has(e));
  const lost = before.filter((e) => !has.has(e));
  const list = (xs: string[]) => (xs.length ? ` (${xs.join(', ')})` : '');
  return `endpoints gained ${gained.length}${list(gained)}, lost ${lost.length}${list(lost)}`;
}
