import { describe, expect, it } from 'vitest';
import { issueLine, pathSteps } from './issueLine';
import { parseScenario } from './parse';

const TEXT = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  podSubnet: 10.4.0.0/33
---
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
    - port: 80
    - port: 99999
      targetPort: 8080
`;

describe('issueLine: the line an error names', () => {
  it('splits a dotted path with indexes', () => {
    expect(pathSteps('spec.ports[1].port')).toEqual(['spec', 'ports', 1, 'port']);
    expect(pathSteps('')).toEqual([]);
  });

  it("finds each error the parser reports at the line of its field (empty documents are not counted, as the parser doesn't)", () => {
    const r = parseScenario(TEXT);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.errors.map((e) => [e.path, issueLine(TEXT, e)]);
    expect(lines).toContainEqual(['networking.podSubnet', 4]);
    expect(lines).toContainEqual(['spec.ports[1].port', 14]);
  });

  it('falls back to the deepest part of the path that exists, and to the document', () => {
    expect(issueLine(TEXT, { document: 'document 2 (Service default/web)', path: 'spec.ports[1].nodePort' })).toBe(14);
    expect(issueLine(TEXT, { document: 'document 2 (Service default/web)', path: 'spec.clusterIP' })).toBe(10);
    expect(issueLine(TEXT, { document: 'document 2 (Service default/web)', path: '' })).toBe(7);
    expect(issueLine(TEXT, { document: 'document 9', path: 'spec' })).toBeNull();
    expect(issueLine(TEXT, { document: 'scenario', path: '' })).toBeNull();
  });

  it('a syntax error keeps the line the YAML parser gave', () => {
    const bad = 'kind: Cluster\nnetworking:\n  podSubnet: [10.0.0.0/8\n';
    const r = parseScenario(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const line = issueLine(bad, r.errors[0]!);
    expect(line).toBeGreaterThanOrEqual(3);
  });
});
