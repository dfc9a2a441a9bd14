// Uniqueness and range checks as the API server and the allocators make them, on every path.
import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';

const CLUSTER = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n';
const nodeDoc = (name: string, spec: string, ip?: string) =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nspec: ${spec}\n${ip ? `status: {addresses: [{type: Hostname, address: ${name}}, {type: InternalIP, address: ${ip}}]}\n` : ''}`;

function errors(text: string) {
  const r = parseScenario(text);
  if (r.ok) throw new Error('expected the scenario to be refused');
  return r.errors.map((e) => ({ document: e.document, path: e.path, value: e.value, message: e.message }));
}

describe('pinned node addresses are unique across the Cluster document and Node documents', () => {
  it('two nodes of the Cluster document pinned to one PodCIDR (host bits aside)', () => {
    const e = errors(
      `${CLUSTER}nodes: [{role: control-plane, podCIDR: 10.244.3.0/24}, {role: worker, podCIDR: 10.244.3.9/24}]`,
    );
    expect(e).toContainEqual({
      document: 'document 1 (Cluster)',
      path: 'nodes[1].podCIDR',
      value: '10.244.3.9/24',
      message:
        "Duplicate value: 10.244.3.0/24 is already node kind-control-plane's PodCIDR; two nodes with one range would give two pods the same IP",
    });
  });

  it('a Node document pinned to a PodCIDR a Cluster node already has', () => {
    const e = errors(
      `${CLUSTER}nodes: [{role: control-plane, podCIDR: 10.244.3.0/24}]\n---\n${nodeDoc('extra', '{podCIDR: 10.244.3.0/24}')}`,
    );
    expect(e[0]).toMatchObject({ document: 'document 2 (Node extra)', path: 'spec.podCIDR', value: '10.244.3.0/24' });
  });

  it('two Node documents with one InternalIP', () => {
    const e = errors(`${CLUSTER}---\n${nodeDoc('a', '{}', '172.18.0.50')}---\n${nodeDoc('b', '{}', '172.18.0.50')}`);
    expect(e).toEqual([
      {
        document: 'document 3 (Node b)',
        path: 'status.addresses[1].address',
        value: '172.18.0.50',
        message: "Duplicate value: 172.18.0.50 is already node a's address",
      },
    ]);
  });

  it('a Cluster node and a Node document with one IP', () => {
    const dup = errors(
      `${CLUSTER}nodes: [{role: control-plane, ip: 172.18.0.7}]\n---\n${nodeDoc('b', '{}', '172.18.0.7')}`,
    );
    expect(dup[0]!.message).toBe("Duplicate value: 172.18.0.7 is already node kind-control-plane's address");
  });

  it('a Node document overriding its own Cluster node keeps one address (no false duplicate)', () => {
    const r = parseScenario(
      `${CLUSTER}nodes: [{role: control-plane, name: n1, ip: 172.18.0.7, podCIDR: 10.244.3.0/24}]\n---\n${nodeDoc('n1', '{podCIDR: 10.244.3.0/24}', '172.18.0.7')}`,
    );
    expect(r.ok).toBe(true);
  });
});

const svc = (ports: string, type = 'NodePort') =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: ${type}\n  selector: {app: s}\n  ports: ${ports}\n`;

describe('Service ports as ValidateService checks them', () => {
  it('a repeated port and protocol is a duplicate; the same port for TCP and UDP is not', () => {
    const e = errors(svc('[{name: a, port: 80}, {name: b, port: 80, protocol: TCP}]', 'ClusterIP'));
    expect(e).toEqual([
      {
        document: 'document 1 (Service default/s)',
        path: 'spec.ports[1]',
        value: '80/TCP',
        message: 'Duplicate value: port 80/TCP is already spec.ports[0]',
      },
    ]);
    expect(parseScenario(svc('[{name: a, port: 53, protocol: UDP}, {name: b, port: 53}]', 'ClusterIP')).ok).toBe(true);
  });

  it('one nodePort for TCP and UDP of one Service is allowed; twice for one protocol is a duplicate', () => {
    expect(
      parseScenario(svc('[{name: a, port: 53, protocol: UDP, nodePort: 30053}, {name: b, port: 53, nodePort: 30053}]'))
        .ok,
    ).toBe(true);
    const e = errors(svc('[{name: a, port: 80, nodePort: 30080}, {name: b, port: 81, nodePort: 30080}]'));
    expect(e.map((x) => `${x.path}: ${x.message}`)).toEqual([
      'spec.ports[1].nodePort: Duplicate value: nodePort 30080/TCP is already spec.ports[0]',
    ]);
  });

  it('a string targetPort is a port name: "8080" quoted, too long, or with bad characters is refused', () => {
    const at = (tp: string) => errors(svc(`[{port: 80, targetPort: ${tp}}]`, 'ClusterIP'))[0]!;
    expect(at('"8080"')).toMatchObject({ path: 'spec.ports[0].targetPort', value: '8080' });
    expect(at('"8080"').message).toBe(
      'must contain at least one letter (a-z) (a quoted number is a port name; write 8080 unquoted)',
    );
    expect(at('"0"').message).toMatch(/^must contain at least one letter/);
    expect(at('a-very-long-port-name').message).toBe('must be no more than 15 characters');
    expect(at('Http').message).toBe('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
    expect(at('web--api').message).toBe('must not contain consecutive hyphens');
    expect(at('0').message).toBe('must be between 1 and 65535, inclusive');
    expect(at('65536').message).toBe('must be between 1 and 65535, inclusive');
  });
});

describe('object names are compared whole', () => {
  it('two pods whose long names share their first 77 characters are two pods, not a duplicate', () => {
    const name = (c: string) => `${'a'.repeat(63)}.${c.repeat(20)}`;
    const pod = (n: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${n}}\nspec: {containers: [{name: c, image: i}]}\n`;
    const r = parseScenario(`${pod(name('x'))}---\n${pod(name('y'))}`);
    expect(r.ok && r.scenario.pods.length).toBe(2);
    expect(errors(`${pod(name('x'))}---\n${pod(name('x'))}`)[0]!.message).toMatch(/^Duplicate value: Pod/);
  });
});

describe('Node documents say what they ignore', () => {
  it('a misspelt spec field is a warning with a did-you-mean, not silently dropped', () => {
    const r = parseScenario(`${CLUSTER}---\n${nodeDoc('extra', '{podCIRD: 10.244.9.0/24}')}`);
    expect(r.ok && r.scenario.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      'spec.podCIRD: unknown field, ignored (did you mean podCIDR?)',
    ]);
  });
});
