// conntrack entries as `conntrack -L` prints them.
export interface ConntrackEntry {
  proto: 'TCP' | 'UDP';
  orig: { src: string; sport: number; dst: string; dport: number };
  /** The reply direction as the kernel expects it (after NAT). */
  reply: { src: string; sport: number; dst: string; dport: number };
}

/** e.g. "tcp      6 431999 ESTABLISHED src=... dst=... sport=... dport=... src=... [ASSURED] mark=0 use=1". */
export function renderConntrack(e: ConntrackEntry): string {
  const dir = (d: ConntrackEntry['orig']) => `src=${d.src} dst=${d.dst} sport=${d.sport} dport=${d.dport}`;
  return e.proto === 'TCP'
    ? `tcp      6 431999 ESTABLISHED ${dir(e.orig)} ${dir(e.reply)} [ASSURED] mark=0 use=1`
    : `udp      17 29 ${dir(e.orig)} ${dir(e.reply)} mark=0 use=1`;
}
