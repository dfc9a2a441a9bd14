// EndpointSlices given by hand, as kube-proxy reads them: its EndpointSliceCache takes every slice
// labelled kubernetes.io/service-name for that Service, matches ports by name and protocol, uses an
// endpoint's first address when it is ready, and keeps one entry per "ip:port".
import { byEndpointString } from '../store/endpointOrder';
import type { EndpointSliceDecl, RealizedEndpoint, RealizedServicePort, ServiceDecl, Warning } from '../api/types';

const key = (ns: string, name: string) => `${ns}/${name}`;

/**
 * The slices kube-proxy uses, by "namespace/service", and a warning for each slice it would not:
 * no service-name label, a Service that does not exist, another address family, or Endpoints the
 * mirroring controller skips because the Service has a selector.
 */
export function slicesByService(
  slices: readonly EndpointSliceDecl[],
  services: readonly ServiceDecl[],
  warnings: Warning[],
): Map<string, EndpointSliceDecl[]> {
  const byKey = new Map(services.map((s) => [key(s.namespace, s.name), s]));
  const out = new Map<string, EndpointSliceDecl[]>();
  for (const e of slices) {
    const what = e.mirrored ? `Endpoints ${key(e.namespace, e.name)}` : `EndpointSlice ${key(e.namespace, e.name)}`;
    const warn = (code: string, why: string) =>
      warnings.push({ code, message: `${what}: ${why}`, subject: `svc/${key(e.namespace, e.serviceName ?? e.name)}` });
    if (e.serviceName === undefined) {
      warn(
        'EndpointSliceIgnored',
        'no kubernetes.io/service-name label, so it belongs to no Service and kube-proxy ignores it',
      );
      continue;
    }
    const svc = byKey.get(key(e.namespace, e.serviceName));
    if (!svc) {
      warn(
        'EndpointSliceWithoutService',
        `its Service ${key(e.namespace, e.serviceName)} does not exist, so no kube-proxy rule uses it`,
      );
      continue;
    }
    if (e.addressType !== 'IPv4') {
      warn('EndpointSliceIgnored', `addressType ${e.addressType}: kube-proxy in this IPv4 cluster ignores it`);
      continue;
    }
    if (e.mirrored && svc.selector) {
      warn(
        'EndpointsNotMirrored',
        `Service ${key(svc.namespace, svc.name)} has a selector, so the endpoints controller owns these Endpoints and the EndpointSlice mirroring controller skips them; kube-proxy uses the pods the selector matches`,
      );
      continue;
    }
    if (!e.mirrored && svc.selector)
      warn(
        'EndpointSliceBesideSelector',
        `Service ${key(svc.namespace, svc.name)} also has a selector: kube-proxy uses this slice's endpoints as well as the ones the EndpointSlice controller makes from the selected pods`,
      );
    const k = key(svc.namespace, svc.name);
    const list = out.get(k);
    if (list) list.push(e);
    else out.set(k, [e]);
  }
  return out;
}

/** A Service's endpoints from its slices, per service port in order, each port's sorted by "ip:port". */
export function sliceEndpoints(
  namespace: string,
  ports: readonly RealizedServicePort[],
  slices: readonly EndpointSliceDecl[],
): RealizedEndpoint[] {
  const out: RealizedEndpoint[] = [];
  for (const port of ports) {
    const seen = new Set<string>();
    const list: RealizedEndpoint[] = [];
    for (const s of slices) {
      const sp = s.ports.find((p) => p.name === port.name && p.protocol === port.protocol);
      if (!sp) continue;
      for (const ep of s.endpoints) {
        const ip = ep.addresses[0];
        if (!ep.ready || ip === undefined || seen.has(`${ip}:${sp.port}`)) continue;
        seen.add(`${ip}:${sp.port}`);
        const e: RealizedEndpoint = {
          ip,
          port: sp.port,
          portName: port.name,
          protocol: port.protocol,
          node: ep.nodeName ?? '',
          pod: ep.pod ?? '',
          namespace,
        };
        if (ep.hostname) e.hostname = ep.hostname;
        list.push(e);
      }
    }
    for (const e of list.sort(byEndpointString)) out.push(e);
  }
  return out;
}
