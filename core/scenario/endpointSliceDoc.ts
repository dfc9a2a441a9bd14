// EndpointSlices (discovery.k8s.io/v1) and Endpoints (v1) given by hand, for a Service without a
// selector, validated as pkg/apis/discovery/validation and ValidateEndpoints do for what kube-proxy reads.
import { parseIp } from '../ip/cidr';
import { DocReader, isObj, join, type Obj } from './docReader';
import { dns1123Label, dns1123Subdomain, portNumber } from './k8sValidation';
import { readMeta } from './objectDocs';
import { PROTOCOLS } from './podTemplate';
import type { EndpointSliceDecl, EndpointSliceEndpoint, EndpointSlicePort } from '../api/types';

/** The label that ties a slice to its Service (discovery/v1 LabelServiceName). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 100;
const MAX_ADDRESSES = 100;

function readPorts(r: DocReader, list: unknown[], path: string): EndpointSlicePort[] {
  if (list.length > MAX_PORTS) r.error(path, `${list.length} ports`, `Too many: must have at most ${MAX_PORTS} items`);
  const out: EndpointSlicePort[] = [];
  list.forEach((p, i) => {
    const pp = join(path, i);
    if (!isObj(p)) return r.error(pp, p, 'must be an object with name, protocol and port');
    const name = r.str(p, 'name', pp) ?? '';
    const ne = name === '' ? undefined : dns1123Label(name);
    if (ne) r.error(join(pp, 'name'), name, ne);
    if (out.some((q) => q.name === name)) r.error(join(pp, 'name'), name, `Duplicate value: "${name}"`);
    const protocol = r.oneOf(p, 'protocol', pp, PROTOCOLS) ?? 'TCP';
    const port = r.int(p, 'port', pp);
    // kube-proxy skips a port without a number ("ignoring invalid endpoint port").
    if (port === undefined) return r.warn(join(pp, 'port'), '', 'no port number: kube-proxy ignores this port');
    const pe = portNumber(port);
    if (pe) return r.error(join(pp, 'port'), port, pe);
    out.push({ name, protocol, port });
  });
  return out;
}

function readAddresses(r: DocReader, list: unknown[], path: string, ipv4: boolean): string[] {
  if (list.length === 0) r.error(path, '', 'Required value: must contain at least 1 address');
  if (list.length > MAX_ADDRESSES)
    r.error(path, `${list.length} addresses`, `Too many: must have at most ${MAX_ADDRESSES} items`);
  const out: string[] = [];
  list.forEach((a, i) => {
    if (typeof a !== 'string') return r.error(join(path, i), a, 'must be a string (an IP address)');
    if (ipv4) {
      const p = parseIp(a);
      if (!p.ok) return r.error(join(path, i), a, `must be a valid IPv4 address (${p.message})`);
    }
    out.push(a);
  });
  return out;
}

/** The endpoint's other fields: hostname, nodeName and the pod it names. */
function endpointExtras(r: DocReader, e: Obj, path: string): Omit<EndpointSliceEndpoint, 'addresses' | 'ready'> {
  const hostname = r.str(e, 'hostname', path);
  const he = hostname !== undefined ? dns1123Label(hostname) : undefined;
  if (he) r.error(join(path, 'hostname'), hostname, he);
  const nodeName = r.str(e, 'nodeName', path);
  const ref = r.obj(e, 'targetRef', path);
  const pod = ref && ref.kind === 'Pod' ? r.str(ref, 'name', join(path, 'targetRef')) : undefined;
  return {
    ...(nodeName ? { nodeName } : {}),
    ...(hostname && !he ? { hostname } : {}),
    ...(pod ? { pod } : {}),
  };
}

export function parseEndpointSlice(r: DocReader, doc: Obj): EndpointSliceDecl | undefined {
  const m = readMeta(r, doc, dns1123Subdomain);
  if (!m) return undefined;
  const labels = r.stringMap(m.metadata, 'labels', 'metadata') ?? {};
  const addressType = r.oneOf(doc, 'addressType', '', ['IPv4', 'IPv6', 'FQDN'] as const);
  if (!addressType && doc.addressType === undefined) r.error('addressType', '', 'Required value');
  const ports = readPorts(r, r.arr(doc, 'ports', '') ?? [], 'ports');
  const list = r.arr(doc, 'endpoints', '') ?? [];
  if (list.length > MAX_ENDPOINTS)
    r.error('endpoints', `${list.length} endpoints`, `Too many: must have at most ${MAX_ENDPOINTS} items`);
  const endpoints: EndpointSliceEndpoint[] = [];
  list.forEach((e, i) => {
    const ep = join('endpoints', i);
    if (!isObj(e)) return r.error(ep, e, 'must be an object with addresses');
    const addresses = readAddresses(r, r.arr(e, 'addresses', ep) ?? [], join(ep, 'addresses'), addressType === 'IPv4');
    const conditions = r.obj(e, 'conditions', ep) ?? {};
    // A nil ready condition is read as ready (discovery/v1 EndpointConditions).
    const ready = r.bool(conditions, 'ready', join(ep, 'conditions')) ?? true;
    endpoints.push({ addresses, ready, ...endpointExtras(r, e, ep) });
  });
  const serviceName = labels[SERVICE_NAME_LABEL];
  return {
    namespace: m.namespace,
    name: m.name,
    ...(serviceName ? { serviceName } : {}),
    addressType: addressType ?? 'IPv4',
    ports,
    endpoints,
  };
}

/**
 * A v1 Endpoints object as the EndpointSlice mirroring controller turns it into slices for the Service
 * of the same name (pkg/controller/endpointslicemirroring): one per subset, ready and not-ready addresses.
 */
export function parseEndpoints(r: DocReader, doc: Obj): EndpointSliceDecl[] {
  const m = readMeta(r, doc, dns1123Subdomain);
  if (!m) return [];
  const out: EndpointSliceDecl[] = [];
  (r.arr(doc, 'subsets', '') ?? []).forEach((s, i) => {
    const sp = join('subsets', i);
    if (!isObj(s)) return r.error(sp, s, 'must be an object with addresses and ports');
    const ports = readPorts(r, r.arr(s, 'ports', sp) ?? [], join(sp, 'ports'));
    const endpoints: EndpointSliceEndpoint[] = [];
    for (const [key, ready] of [
      ['addresses', true],
      ['notReadyAddresses', false],
    ] as const) {
      (r.arr(s, key, sp) ?? []).forEach((a, j) => {
        const ap = join(join(sp, key), j);
        if (!isObj(a)) return r.error(ap, a, 'must be an object with ip');
        const ip = r.str(a, 'ip', ap);
        if (ip === undefined) return r.error(join(ap, 'ip'), '', 'Required value');
        const p = parseIp(ip);
        if (!p.ok) return r.error(join(ap, 'ip'), ip, `must be a valid IPv4 address (${p.message})`);
        endpoints.push({ addresses: [ip], ready, ...endpointExtras(r, a, ap) });
      });
    }
    out.push({
      namespace: m.namespace,
      name: m.name,
      serviceName: m.name,
      addressType: 'IPv4',
      ports,
      endpoints,
      mirrored: true,
    });
  });
  return out;
}
