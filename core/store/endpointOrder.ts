// The order kube-proxy's EndpointSliceCache keeps a Service port's endpoints in (byEndpoint).
import type { RealizedEndpoint } from '../api/types';

/** Orders endpoints as the strings "ip:port" would sort, without building the strings. */
export function byEndpointString(a: RealizedEndpoint, b: RealizedEndpoint): number {
  const x = a.ip;
  const y = b.ip;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x.charCodeAt(i) - y.charCodeAt(i);
    if (d !== 0) return d;
  }
  // One address is a prefix of the other: the shorter one continues with ':' (58).
  if (x.length !== y.length) return x.length < y.length ? 58 - y.charCodeAt(n) : x.charCodeAt(n) - 58;
  const px = String(a.port);
  const py = String(b.port);
  return px < py ? -1 : px > py ? 1 : 0;
}
