// Pod specs: the parts of a Pod (or a workload's template) the network model reads.
import { DocReader, isObj, join, type Obj } from './docReader';
import { parsePodDns } from './podDns';
import { labelKey, labelValue, portName, portNumber } from './k8sValidation';
import type { ContainerPort, Labels, PodSpecLite, Protocol } from '../api/types';

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

export function validLabels(r: DocReader, labels: Labels | undefined, path: string): Labels {
  if (!labels) return {};
  for (const [k, v] of Object.entries(labels)) {
    const ke = labelKey(k);
    if (ke) r.error(`${path}.${k}`, k, ke);
    const ve = labelValue(v);
    if (ve) r.error(`${path}.${k}`, v, ve);
  }
  return labels;
}

/** metadata.labels + spec of a Pod, or of a template (`path` points at the template). */
export function parsePodSpec(r: DocReader, metadata: Obj, spec: Obj, path: string): PodSpecLite {
  const mp = join(path, 'metadata');
  const sp = join(path, 'spec');
  const labels = validLabels(r, r.stringMap(metadata, 'labels', mp), `${mp}.labels`);
  const ports: ContainerPort[] = [];
  const containers = r.arr(spec, 'containers', sp);
  if (!containers || containers.length === 0)
    r.error(join(sp, 'containers'), '', 'Required value: a pod needs at least one container');
  const portNames = new Set<string>();
  (containers ?? []).forEach((c, ci) => {
    const cp = join(join(sp, 'containers'), ci);
    if (!isObj(c)) return r.error(cp, c, 'must be an object with name and image');
    (r.arr(c, 'ports', cp) ?? []).forEach((port, pi) => {
      const pp = join(join(cp, 'ports'), pi);
      if (!isObj(port)) return r.error(pp, port, 'must be an object with containerPort');
      const containerPort = r.int(port, 'containerPort', pp);
      if (containerPort === undefined) return r.error(join(pp, 'containerPort'), '', 'Required value');
      const pe = portNumber(containerPort);
      if (pe) return r.error(join(pp, 'containerPort'), containerPort, pe);
      const protocol: Protocol = r.oneOf(port, 'protocol', pp, PROTOCOLS) ?? 'TCP';
      const name = r.str(port, 'name', pp);
      if (name !== undefined) {
        const ne = portName(name);
        if (ne) r.error(join(pp, 'name'), name, ne);
        else if (portNames.has(name))
          r.error(join(pp, 'name'), name, 'Duplicate value: port names must be unique within a pod');
        portNames.add(name);
      }
      ports.push({ ...(name !== undefined ? { name } : {}), containerPort, protocol });
    });
  });
  const nodeName = r.str(spec, 'nodeName', sp);
  const nodeSelector = r.stringMap(spec, 'nodeSelector', sp);
  validLabels(r, nodeSelector, join(sp, 'nodeSelector'));
  const hostNetwork = r.bool(spec, 'hostNetwork', sp) ?? false;
  const tolerations: PodSpecLite['tolerations'] = [];
  (r.arr(spec, 'tolerations', sp) ?? []).forEach((t, i) => {
    const tp = join(join(sp, 'tolerations'), i);
    if (!isObj(t)) return r.error(tp, t, 'must be an object');
    const key = r.str(t, 'key', tp);
    const operator = r.oneOf(t, 'operator', tp, ['Exists', 'Equal'] as const);
    const value = r.str(t, 'value', tp);
    const effect = r.oneOf(t, 'effect', tp, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const);
    tolerations.push({
      ...(key !== undefined ? { key } : {}),
      ...(operator ? { operator } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(effect ? { effect } : {}),
    });
  });
  return {
    labels,
    ports,
    ...(nodeName !== undefined ? { nodeName } : {}),
    ...(nodeSelector ? { nodeSelector } : {}),
    tolerations,
    hostNetwork,
    ...parsePodDns(r, spec, sp),
  };
}
