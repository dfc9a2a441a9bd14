// DaemonSet, StatefulSet and Job documents, validated as the API server's
// pkg/apis/apps/validation and pkg/apis/batch/validation do for the fields the model reads.
import { DocReader, keyMap, type Obj } from './docReader';
import { dns1123Subdomain } from './k8sValidation';
import { matchesSelector } from '../api/labels';
import { readMeta, type Meta } from './objectDocs';
import { parsePodSpec } from './podTemplate';
import { readSelector } from './selector';
import { parseDaemonSetStrategy, parseStatefulSetStrategy } from './strategyDocs';
import type { DaemonSetDecl, JobDecl, LabelSelector, PodSpecLite, StatefulSetDecl } from '../api/types';

interface Templated {
  meta: Meta;
  spec: Obj;
  template: PodSpecLite;
  /** The template's restartPolicy as written (the API server defaults it to Always). */
  restartPolicy?: string;
}

/** metadata, spec and spec.template: what every pod controller has. */
function readTemplated(r: DocReader, doc: Obj): Templated | undefined {
  const meta = readMeta(r, doc, dns1123Subdomain);
  const spec = r.obj(doc, 'spec', '');
  if (!meta) return undefined;
  if (!spec) return void r.error('spec', '', 'Required value');
  const template = r.obj(spec, 'template', 'spec');
  if (!template) return void r.error('spec.template', '', 'Required value');
  const podSpec = r.obj(template, 'spec', 'spec.template') ?? {};
  const parsed = parsePodSpec(r, r.obj(template, 'metadata', 'spec.template') ?? {}, podSpec, 'spec.template');
  const restartPolicy = r.str(podSpec, 'restartPolicy', 'spec.template.spec');
  return { meta, spec, template: parsed, ...(restartPolicy !== undefined ? { restartPolicy } : {}) };
}

/** spec.selector: required, not empty, and matching the template's labels (ValidateDaemonSetSpec, ValidateStatefulSetSpec). */
function requiredSelector(r: DocReader, t: Templated, kind: string): LabelSelector {
  const selector = readSelector(r, t.spec, 'selector', 'spec');
  if (!selector) r.error('spec.selector', '', 'Required value');
  else if (Object.keys(selector.matchLabels ?? {}).length === 0 && !selector.matchExpressions)
    r.error('spec.selector', '{}', `Invalid value: empty selector is invalid for ${kind}`);
  else if (!matchesSelector(selector, t.template.labels))
    r.error('spec.template.metadata.labels', t.template.labels, '`selector` does not match template `labels`');
  return selector ?? {};
}

/** A DaemonSet or StatefulSet pod restarts in place: its template's restartPolicy may only be Always. */
function alwaysRestarts(r: DocReader, t: Templated): void {
  if (t.restartPolicy !== undefined && t.restartPolicy !== 'Always')
    r.error('spec.template.spec.restartPolicy', t.restartPolicy, 'Unsupported value: supported values: "Always"');
}

export function parseDaemonSet(r: DocReader, doc: Obj): DaemonSetDecl | undefined {
  const t = readTemplated(r, doc);
  if (!t) return undefined;
  const selector = requiredSelector(r, t, 'daemonset');
  alwaysRestarts(r, t);
  const updateStrategy = parseDaemonSetStrategy(r, t.spec);
  return {
    kind: 'DaemonSet',
    namespace: t.meta.namespace,
    name: t.meta.name,
    selector,
    template: t.template,
    ...(updateStrategy ? { updateStrategy } : {}),
  };
}

export function parseStatefulSet(r: DocReader, doc: Obj): StatefulSetDecl | undefined {
  const t = readTemplated(r, doc);
  if (!t) return undefined;
  const selector = requiredSelector(r, t, 'statefulset');
  alwaysRestarts(r, t);
  const replicas = r.int(t.spec, 'replicas', 'spec') ?? 1;
  if (replicas < 0) r.error('spec.replicas', replicas, 'must be greater than or equal to 0');
  const policy =
    r.oneOf(t.spec, 'podManagementPolicy', 'spec', ['OrderedReady', 'Parallel'] as const) ?? 'OrderedReady';
  const serviceName = r.str(t.spec, 'serviceName', 'spec');
  const ordinals = r.obj(t.spec, 'ordinals', 'spec');
  const start = (ordinals && r.int(ordinals, 'start', 'spec.ordinals')) ?? 0;
  if (start < 0) r.error('spec.ordinals.start', start, 'must be greater than or equal to 0');
  const updateStrategy = parseStatefulSetStrategy(r, t.spec);
  return {
    kind: 'StatefulSet',
    namespace: t.meta.namespace,
    name: t.meta.name,
    replicas: Math.max(0, replicas),
    selector,
    template: t.template,
    ...(serviceName ? { serviceName } : {}),
    podManagementPolicy: policy,
    ordinalsStart: Math.max(0, start),
    ...(updateStrategy ? { updateStrategy } : {}),
  };
}

export function parseJob(r: DocReader, doc: Obj): JobDecl | undefined {
  const t = readTemplated(r, doc);
  if (!t) return undefined;
  // A Job's pods run to completion: ValidateJobSpec allows only OnFailure and Never (Always is the pod default).
  if (t.restartPolicy === undefined)
    r.error('spec.template.spec.restartPolicy', '', 'Required value: valid values: "OnFailure", "Never"');
  else if (t.restartPolicy !== 'OnFailure' && t.restartPolicy !== 'Never')
    r.error(
      'spec.template.spec.restartPolicy',
      t.restartPolicy,
      'Unsupported value: supported values: "OnFailure", "Never"',
    );
  const parallelism = r.int(t.spec, 'parallelism', 'spec') ?? 1;
  if (parallelism < 0) r.error('spec.parallelism', parallelism, 'must be greater than or equal to 0');
  const completions = r.int(t.spec, 'completions', 'spec');
  if (completions !== undefined && completions < 0)
    r.error('spec.completions', completions, 'must be greater than or equal to 0');
  const mode = r.oneOf(t.spec, 'completionMode', 'spec', ['NonIndexed', 'Indexed'] as const) ?? 'NonIndexed';
  if (mode === 'Indexed' && completions === undefined)
    r.error('spec.completions', '', 'Required value: when completion mode is Indexed');
  const suspended = r.bool(t.spec, 'suspend', 'spec') ?? false;
  // As the Job controller's manageJob with nothing succeeded yet: parallelism, capped by the completions left.
  const wanted = Math.max(0, completions === undefined ? parallelism : Math.min(parallelism, completions));
  // The API server labels a Job's pods with its name (job strategy's generateSelector).
  const labels = keyMap();
  Object.assign(labels, t.template.labels);
  labels['batch.kubernetes.io/job-name'] = t.meta.name;
  labels['job-name'] = t.meta.name;
  return {
    kind: 'Job',
    namespace: t.meta.namespace,
    name: t.meta.name,
    active: suspended ? 0 : wanted,
    indexed: mode === 'Indexed',
    template: { ...t.template, labels },
  };
}
