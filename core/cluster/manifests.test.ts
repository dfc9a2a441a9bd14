// Real manifests: Jobs (pkg/controller/job manageJob: min(parallelism, completions) active pods;
// generateName NAME- or, Indexed, NAME-INDEX-), EndpointSlices as kube-proxy's EndpointSliceCache reads
// them, Endpoints as the mirroring controller turns them into slices, kubectl's List, and every other
// well-formed kind accepted and listed as not modelled.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from './realize';
import { realizeJson, realizeText } from '../../cli/realizeCommand';
import type { RealizedCluster } from '../api/types';

function realized(text: string): RealizedCluster {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.document} ${e.path}: ${e.message}`).join('\n'));
  return realize(r.scenario);
}
const errorsOf = (text: string) => {
  const r = parseScenario(text);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

const CLUSTER = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: t
networking: {podSubnet: 10.244.0.0/16, serviceSubnet: 10.96.0.0/16}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
`;
const job = (spec: string, restart = 'restartPolicy: Never') => `---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  ${spec}
  template:
    spec:
      ${restart}
      containers: [{name: m, image: x}]
`;
const jobPods = (c: RealizedCluster) => c.pods.filter((p) => p.owner === 'Job/default/migrate');

describe('Job: its running pods', () => {
  it('runs min(parallelism, completions) pods named NAME-xxxxx, none while suspended', () => {
    expect(jobPods(realized(CLUSTER + job('parallelism: 1'))).length).toBe(1);
    expect(jobPods(realized(CLUSTER + job('parallelism: 4'))).length).toBe(4);
    expect(jobPods(realized(CLUSTER + job('parallelism: 4\n  completions: 2'))).length).toBe(2);
    expect(jobPods(realized(CLUSTER + job('suspend: true'))).length).toBe(0);
    const pods = jobPods(realized(CLUSTER + job('parallelism: 3')));
    for (const p of pods) expect(p.name).toMatch(/^migrate-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    // The API server labels them with the Job's name, so a Service can select them by it.
    expect(pods[0]!.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'migrate', 'job-name': 'migrate' });
  });

  it('names Indexed pods NAME-INDEX-xxxxx', () => {
    const pods = jobPods(realized(CLUSTER + job('completionMode: Indexed\n  completions: 3\n  parallelism: 3')));
    expect(pods.map((p) => p.name.replace(/-[^-]+$/, ''))).toEqual(['migrate-0', 'migrate-1', 'migrate-2']);
  });

  it('refuses a template whose pods would restart forever, as ValidateJobSpec does', () => {
    expect(errorsOf(CLUSTER + job('parallelism: 1', ''))).toEqual([
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
    expect(errorsOf(CLUSTER + job('parallelism: 1', 'restartPolicy: Always'))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: supported values: "OnFailure", "Never"',
    ]);
  });
});

const external = `---
apiVersion: v1
kind: Service
metadata: {name: legacy-db}
spec: {ports: [{name: pg, port: 5432}, {name: metrics, port: 9187}]}
`;
const slice = (labels = '{kubernetes.io/service-name: legacy-db}') => `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: legacy-db-1, labels: ${labels}}
addressType: IPv4
ports: [{name: pg, port: 15432, protocol: TCP}]
endpoints:
  - addresses: [192.0.2.20]
  - addresses: [192.0.2.10]
    conditions: {ready: true}
    nodeName: t-worker
  - addresses: [192.0.2.30]
    conditions: {ready: false}
`;

describe('EndpointSlices given for a Service without a selector', () => {
  it("become its endpoints: ready ones, the slice's port number, matched by port name, sorted", () => {
    const c = realized(CLUSTER + external + slice());
    const eps = c.services.find((s) => s.name === 'legacy-db')!.endpoints;
    expect(eps.map((e) => [e.ip, e.port, e.portName, e.node])).toEqual([
      ['192.0.2.10', 15432, 'pg', 't-worker'],
      ['192.0.2.20', 15432, 'pg', ''],
    ]);
    expect(c.warnings).toEqual([]);
  });

  it('a slice without the service-name label belongs to no Service, and says so', () => {
    const c = realized(CLUSTER + external + slice('{app: x}'));
    expect(c.services.find((s) => s.name === 'legacy-db')!.endpoints).toEqual([]);
    expect(c.warnings.map((w) => w.code)).toEqual(['EndpointSliceIgnored']);
  });

  it('v1 Endpoints are mirrored into a slice for a Service without a selector, ignored beside one', () => {
    const endpoints = `---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy-db}
subsets:
  - addresses: [{ip: 192.0.2.40}]
    notReadyAddresses: [{ip: 192.0.2.41}]
    ports: [{name: metrics, port: 9187}]
`;
    const c = realized(CLUSTER + external + endpoints);
    expect(c.services.find((s) => s.name === 'legacy-db')!.endpoints.map((e) => `${e.ip}:${e.port}`)).toEqual([
      '192.0.2.40:9187',
    ]);
    const selected = external.replace('spec: {', 'spec: {selector: {app: db}, ');
    const d = realized(CLUSTER + selected + endpoints);
    expect(d.services.find((s) => s.name === 'legacy-db')!.endpoints).toEqual([]);
    expect(d.warnings.map((w) => w.code)).toContain('EndpointsNotMirrored');
  });

  it('refuses a slice without addressType or with a bad address, naming the field', () => {
    expect(errorsOf(CLUSTER + slice().replace('addressType: IPv4\n', ''))).toEqual(['addressType: Required value']);
    expect(errorsOf(CLUSTER + slice().replace('192.0.2.20', '192.0.2.300'))[0]).toMatch(
      /^endpoints\[0\]\.addresses\[0\]: must be a valid IPv4 address/,
    );
  });
});

describe('every well-formed kind is accepted', () => {
  it('reads a kubectl List, modelling its Deployment and listing its ConfigMap', () => {
    const list = `---
apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cfg}, data: {a: b}}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template: {metadata: {labels: {app: web}}, spec: {containers: [{name: w, image: x}]}}
`;
    const c = realized(CLUSTER + list);
    expect(c.pods.filter((p) => p.owner === 'Deployment/default/web').length).toBe(2);
    expect(c.notModelled).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'cfg' }]);
  });

  it('a CRD, its custom objects and a kind under a group of its own (Knative Service) are not modelled', () => {
    const docs = `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: shop}
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello}
spec: {template: {spec: {containers: [{image: x}]}}}
`;
    const c = realized(CLUSTER + docs);
    expect(c.notModelled!.map((n) => `${n.kind} ${n.namespace ?? '-'}/${n.name}`)).toEqual([
      'CustomResourceDefinition -/widgets.example.com',
      'Widget shop/w1',
      'Service default/hello',
    ]);
    expect(c.services.some((s) => s.name === 'hello')).toBe(false);
  });

  it('real-app.yaml: the modelled kinds drawn, ConfigMap, Secret, Ingress and HPA listed as not modelled', () => {
    const c = realized(readFileSync(join(__dirname, '../../public/scenarios/real-app.yaml'), 'utf8'));
    const owners = new Set(c.pods.map((p) => p.owner));
    for (const o of [
      'Deployment/default/web',
      'StatefulSet/default/db',
      'DaemonSet/kube-system/node-exporter',
      'Job/default/migrate',
    ])
      expect(owners).toContain(o);
    expect(c.pods.every((p) => p.phase === 'Running')).toBe(true);
    // node-exporter tolerates no taint: the two workers only.
    expect(c.pods.filter((p) => p.owner === 'DaemonSet/kube-system/node-exporter').map((p) => p.node)).toEqual([
      'real-app-worker',
      'real-app-worker2',
    ]);
    expect(c.notModelled!.map((n) => n.kind)).toEqual(['ConfigMap', 'Secret', 'Ingress', 'HorizontalPodAutoscaler']);
    expect(c.warnings).toEqual([]);
    const json = realizeJson(c);
    expect(json.notModelled.map((n) => `${n.kind}/${n.name}`)).toEqual([
      'ConfigMap/web-config',
      'Secret/db-password',
      'Ingress/web',
      'HorizontalPodAutoscaler/web',
    ]);
    expect(json.services.find((s) => s.name === 'db')!.endpoints.map((e) => e.hostname)).toEqual(
      expect.arrayContaining(['db-0', 'db-1', 'db-2']),
    );
    expect(realizeText(c)).toContain('Not modelled (4 accepted objects that do not shape the network here):');
    expect(realizeText(c)).toContain('  Ingress default/web (networking.k8s.io/v1): no Ingress controller is modelled');
  });
});
