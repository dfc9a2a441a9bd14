// StatefulSet identity as pkg/controller/statefulset gives it (getPodName: NAME-ORDINAL; initIdentity:
// hostname = pod name, subdomain = spec.serviceName), the hostname the EndpointSlice controller copies
// onto the governing Service's endpoints (ShouldSetHostname), and the per-pod DNS name CoreDNS answers
// from it (plugin/kubernetes: an endpoint query matches endpointHostname).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from './realize';
import { buildDataplane } from '../dataplane/dataplane';
import { resolveRef } from '../trace/refs';
import { trace } from '../trace/trace';
import type { RealizedCluster } from '../api/types';

function realized(text: string): RealizedCluster {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.document} ${e.path}: ${e.message}`).join('\n'));
  return realize(r.scenario);
}

const CLUSTER = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: t
networking: {podSubnet: 10.244.0.0/16, serviceSubnet: 10.96.0.0/16}
nodes:
  - role: control-plane
  - role: worker
  - role: worker
`;

const statefulSet = (spec: string, template = '') => `---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
${spec
  .split('\n')
  .filter(Boolean)
  .map((l) => `  ${l}`)
  .join('\n')}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: pg, image: postgres, ports: [{name: pg, containerPort: 5432}]}]
${template}
`;
const HEADLESS = `---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}, ports: [{name: pg, port: 5432}]}
`;
const client = `---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: x}]}
`;

describe('StatefulSet: ordinal names and per-pod DNS through the governing Service', () => {
  it('names its pods NAME-0..N-1 (or from spec.ordinals.start) and spreads them', () => {
    const c = realized(CLUSTER + statefulSet('replicas: 3\nserviceName: db'));
    const pods = c.pods.filter((p) => p.owner === 'StatefulSet/default/db');
    expect(pods.map((p) => p.name)).toEqual(['db-0', 'db-1', 'db-2']);
    expect(new Set(pods.map((p) => p.node)).size).toBe(2);
    const later = realized(CLUSTER + statefulSet('replicas: 2\nordinals: {start: 5}'));
    expect(later.pods.filter((p) => p.owner === 'StatefulSet/default/db').map((p) => p.name)).toEqual(['db-5', 'db-6']);
  });

  it('gives each endpoint of the governing Service its pod name as hostname, and no other Service', () => {
    const other = `---\napiVersion: v1\nkind: Service\nmetadata: {name: db-read}\nspec: {selector: {app: db}, ports: [{port: 5432}]}\n`;
    const c = realized(CLUSTER + statefulSet('replicas: 2\nserviceName: db') + HEADLESS + other);
    const eps = (name: string) => c.services.find((s) => s.name === name)!.endpoints;
    expect(eps('db').map((e) => [e.pod, e.hostname])).toEqual(
      expect.arrayContaining([
        ['db-0', 'db-0'],
        ['db-1', 'db-1'],
      ]),
    );
    expect(eps('db-read').every((e) => e.hostname === undefined)).toBe(true);
  });

  it('resolves db-N.db.default.svc.cluster.local to that pod only, and traces to it', () => {
    const c = realized(CLUSTER + statefulSet('replicas: 3\nserviceName: db') + HEADLESS + client);
    const db1 = c.pods.find((p) => p.name === 'db-1')!;
    for (const name of ['db-1.db.default.svc.cluster.local', 'db-1.db.default.svc', 'db-1.db.default']) {
      const r = resolveRef(c, name);
      expect(r.ok && r.endpoint.kind === 'dns' && r.endpoint.service.endpoints.map((e) => e.ip)).toEqual([db1.ip]);
    }
    const t = trace(buildDataplane(c), { from: 'pod/default/client', to: 'db-1.db.default.svc.cluster.local' });
    if (!t.ok) throw new Error(t.message);
    expect(t.result.dns?.answer).toEqual([db1.ip]);
    expect(t.result.verdict).toBe('delivered');
    expect(t.result.hops.at(-1)!.dst).toBe(`${db1.ip}:5432`);
    // An endpoint without a hostname answers to its dashed address instead (endpointHostname), on any Service.
    const dashed = `${db1.ip!.replace(/\./g, '-')}`;
    expect(resolveRef(c, `${dashed}.db.default.svc.cluster.local`).ok).toBe(false);
    const other = `---\napiVersion: v1\nkind: Service\nmetadata: {name: db-read}\nspec: {selector: {app: db}, ports: [{port: 5432}]}\n`;
    const c2 = realized(CLUSTER + statefulSet('replicas: 3\nserviceName: db') + HEADLESS + other);
    const byIp = resolveRef(c2, `${dashed}.db-read.default.svc.cluster.local`);
    expect(byIp.ok && byIp.endpoint.kind === 'dns' && byIp.endpoint.service.endpoints.map((e) => e.pod)).toEqual([
      'db-1',
    ]);
  });

  it('has no per-pod DNS name when spec.serviceName names another Service or none', () => {
    for (const spec of ['replicas: 2\nserviceName: elsewhere', 'replicas: 2']) {
      const c = realized(CLUSTER + statefulSet(spec) + HEADLESS);
      expect(c.services.find((s) => s.name === 'db')!.endpoints.every((e) => e.hostname === undefined)).toBe(true);
      expect(resolveRef(c, 'db-0.db.default.svc.cluster.local').ok).toBe(false);
    }
  });

  it('OrderedReady creates the next pod only once the previous runs; Parallel creates them all', () => {
    const stuck = 'nodeSelector: {disk: ssd}';
    const ordered = realized(CLUSTER + statefulSet('replicas: 3', `      ${stuck}`));
    expect(ordered.pods.filter((p) => p.owner === 'StatefulSet/default/db').map((p) => [p.name, p.phase])).toEqual([
      ['db-0', 'Pending'],
    ]);
    const parallel = realized(CLUSTER + statefulSet('replicas: 3\npodManagementPolicy: Parallel', `      ${stuck}`));
    expect(parallel.pods.filter((p) => p.owner === 'StatefulSet/default/db').map((p) => p.phase)).toEqual([
      'Pending',
      'Pending',
      'Pending',
    ]);
    expect(ordered.warnings.find((w) => w.code === 'FailedScheduling')!.message).toContain(
      'pod default/db-0 is Pending',
    );
  });
});
