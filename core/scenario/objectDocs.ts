// Kubernetes manifests: Namespace, Node, Pod, Deployment, ReplicaSet,
// Service, NetworkPolicy, validated as the API server would.
import { readSelector } from './selector';
import { containsIp, formatCidr, lastAddress, parseIp } from '../ip/cidr';
import type { Cidr } from '../ip/types';
import { DocReader, isObj, join, type Obj } from './docReader';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelKey, portName, portNumber } from './k8sValidation';
import { matchesSelector } from '../api/labels';
import { PROTOCOLS, parsePodSpec, validLabels } from './podTemplate';
import { parseServiceFamilies } from './serviceFamilies';
import { parseDeploymentStrategy } from './strategyDocs';
import type {
  NamespaceDecl,
  PodDecl,
  SecondaryFamilySpec,
  ServiceDecl,
  ServicePortDecl,
  WorkloadDecl,
} from '../api/types';

export interface Meta {
  name: string;
  namespace: string;
  metadata: Obj;
}

/** metadata.name and metadata.namespace, validated with the given name rule. */
export function readMeta(
  r: DocReader,
  doc: Obj,
  nameRule: (v: string) => string | undefined,
  namespaced = true,
): Meta | undefined {
  const metadata = r.obj(doc, 'metadata', '');
  if (!metadata) return void r.error('metadata', '', 'Required value: metadata.name is required');
  const name = r.str(metadata, 'name', 'metadata');
  if (name === undefined) return void r.error('metadata.name', '', 'Required value: name or generateName is required');
  const ne = nameRule(name);
  if (ne) r.error('metadata.name', name, ne);
  validAnnotations(r, r.stringMap(metadata, 'annotations', 'metadata'));
  const namespace = namespaced ? (r.str(metadata, 'namespace', 'metadata') ?? 'default') : '';
  if (namespaced) {
    const nse = dns1123Label(namespace);
    if (nse) r.error('metadata.namespace', namespace, nse);
  }
  return { name, namespace, metadata };
}

/** As ValidateAnnotations: each key a qualified name once lowercased, 256 KiB in all. */
function validAnnotations(r: DocReader, annotations: Record<string, string> | undefined): void {
  if (!annotations) return;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    const ke = labelKey(k.toLowerCase());
    if (ke) r.error(`metadata.annotations.${k}`, k, ke);
    size += k.length + v.length;
  }
  if (size > 256 * 1024) r.error('metadata.annotations', `${size} bytes`, 'Too long: must have at most 262144 bytes');
}

export function parseNamespace(r: DocReader, doc: Obj): NamespaceDecl | undefined {
  const m = readMeta(r, doc, dns1123Label, false);
  if (!m) return undefined;
  return {
    name: m.name,
    labels: {
      'kubernetes.io/metadata.name': m.name,
      ...validLabels(r, r.stringMap(m.metadata, 'labels', 'metadata'), 'metadata.labels'),
    },
  };
}

export function parseWorkload(r: DocReader, doc: Obj, kind: 'Deployment' | 'ReplicaSet'): WorkloadDecl | undefined {
  const m = readMeta(r, doc, dns1123Subdomain);
  const spec = r.obj(doc, 'spec', '');
  if (!m) return undefined;
  if (!spec) return void r.error('spec', '', 'Required value');
  const replicas = r.int(spec, 'replicas', 'spec') ?? 1;
  if (replicas < 0) r.error('spec.replicas', replicas, 'must be greater than or equal to 0');
  const selector = readSelector(r, spec, 'selector', 'spec');
  if (!selector) r.error('spec.selector', '', 'Required value');
  const template = r.obj(spec, 'template', 'spec');
  if (!template) return void r.error('spec.template', '', 'Required value');
  const podSpec = parsePodSpec(
    r,
    r.obj(template, 'metadata', 'spec.template') ?? {},
    r.obj(template, 'spec', 'spec.template') ?? {},
    'spec.template',
  );
  if (selector && Object.keys(selector.matchLabels ?? {}).length === 0 && !selector.matchExpressions) {
    r.error('spec.selector', '{}', 'Invalid value: empty selector is invalid for deployment');
  } else if (selector && !matchesSelector(selector, podSpec.labels)) {
    r.error('spec.template.metadata.labels', podSpec.labels, '`selector` does not match template `labels`');
  }
  const strategy = kind === 'Deployment' ? parseDeploymentStrategy(r, spec) : undefined;
  return {
    kind,
    namespace: m.namespace,
    name: m.name,
    replicas: Math.max(0, replicas),
    selector: selector ?? {},
    template: podSpec,
    ...(strategy ? { strategy } : {}),
  };
}

export function parsePod(r: DocReader, doc: Obj): PodDecl | undefined {
  const m = readMeta(r, doc, dns1123Subdomain);
  if (!m) return undefined;
  const spec = r.obj(doc, 'spec', '');
  if (!spec) return void r.error('spec', '', 'Required value');
  return { kind: 'Pod', namespace: m.namespace, name: m.name, spec: parsePodSpec(r, m.metadata, spec, '') };
}

export function parseService(
  r: DocReader,
  doc: Obj,
  serviceSubnet: Cidr | undefined,
  secondary?: SecondaryFamilySpec,
): ServiceDecl | undefined {
  const m = readMeta(r, doc, dns1035Label);
  if (!m) return undefined;
  const spec = r.obj(doc, 'spec', '') ?? {};
  const rawType = r.str(spec, 'type', 'spec');
  if (rawType === 'ExternalName') r.error('spec.type', rawType, 'ExternalName Services are not supported yet');
  const type =
    r.oneOf(spec, 'type', 'spec', ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const) ?? 'ClusterIP';
  const givenIP = r.str(spec, 'clusterIP', 'spec');
  // NormalizeClusterIPs (pkg/registry/core/service/strategy.go): clusterIPs alone sets clusterIP to its first entry.
  const listed = Array.isArray(spec.clusterIPs) ? spec.clusterIPs[0] : undefined;
  const clusterIP = givenIP || (typeof listed === 'string' && listed !== '' ? listed : givenIP);
  // An IPv6 clusterIP is judged with the Service's families (parseServiceFamilies).
  // In an IPv6 single-stack cluster (no IPv4 serviceSubnet) parseServiceFamilies refuses an IPv4 one.
  if (
    serviceSubnet &&
    clusterIP !== undefined &&
    clusterIP !== 'None' &&
    clusterIP !== '' &&
    !clusterIP.includes(':')
  ) {
    const p = parseIp(clusterIP);
    if (!p.ok) r.error('spec.clusterIP', clusterIP, p.message);
    else if (
      !containsIp(serviceSubnet, p.value) ||
      p.value === serviceSubnet.base ||
      p.value === lastAddress(serviceSubnet)
    ) {
      r.error(
        'spec.clusterIP',
        clusterIP,
        `provided IP is not in the valid range. The range of valid IPs is ${formatCidr(serviceSubnet)}`,
      );
    }
  }
  if (clusterIP === 'None' && type !== 'ClusterIP')
    r.error('spec.clusterIP', clusterIP, "may not be set to 'None' for NodePort or LoadBalancer services");
  const selector = r.stringMap(spec, 'selector', 'spec');
  validLabels(r, selector, 'spec.selector');
  const ports: ServicePortDecl[] = [];
  const list = r.arr(spec, 'ports', 'spec') ?? [];
  if (list.length === 0 && clusterIP !== 'None') r.error('spec.ports', '', 'Required value');
  const names = new Set<string>();
  list.forEach((p, i) => {
    const pp = join('spec.ports', i);
    if (!isObj(p)) return r.error(pp, p, 'must be an object with port');
    const port = r.int(p, 'port', pp);
    if (port === undefined) return r.error(join(pp, 'port'), '', 'Required value');
    const pe = portNumber(port);
    if (pe) r.error(join(pp, 'port'), port, pe);
    const name = r.str(p, 'name', pp);
    if (name === undefined && list.length > 1)
      r.error(join(pp, 'name'), '', 'Required value: every port needs a name when a Service has more than one');
    if (name !== undefined && name !== '') {
      const ne = dns1123Label(name);
      if (ne) r.error(join(pp, 'name'), name, ne);
      if (names.has(name)) r.error(join(pp, 'name'), name, `Duplicate value: "${name}"`);
      names.add(name);
    }
    const protocol = r.oneOf(p, 'protocol', pp, PROTOCOLS) ?? 'TCP';
    let targetPort: number | string = port;
    const tp = p.targetPort;
    if (typeof tp === 'number') {
      const te = portNumber(tp);
      if (te) r.error(join(pp, 'targetPort'), tp, te);
      targetPort = tp;
    } else if (typeof tp === 'string') {
      // A string is an intstr of type String: a container port name (IANA_SVC_NAME), even "8080".
      const te = portName(tp);
      if (te)
        r.error(
          join(pp, 'targetPort'),
          tp,
          /^\d+$/.test(tp) ? `${te} (a quoted number is a port name; write ${tp} unquoted)` : te,
        );
      targetPort = tp;
    } else if (tp !== undefined && tp !== null)
      r.error(join(pp, 'targetPort'), tp, 'must be a port number or a container port name');
    const nodePort = r.int(p, 'nodePort', pp);
    if (nodePort !== undefined && nodePort !== 0) {
      if (type === 'ClusterIP')
        r.error(join(pp, 'nodePort'), nodePort, "Forbidden: may not be used when `type` is 'ClusterIP'");
      else if (nodePort < 30000 || nodePort > 32767)
        r.error(
          join(pp, 'nodePort'),
          nodePort,
          'provided port is not in the valid range. The range of valid ports is 30000-32767',
        );
    }
    // As ValidateService: (protocol, port) pairs and (protocol, nodePort) pairs are unique within a Service.
    const first = ports.findIndex((q) => q.port === port && q.protocol === protocol);
    if (first >= 0)
      r.error(pp, `${port}/${protocol}`, `Duplicate value: port ${port}/${protocol} is already spec.ports[${first}]`);
    const firstNodePort = nodePort ? ports.findIndex((q) => q.nodePort === nodePort && q.protocol === protocol) : -1;
    if (firstNodePort >= 0)
      r.error(
        join(pp, 'nodePort'),
        nodePort,
        `Duplicate value: nodePort ${nodePort}/${protocol} is already spec.ports[${firstNodePort}]`,
      );
    ports.push({ ...(name ? { name } : {}), protocol, port, targetPort, ...(nodePort ? { nodePort } : {}) });
  });
  const etp = r.oneOf(spec, 'externalTrafficPolicy', 'spec', ['Cluster', 'Local'] as const);
  if (etp && type === 'ClusterIP')
    r.error('spec.externalTrafficPolicy', etp, "may only be set when `type` is 'NodePort' or 'LoadBalancer'");
  const itp = r.oneOf(spec, 'internalTrafficPolicy', 'spec', ['Cluster', 'Local'] as const) ?? 'Cluster';
  const sessionAffinity = r.oneOf(spec, 'sessionAffinity', 'spec', ['None', 'ClientIP'] as const) ?? 'None';
  const sessionAffinityTimeout = affinityTimeout(r, spec, sessionAffinity);
  const hasSelector = !!selector && Object.keys(selector).length > 0;
  const families = parseServiceFamilies(r, spec, givenIP || undefined, hasSelector, secondary, !!serviceSubnet);
  return {
    namespace: m.namespace,
    name: m.name,
    type: type === 'ExternalName' ? 'ClusterIP' : type,
    ...(clusterIP !== undefined && clusterIP !== '' ? { clusterIP } : {}),
    ...(selector && Object.keys(selector).length > 0 ? { selector } : {}),
    ports,
    externalTrafficPolicy: etp ?? 'Cluster',
    internalTrafficPolicy: itp,
    sessionAffinity,
    ...(sessionAffinityTimeout !== undefined ? { sessionAffinityTimeout } : {}),
    // Recorded in dual-stack clusters only: a single-stack cluster's Services are all SingleStack IPv4.
    ...(secondary && families ? families : {}),
  };
}

/** spec.sessionAffinityConfig.clientIP.timeoutSeconds: default 10800 (3 h), at most 86400 (ValidateClientIPAffinityConfig). */
function affinityTimeout(r: DocReader, spec: Obj, affinity: 'None' | 'ClientIP'): number | undefined {
  const cfg = r.obj(spec, 'sessionAffinityConfig', 'spec');
  if (affinity === 'None') {
    if (cfg) r.error('spec.sessionAffinityConfig', '', 'must not be set when session affinity is None');
    return undefined;
  }
  const client = cfg ? r.obj(cfg, 'clientIP', 'spec.sessionAffinityConfig') : undefined;
  const t = client ? r.int(client, 'timeoutSeconds', 'spec.sessionAffinityConfig.clientIP') : undefined;
  if (t === undefined) return 10800;
  if (t <= 0 || t > 86400)
    r.error('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, 'must be greater than 0 and less than 86400');
  return t;
}
