// IPv4 values are plain unsigned 32-bit numbers inside core: cheap to compare,
// add and index at 150,000 pods. Text only at the edges (parse, format).

/** An IPv4 address as an unsigned 32-bit integer (0 .. 2^32-1). */
export type Ipv4 = number;

/** An IPv4 CIDR block; `base` is always the network address (host bits zero). */
export interface Cidr {
  readonly base: Ipv4;
  readonly prefix: number;
}

/** A location-free result: the caller adds document and path. */
export type Parsed<T> = { ok: true; value: T; warning?: string } | { ok: false; message: string };
