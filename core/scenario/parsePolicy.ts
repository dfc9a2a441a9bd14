// NetworkPolicy documents -> typed policies, validated and defaulted as the API
// server does: pkg/apis/networking/validation (ValidateNetworkPolicySpec, -Port,
// -Peer, ValidateIPBlock) and pkg/apis/networking/v1/defaults.go.
import { containsAny, formatAnyCidr, isCidr6, type AnyCidr } from '../ip/anyIp';
import { parseCidr } from '../ip/cidr';
import { parseCidr6 } from '../ip/cidr6';
import { DocReader, isObj, join, show, type Obj } from './docReader';
import { dns1123Subdomain, portName, portNumber } from './k8sValidation';
import { readMeta } from './objectDocs';
import { PROTOCOLS } from './podTemplate';
import type { ScenarioIssue } from '../api/types';
import { readSelector, selectorText } from './selector';
import type { IPBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, PolicyType } from '../api/networkPolicy';

const POLICY_TYPES = ['Ingress', 'Egress'] as const;

/** Strict field checking, as `kubectl apply` (field validation Strict) does: a typo is an error, not a silent no-op. */
function onlyFields(r: DocReader, o: Obj, path: string, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) r.error(join(path, k), o[k], `unknown field: ${what} has ${allowed.join(', ')}`);
  }
}

/** An IPv4 or an IPv6 CIDR (an ipBlock takes either family: "192.168.1.0/24", "2001:db8::/64"). */
function readCidr(r: DocReader, value: unknown, path: string): AnyCidr | undefined {
  if (typeof value !== 'string' || value === '')
    return void r.error(
      path,
      value,
      value === undefined || value === '' ? 'Required value' : 'must be a CIDR string, like 10.0.0.0/16',
    );
  const c = value.includes(':') ? parseCidr6(value) : parseCidr(value);
  if (!c.ok) return void r.error(path, value, c.message);
  // Upstream accepts a CIDR with host bits set on this legacy field (IsValidCIDRForLegacyField) and uses its network.
  if (c.warning) r.warn(path, value, c.warning);
  return c.value;
}

function readIpBlock(r: DocReader, o: Obj, path: string): IPBlock | undefined {
  onlyFields(r, o, path, ['cidr', 'except'], 'an ipBlock');
  const range = readCidr(r, o.cidr, join(path, 'cidr'));
  const except: string[] = [];
  const exceptRanges: AnyCidr[] = [];
  (r.arr(o, 'except', path) ?? []).forEach((e, i) => {
    const ep = join(join(path, 'except'), i);
    const c = readCidr(r, e, ep);
    if (!c || !range) return;
    // ValidateIPBlock: cidrIPNet.Contains(except's IP) and a longer mask; an except of the other family is never
    // contained (net.IPNet.Contains compares families first), so it gets the same error.
    if (!containsAny(range, c.base) || c.prefix <= range.prefix) {
      const family = isCidr6(c) === isCidr6(range) ? '' : `; ${e as string} is not of cidr's IP family`;
      return r.error(ep, e, `must be a strict subset of \`cidr\` (${formatAnyCidr(range)})${family}`);
    }
    except.push(e as string);
    exceptRanges.push(c);
  });
  if (!range) return undefined;
  return { cidr: o.cidr as string, except, range, exceptRanges };
}

function readPeer(r: DocReader, p: unknown, path: string): NetworkPolicyPeer | undefined {
  if (!isObj(p))
    return void r.error(path, p, 'Required value: must specify a peer (podSelector, namespaceSelector or ipBlock)');
  onlyFields(r, p, path, ['podSelector', 'namespaceSelector', 'ipBlock'], 'a peer');
  const podSelector = readSelector(r, p, 'podSelector', path);
  const namespaceSelector = readSelector(r, p, 'namespaceSelector', path);
  const ib = r.obj(p, 'ipBlock', path);
  const ipBlock = ib ? readIpBlock(r, ib, join(path, 'ipBlock')) : undefined;
  if (!podSelector && !namespaceSelector && !ib)
    return void r.error(path, p, 'Required value: must specify a peer (podSelector, namespaceSelector or ipBlock)');
  if (ib && (podSelector || namespaceSelector))
    return void r.error(path, p, 'Forbidden: may not specify both ipBlock and another peer');
  if (ib && !ipBlock) return undefined;
  return {
    ...(podSelector ? { podSelector } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
    ...(ipBlock ? { ipBlock } : {}),
  };
}

function readPort(r: DocReader, p: unknown, path: string): NetworkPolicyPort | undefined {
  if (!isObj(p)) return void r.error(path, p, 'must be an object with protocol, port and endPort');
  onlyFields(r, p, path, ['protocol', 'port', 'endPort'], 'a port');
  const protocol = r.oneOf(p, 'protocol', path, PROTOCOLS) ?? 'TCP';
  const endPort = r.int(p, 'endPort', path);
  const port = p.port;
  const pp = join(path, 'port');
  const ep = join(path, 'endPort');
  if (port === undefined || port === null) {
    if (endPort !== undefined) r.error(ep, endPort, 'may not be specified when `port` is not specified');
    return { protocol };
  }
  if (typeof port === 'number') {
    const e = portNumber(port);
    if (e) r.error(pp, port, e);
    if (endPort !== undefined) {
      if (endPort < port) r.error(ep, endPort, 'must be greater than or equal to `port`');
      const ee = portNumber(endPort);
      if (ee) r.error(ep, endPort, ee);
    }
    return { protocol, port, ...(endPort !== undefined ? { endPort } : {}) };
  }
  if (typeof port === 'string') {
    // An IntOrString given as a string is a name, even "80" (upstream: IsValidPortName fails on it).
    if (endPort !== undefined) r.error(ep, endPort, 'may not be specified when `port` is non-numeric');
    const e = portName(port);
    if (e) r.error(pp, port, e);
    return { protocol, port };
  }
  return void r.error(pp, port, 'must be a port number or a container port name');
}

function readList<T>(
  r: DocReader,
  o: Obj,
  key: string,
  path: string,
  item: (v: unknown, path: string) => T | undefined,
): T[] {
  const out: T[] = [];
  (r.arr(o, key, path) ?? []).forEach((v, i) => {
    const x = item(v, join(join(path, key), i));
    if (x !== undefined) out.push(x);
  });
  return out;
}

function readRule(
  r: DocReader,
  v: unknown,
  path: string,
  peersKey: 'from' | 'to',
): { ports: NetworkPolicyPort[]; peers: NetworkPolicyPeer[] } | undefined {
  if (v === null || v === undefined || (isObj(v) && Object.keys(v).length === 0)) {
    r.warn(
      path,
      '',
      `an empty rule allows everything: no \`${peersKey}\` matches every ${peersKey === 'from' ? 'source' : 'destination'} and no \`ports\` every port`,
    );
    return { ports: [], peers: [] };
  }
  if (!isObj(v)) return void r.error(path, v, `must be an object with ports and ${peersKey}`);
  onlyFields(r, v, path, ['ports', peersKey], `an ${peersKey === 'from' ? 'ingress' : 'egress'} rule`);
  return {
    ports: readList(r, v, 'ports', path, (p, pp) => readPort(r, p, pp)),
    peers: readList(r, v, peersKey, path, (p, pp) => readPeer(r, p, pp)),
  };
}

/** One NetworkPolicy document (already known to be kind NetworkPolicy) -> a policy; errors go to `r`. */
export function parseNetworkPolicy(r: DocReader, doc: Obj): NetworkPolicy | undefined {
  const before = r.errors.length;
  const m = readMeta(r, doc, dns1123Subdomain);
  const spec = r.obj(doc, 'spec', '') ?? {};
  onlyFields(r, spec, 'spec', ['podSelector', 'policyTypes', 'ingress', 'egress'], 'a NetworkPolicy spec');
  // podSelector is optional in networking.k8s.io/v1 and "defaults to an empty selector" (all pods in the namespace).
  const podSelector = readSelector(r, spec, 'podSelector', 'spec');
  if (!podSelector && r.errors.length === before) {
    r.warn(
      'spec.podSelector',
      '',
      `not given: the API defaults it to {}, which selects every pod in namespace ${m?.namespace ?? 'default'}`,
    );
  }
  const ingress = readList(r, spec, 'ingress', 'spec', (v, p) => readRule(r, v, p, 'from')).map((x) => ({
    ports: x.ports,
    from: x.peers,
  }));
  const egress = readList(r, spec, 'egress', 'spec', (v, p) => readRule(r, v, p, 'to')).map((x) => ({
    ports: x.ports,
    to: x.peers,
  }));

  const rawTypes = r.arr(spec, 'policyTypes', 'spec') ?? [];
  let policyTypes: PolicyType[] = [];
  if (rawTypes.length > 2) r.error('spec.policyTypes', rawTypes, 'may not specify more than two policyTypes');
  else {
    rawTypes.forEach((t, i) => {
      if (!(POLICY_TYPES as readonly unknown[]).includes(t))
        return r.error(join('spec.policyTypes', i), t, 'supported values: "Ingress", "Egress"');
      if (!policyTypes.includes(t as PolicyType)) policyTypes.push(t as PolicyType);
    });
  }
  if (rawTypes.length === 0) {
    // SetDefaults_NetworkPolicy: "Ingress", plus "Egress" when there are egress rules (a non-empty list).
    policyTypes = egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  } else {
    if (!policyTypes.includes('Ingress') && ingress.length > 0)
      r.warn('spec.ingress', '', 'policyTypes does not include "Ingress": these ingress rules have no effect');
    if (!policyTypes.includes('Egress') && egress.length > 0)
      r.warn('spec.egress', '', 'policyTypes does not include "Egress": these egress rules have no effect');
  }
  if (!m || r.errors.length > before) return undefined;
  return { namespace: m.namespace, name: m.name, podSelector: podSelector ?? {}, policyTypes, ingress, egress };
}

export interface ParsedPolicies {
  policies: NetworkPolicy[];
  /** Errors: a policy with any error is left out of `policies`. */
  issues: ScenarioIssue[];
  warnings: ScenarioIssue[];
}

function docName(i: number, d: unknown): string {
  const m = isObj(d) && isObj(d.metadata) ? d.metadata : {};
  const ns = typeof m.namespace === 'string' ? m.namespace : 'default';
  return `NetworkPolicy ${i + 1} (NetworkPolicy ${ns}/${show(m.name)})`;
}

/**
 * Raw NetworkPolicy documents -> policies (parse.ts calls it on each; tests call it directly).
 * `documentNames[i]` names document i in messages (parse.ts's "document 3 (NetworkPolicy default/x)").
 */
export function parseNetworkPolicies(raw: unknown[], documentNames?: readonly string[]): ParsedPolicies {
  const issues: ScenarioIssue[] = [];
  const warnings: ScenarioIssue[] = [];
  const policies: NetworkPolicy[] = [];
  const seen = new Set<string>();
  raw.forEach((d, i) => {
    const r = new DocReader(documentNames?.[i] ?? docName(i, d), issues, warnings);
    if (!isObj(d)) return r.error('', d, 'a NetworkPolicy must be an object with apiVersion, kind, metadata and spec');
    if (d.kind !== undefined && d.kind !== 'NetworkPolicy') return r.error('kind', d.kind, 'must be NetworkPolicy');
    if (d.apiVersion !== undefined && d.apiVersion !== 'networking.k8s.io/v1')
      return r.error('apiVersion', d.apiVersion, 'a NetworkPolicy must have apiVersion networking.k8s.io/v1');
    const p = parseNetworkPolicy(r, d);
    if (!p) return;
    const key = `${p.namespace}/${p.name}`;
    if (seen.has(key))
      return r.error('metadata.name', p.name, `Duplicate value: NetworkPolicy "${key}" is already defined`);
    seen.add(key);
    policies.push(p);
  });
  return { policies, issues, warnings };
}

/** "default/deny-all" */
export const policyId = (p: Pick<NetworkPolicy, 'namespace' | 'name'>) => `${p.namespace}/${p.name}`;

/** A one-line summary, for listings: "default/web: pods app=web; Ingress (2 rules), Egress (no rules: deny all)". */
export function policySummary(p: NetworkPolicy): string {
  const types = p.policyTypes
    .map((t) => {
      const n = t === 'Ingress' ? p.ingress.length : p.egress.length;
      return `${t} (${n === 0 ? 'no rules: deny all' : n === 1 ? '1 rule' : `${n} rules`})`;
    })
    .join(', ');
  const pods = selectorText(p.podSelector);
  return `${policyId(p)}: ${pods === '<none>' ? 'all pods' : `pods ${pods}`}; ${types}`;
}
