// A route of either family where the walker takes both: an IPv4 route (`ip route`) or an IPv6 one
// (`ip -6 route`), told apart by their destination's type like addresses in core/ip/anyIp.ts.
import { renderRoute, type Route } from './routes';
import { renderRoute6, type Route6 } from './routes6';
import { containsIp6 } from '../ip/cidr6';

export type AnyRoute = Route | Route6;

/** An IPv6 route: only those carry a metric (iproute2 prints one on every IPv6 route). */
export const isRoute6 = (r: AnyRoute): r is Route6 => 'metric' in r;

export const renderAnyRoute = (r: AnyRoute): string => (isRoute6(r) ? renderRoute6(r) : renderRoute(r));

/** A prefix route on its link (no gateway): the destination is a neighbour on that device. */
export const onLinkRoute = (r: AnyRoute): boolean => (isRoute6(r) ? r.via === undefined : r.scope === 'link');

/** Longest-prefix match over an IPv6 main table; among routes to one prefix, the lowest metric, then the first listed. */
export function lookupRoute6(routes: readonly Route6[], ip: bigint): Route6 | undefined {
  let best: Route6 | undefined;
  for (const r of routes) {
    const prefix = r.dst?.prefix ?? 0;
    if (r.dst !== null && !containsIp6(r.dst, ip)) continue;
    const have = best?.dst?.prefix ?? -1;
    if (!best || prefix > have || (prefix === have && r.metric < best.metric)) best = r;
  }
  return best;
}
