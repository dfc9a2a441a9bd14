// The Service DNS names CoreDNS's kubernetes plugin answers: a Service's NAME.NS.svc.<domain> and an endpoint's
// HOST.NAME.NS.svc.<domain>.
import type { RealizedEndpoint, RealizedService } from '../api/types';

type Services = ReadonlyMap<string, RealizedService>;

/** NAME.NS.svc.<domain>, NAME.NS.svc, NAME.NS (the search path a pod's resolv.conf gives), among Services by "ns/name". */
export function serviceNamed(services: Services, domain: string, name: string): RealizedService | undefined {
  const n = name.replace(/\.$/, '');
  const parts = n.endsWith(`.svc.${domain}`)
    ? n.slice(0, -`.svc.${domain}`.length).split('.')
    : n.endsWith('.svc')
      ? n.slice(0, -4).split('.')
      : n.split('.');
  if (parts.length !== 2) return undefined;
  return services.get(`${parts[1]}/${parts[0]}`);
}

/** CoreDNS's endpointHostname (plugin/kubernetes): the endpoint's hostname, else its address with dots or colons as dashes. */
const endpointHostname = (e: RealizedEndpoint) => e.hostname ?? e.ip.replace(/[.:]/g, '-');

/**
 * HOST.SERVICE.NS[.svc[.<domain>]]: CoreDNS answers an endpoint query with the endpoints whose hostname
 * (a StatefulSet pod's name) or dashed address is HOST (plugin/kubernetes endpointHostname). The
 * Service is returned narrowed to those endpoints, as a headless answer.
 */
export function endpointNamed(services: Services, domain: string, name: string): RealizedService | undefined {
  const zone = `.svc.${domain}`;
  let n = name.replace(/\.$/, '');
  if (n.endsWith(zone)) n = n.slice(0, -zone.length);
  else if (n.endsWith('.svc')) n = n.slice(0, -4);
  const [host, svc, ns, ...more] = n.split('.');
  const s = more.length === 0 && ns ? services.get(`${ns}/${svc}`) : undefined;
  if (!s) return undefined;
  // Each family's EndpointSlice by its own names: a hostname names an endpoint in both, a dashed address in its own.
  const endpoints = s.endpoints.filter((e) => endpointHostname(e) === host);
  const second = s.secondaryEndpoints?.filter((e) => endpointHostname(e) === host);
  if (endpoints.length === 0 && !second?.length) return undefined;
  return { ...s, headless: true, endpoints, ...(second ? { secondaryEndpoints: second } : {}) };
}
