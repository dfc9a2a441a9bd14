import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.testUtil';

const run = (...argv: string[]) => runCli(argv);

const dir = mkdtempSync(join(tmpdir(), 'k8snet-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('k8snet cidr', () => {
  it("prints the talk's numbers for 10.32.0.0/14", () => {
    const r = run('cidr', '10.32.0.0/14');
    expect(r.code).toBe(0);
    expect(r.out).toContain('10.32.0.0 – 10.35.255.255');
    expect(r.out).toContain('262,144');
    expect(r.out).toMatch(/1,024 × \/24/);
  });

  it('--json has the explanation fields', () => {
    const j = JSON.parse(run('cidr', '10.32.0.0/14', '--json').out);
    expect(j).toMatchObject({
      network: '10.32.0.0',
      lastAddress: '10.35.255.255',
      size: 262144,
      netmask: '255.252.0.0',
    });
  });

  it('explains an IPv6 block: exact size, hex groups with the prefix marked, /64s that fit', () => {
    const r = run('cidr', 'fd00:10:244::/56');
    expect(r.code).toBe(0);
    expect(r.out).toContain('fd00:10:244:: – fd00:10:244:ff:ffff:ffff:ffff:ffff');
    expect(r.out).toContain('4,722,366,482,869,645,213,696 (2^72)');
    expect(r.out).toContain('fd00:0010:0244:00|00:0000:0000:0000:0000');
    expect(r.out).toMatch(/256 × \/64 /);
    const j = JSON.parse(run('cidr', 'fd00:10:244::/56', '--json').out);
    expect(j).toMatchObject({ family: 'IPv6', network: 'fd00:10:244::', size: '4722366482869645213696' });
    expect(run('cidr', 'fd00::/129')).toMatchObject({ code: 1 });
  });
});

describe('k8snet realize', () => {
  it('prints the default cluster', () => {
    const r = run('realize');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/node-a\s+control-plane\s+10\.10\.0\.1\s+10\.32\.0\.0\/24\s+10\.32\.0\.1/);
    expect(r.out).toMatch(/node-b\s+worker\s+10\.10\.1\.1\s+10\.32\.1\.0\/24\s+10\.32\.1\.1/);
    expect(r.out).toContain('262,144 addresses');
  });

  it('--json follows the DESIGN.md contract', () => {
    const j = JSON.parse(run('realize', '--json').out);
    expect(Object.keys(j.cluster)).toEqual(
      expect.arrayContaining(['name', 'podCIDR', 'serviceCIDR', 'nodeCIDRMaskSize', 'cni', 'kubeProxyMode']),
    );
    expect(Object.keys(j.nodes[0])).toEqual(
      expect.arrayContaining(['name', 'role', 'ip', 'podCIDR', 'gateway', 'pods']),
    );
    expect(Object.keys(j.nodes[0].pods[0])).toEqual(expect.arrayContaining(['namespace', 'name', 'ip']));
    const web = j.services.find((s: { name: string }) => s.name === 'web');
    expect(Object.keys(web)).toEqual(
      expect.arrayContaining(['namespace', 'name', 'type', 'clusterIP', 'ports', 'endpoints']),
    );
    expect(Object.keys(web.ports[0])).toEqual(['name', 'protocol', 'port', 'targetPort', 'nodePort']);
    expect(Object.keys(web.endpoints[0])).toEqual(expect.arrayContaining(['ip', 'port', 'node', 'pod']));
    expect(j.warnings).toEqual([]);
  });
});

describe('k8snet plan', () => {
  it('says what the ranges allow', () => {
    const r = run('plan');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1,024');
    expect(r.out).toContain('Breaks first');
  });

  it('explains a /26 node mask against kubelet max-pods', () => {
    const f = file(
      'mask26.yaml',
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: {nodeCIDRMaskSize: 26}\n',
    );
    const r = run('plan', f);
    expect(r.out).toContain('/26 per node gives 61 pod addresses but kubelet allows 110 pods');
  });
});

describe('bad input: exit 1 and one clear line per problem naming document, field, value and reason', () => {
  const bad: [string, string, RegExp][] = [
    [
      'ipv6.yaml',
      'kind: Cluster\nnetworking: {podSubnet: "fd00::/48"}\n',
      /document 1 \(Cluster\): networking\.podSubnet: "fd00::\/48": expected IPv4 CIDR for IPv4 family; for IPv6 too, set ipFamily: dual/,
    ],
    ['syntax.yaml', 'kind: [\n', /document 1: line \d+, column \d+: YAML syntax error/],
    [
      'port.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 0}]}\n',
      /document 1 \(Service default\/web\): spec\.ports\[0\]\.port: "0": must be between 1 and 65535/,
    ],
    [
      'kind.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata: {labels: {a: b}}\n',
      /metadata\.name: Required value: name or generateName is required/,
    ],
    [
      'overlap.yaml',
      'kind: Cluster\nnetworking: {podSubnet: 10.96.0.0/16}\n',
      /networking\.serviceSubnet: "10\.96\.0\.0\/16": overlaps networking\.podSubnet/,
    ],
    [
      'mask.yaml',
      'kind: Cluster\nnetworking: {podSubnet: 10.0.0.0/8, nodeCIDRMaskSize: 31}\n',
      /networking\.nodeCIDRMaskSize: "31": must be at most 30/,
    ],
    [
      'name.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: "-bad"}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x}]}}}\n',
      /metadata\.name: "-bad": a lowercase RFC 1123 subdomain/,
    ],
    ['scalar.yaml', '"just a string"\n', /document 1: "just a string": a document must be a Kubernetes object/],
    [
      'bomb.yaml',
      'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
      /YAML could not be read|alias/i,
    ],
    [
      'dupip.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {clusterIP: 10.96.0.1, ports: [{port: 80}]}\n',
      /spec\.clusterIP: "10\.96\.0\.1": provided IP is already allocated \(to Service default\/kubernetes\)/,
    ],
    [
      'nodeport.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 80}]}\n',
      /spec\.ports\[0\]\.nodePort: "80": provided port is not in the valid range/,
    ],
    [
      'selector.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec: {selector: {matchLabels: {app: w}}, template: {metadata: {labels: {app: x}}, spec: {containers: [{name: c, image: x}]}}}\n',
      /`selector` does not match template `labels`/,
    ],
  ];
  for (const [name, text, line] of bad) {
    it(name, () => {
      const r = run('realize', file(name, text));
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(line);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('a missing file, a 20 MB file', () => {
    expect(run('realize', join(dir, 'nope.yaml'))).toMatchObject({ code: 1 });
    const big = file('big.yaml', '#'.repeat(20_000_000));
    const r = run('realize', big);
    expect(r.code).toBe(1);
    expect(r.err).toContain('the limit is');
  });

  it('usage errors exit 2', () => {
    expect(run('cidr').code).toBe(2);
    expect(run('realize', '--nope').code).toBe(2);
    expect(run('frobnicate').code).toBe(2);
    expect(run().code).toBe(2);
    expect(run('cidr', '10.0.0.0/33').code).toBe(1);
  });

  it('--help on every command', () => {
    for (const c of ['cidr', 'realize', 'plan', 'trace', 'routes', 'iptables', 'devices'])
      expect(run(c, '--help')).toMatchObject({ code: 0, out: expect.stringContaining('Usage: k8snet') });
  });
});

describe('k8snet nftables', () => {
  it('prints the kube-proxy table in nftables mode and refuses other modes with the reason', async () => {
    const { main } = await import('./main');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { DEFAULT_SCENARIO_YAML } = await import('../core/scenario/defaultScenario');
    const dir = mkdtempSync(join(tmpdir(), 'k8snet-'));
    const f = join(dir, 'nft.yaml');
    writeFileSync(f, DEFAULT_SCENARIO_YAML.replace('kubeProxyMode: iptables', 'kubeProxyMode: nftables'));
    const out: string[] = [];
    const err: string[] = [];
    const w = process.stdout.write;
    const e = console.error;
    process.stdout.write = ((s: string) => {
      out.push(s);
      return true;
    }) as typeof process.stdout.write;
    console.error = (s: string) => {
      err.push(s);
    };
    try {
      expect(main(['nftables', f, '--node', 'node-a'])).toBe(0);
      expect(main(['nftables', '--node', 'node-a'])).toBe(1);
    } finally {
      process.stdout.write = w;
      console.error = e;
    }
    const text = out.join('');
    expect(text).toContain('table ip kube-proxy {');
    expect(text).toMatch(/10\.96\.0\.10 \. udp \. 53 : goto service-FY5PMXPG-kube-system\/kube-dns\/udp\/dns/);
    expect(err.join('\n')).toContain('kube-proxy runs in iptables mode in this scenario');
  });
});

describe('sizes the command line refuses up front', () => {
  const big = () => {
    const g = run('generate', '--nodes', '60');
    return file('sixty.json', g.out);
  };
  it('lab: a cluster past the lab limits gets one line saying why, exit 1', () => {
    const r = run('lab', big());
    expect(r.code).toBe(1);
    expect(r.err).toContain('this cluster has 60 nodes and 1,802 pods, and a lab takes at most 50 nodes');
  });
  it('reach: without NetworkPolicies it says every pod may connect, with no matrix', () => {
    const r = run('reach', big());
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'No NetworkPolicies: every pod is non-isolated, so every pod may connect to every pod on every port.',
    );
  });
});

describe('messages quote what was typed', () => {
  it('generate --nodes abc says "abc", not NaN', () => {
    const r = run('generate', '--nodes', 'abc');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--nodes: "abc" must be a whole number');
  });
});
