// What-if edits through the YAML document model (yamlText.ts): the scenario stays the
// user's YAML, with its comments and layout, and one field changes. The result is parsed
// like any other scenario text, so an edit can never bypass validation.
import { isMap, isSeq, parse, stringify, type Document } from 'yaml';
import { kindNodeName } from './clusterDoc';
import { keyMap } from './docReader';
import { YamlText } from './yamlText';

export type ClusterField =
  'podSubnet' | 'serviceSubnet' | 'nodeCIDRMaskSize' | 'nodeCIDRMaskSizeIPv6' | 'nodeSubnet' | 'cni' | 'kubeProxyMode';
export type ServiceField = 'type' | 'externalTrafficPolicy' | 'port' | 'targetPort' | 'nodePort';

export type ScenarioEdit =
  | { kind: 'cluster'; field: ClusterField; value: string }
  | { kind: 'addNode' }
  | { kind: 'removeNode'; name: string }
  | { kind: 'replicas'; namespace: string; name: string; value: string }
  | { kind: 'service'; namespace: string; name: string; field: ServiceField; port: number; value: string }
  | { kind: 'serviceSelector'; namespace: string; name: string; value: string };

export type EditResult =
  | { ok: true; text: string; /** Where the edited field lives, as parse errors name it. */ path: string }
  | { ok: false; message: string };

const NUMERIC = new Set(['nodeCIDRMaskSize', 'nodeCIDRMaskSizeIPv6', 'port', 'nodePort']);

/** A number typed into a field becomes a YAML number; anything else stays a string for validation to judge. */
function scalar(field: string, value: string): string | number | null {
  const v = value.trim();
  if (field === 'nodePort' && v === '') return null;
  // Whole numbers, negative ones too: the validation after the edit then says what the API says ("must be >= 0").
  if ((NUMERIC.has(field) || field === 'targetPort' || field === 'replicas') && /^-?\d+$/.test(v)) return Number(v);
  return v;
}

function meta(doc: Document): { kind: unknown; ns: string; name: unknown } {
  const ns = doc.getIn(['metadata', 'namespace']);
  return { kind: doc.get('kind'), ns: typeof ns === 'string' ? ns : 'default', name: doc.getIn(['metadata', 'name']) };
}

/** Which document an edit touches: the Cluster, or a workload or Service by namespace/name. */
function targetOf(edit: ScenarioEdit): (d: Record<string, unknown>) => boolean {
  const named = (kinds: string[], ns: string, name: string) => (d: Record<string, unknown>) => {
    const m = (d.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    return (
      kinds.includes(String(d.kind)) &&
      (typeof m.namespace === 'string' ? m.namespace : 'default') === ns &&
      m.name === name
    );
  };
  switch (edit.kind) {
    case 'cluster':
    case 'addNode':
    case 'removeNode':
      return (d) => d.kind === 'Cluster';
    case 'replicas':
      return named(['Deployment', 'ReplicaSet'], edit.namespace, edit.name);
    default:
      return named(['Service'], edit.namespace, edit.name);
  }
}

/**
 * A JSON list of documents (what the generator writes for big clusters): only
 * the target document goes through the YAML editor, the rest stays as it is,
 * one document per line.
 */
function editJsonList(text: string, edit: ScenarioEdit): EditResult {
  let docs: unknown;
  try {
    docs = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `the scenario is not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(docs)) return { ok: false, message: 'a JSON scenario must be a list of documents' };
  const at = docs.findIndex((d) => d !== null && typeof d === 'object' && targetOf(edit)(d as Record<string, unknown>));
  const whatFor =
    edit.kind === 'cluster' || edit.kind === 'addNode' || edit.kind === 'removeNode'
      ? 'Cluster document'
      : `${edit.kind === 'replicas' ? 'Deployment or ReplicaSet' : 'Service'} ${edit.namespace}/${edit.name}`;
  if (at < 0) return { ok: false, message: `no ${whatFor} in the scenario` };
  // A networking field does not touch the node list: 5,000 nodes stay out of the YAML round trip (and keep their place).
  const target = docs[at] as Record<string, unknown>;
  const nodes = edit.kind === 'cluster' && Array.isArray(target.nodes) ? target.nodes : undefined;
  const one = editScenario(stringify(nodes ? { ...target, nodes: [] } : target), edit);
  if (!one.ok) return one;
  const edited = parse(one.text) as Record<string, unknown>;
  if (nodes) edited.nodes = nodes;
  const out = [...docs];
  out[at] = edited;
  return { ok: true, text: `[\n${out.map((d) => JSON.stringify(d)).join(',\n')}\n]\n`, path: one.path };
}

export function editScenario(text: string, edit: ScenarioEdit): EditResult {
  if (/^\s*\[/.test(text)) return editJsonList(text, edit);
  const yaml = new YamlText(text);
  const docs = yaml.docs;
  if (!yaml.ok) return { ok: false, message: 'the scenario text does not parse; fix it in the YAML editor first' };
  const done = (path: string, changed?: Document): EditResult => {
    if (changed) yaml.restructure(changed);
    return { ok: true, text: yaml.toString(), path };
  };
  const set = (doc: Document.Parsed, path: (string | number)[], value: string | number, at: string) => {
    yaml.setScalar(doc, path, value);
    return done(at);
  };
  const find = (kinds: string[], namespace: string, name: string) =>
    docs.find((d) => {
      const m = meta(d);
      return kinds.includes(String(m.kind)) && m.ns === namespace && m.name === name;
    });
  const cluster = docs.find((d) => d.get('kind') === 'Cluster');

  switch (edit.kind) {
    case 'cluster': {
      if (!cluster) return { ok: false, message: 'the scenario has no Cluster document to edit' };
      return set(cluster, ['networking', edit.field], scalar(edit.field, edit.value)!, `networking.${edit.field}`);
    }
    case 'addNode': {
      if (!cluster) return { ok: false, message: 'the scenario has no Cluster document to edit' };
      const nodes = cluster.get('nodes');
      if (!isSeq(nodes)) {
        // kind's default is one control-plane node: keep it, add a worker.
        cluster.set('nodes', cluster.createNode([{ role: 'control-plane' }, { role: 'worker' }]));
        return done('nodes', cluster);
      }
      const named = nodes.items
        .filter(isMap)
        .map((n) => n.get('name'))
        .filter((n): n is string => typeof n === 'string');
      const entry: Record<string, string> = { role: 'worker' };
      // Nodes the user named get a named sibling (node-b → node-c); otherwise kind names it.
      if (named.length > 0) entry.name = nextName(named);
      nodes.add(cluster.createNode(entry));
      return done(`nodes[${nodes.items.length - 1}]`, cluster);
    }
    case 'removeNode': {
      if (!cluster) return { ok: false, message: 'the scenario has no Cluster document to edit' };
      const nodes = cluster.get('nodes');
      const name = String(cluster.get('name') ?? 'kind');
      if (!isSeq(nodes))
        return { ok: false, message: `node ${edit.name} is kind's default node; add nodes before removing one` };
      const counts: Record<string, number> = { 'control-plane': 0, worker: 0 };
      const at = nodes.items.findIndex((n) => {
        if (!isMap(n)) return false;
        const role = String(n.get('role') ?? 'control-plane');
        counts[role] = (counts[role] ?? 0) + 1;
        return (n.get('name') ?? kindNodeName(name, role, counts[role]!)) === edit.name;
      });
      if (at < 0)
        return {
          ok: false,
          message: `node ${edit.name} is not declared in the Cluster document (a Node document adds it; edit that in the YAML)`,
        };
      if (nodes.items.length === 1) return { ok: false, message: 'a cluster needs at least one node' };
      nodes.delete(at);
      return done('nodes', cluster);
    }
    case 'replicas': {
      const d = find(['Deployment', 'ReplicaSet'], edit.namespace, edit.name);
      if (!d)
        return { ok: false, message: `no Deployment or ReplicaSet ${edit.namespace}/${edit.name} in the scenario` };
      return set(d, ['spec', 'replicas'], scalar('replicas', edit.value)!, 'spec.replicas');
    }
    case 'service': {
      const d = find(['Service'], edit.namespace, edit.name);
      if (!d) return { ok: false, message: `no Service ${edit.namespace}/${edit.name} in the scenario` };
      if (edit.field === 'type' || edit.field === 'externalTrafficPolicy')
        return set(d, ['spec', edit.field], edit.value, `spec.${edit.field}`);
      const v = scalar(edit.field, edit.value);
      const path = `spec.ports[${edit.port}].${edit.field}`;
      if (v !== null) return set(d, ['spec', 'ports', edit.port, edit.field], v, path);
      d.deleteIn(['spec', 'ports', edit.port, edit.field]);
      return done(path, d);
    }
    case 'serviceSelector': {
      const d = find(['Service'], edit.namespace, edit.name);
      if (!d) return { ok: false, message: `no Service ${edit.namespace}/${edit.name} in the scenario` };
      const selector = keyMap();
      for (const part of edit.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const eq = part.indexOf('=');
        if (eq <= 0)
          return { ok: false, message: `"${part}" is not key=value; write a selector such as app=web,tier=front` };
        selector[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
      }
      d.setIn(['spec', 'selector'], d.createNode({ ...selector }, { flow: true }));
      return done('spec.selector', d);
    }
  }
}

/** node-b → node-c, worker9 → worker10, alpha → alpha-2; never a name already taken. */
export function nextName(names: string[]): string {
  const taken = new Set(names);
  const last = names[names.length - 1]!;
  const digits = /^(.*?)(\d+)$/.exec(last);
  const letter = /^(.*[^a-z])([a-z])$/.exec(last);
  for (let i = 1; i < 10_000; i++) {
    let candidate = `${last}-${i + 1}`;
    if (digits) candidate = `${digits[1]}${Number(digits[2]) + i}`;
    else if (letter && letter[2]!.charCodeAt(0) + i <= 122)
      candidate = `${letter[1]}${String.fromCharCode(letter[2]!.charCodeAt(0) + i)}`;
    if (!taken.has(candidate)) return candidate;
  }
  return `${last}-${names.length + 1}-new`;
}
