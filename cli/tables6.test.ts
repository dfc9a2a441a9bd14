// `k8snet tables` and `k8snet trace -6 --tables` on the dual-stack example: each node's IPv6 dumps (ip6-route,
// ip6tables-save, ip-addr's inet6 lines, `table ip6 kube-proxy` in nftables mode) are written, read back and
// walked; an edit changes the IPv6 trace; a missing file is named with what writes it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.testUtil';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-tables6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DUAL = 'public/scenarios/dual-stack.yaml';
// dual-worker's first web pod, and dual-worker2's (k8snet realize on the example).
const client = 'pod/default/web-85469b5d-ff229';
const peer = 'pod/default/web-85469b5d-8g4nh';

type Trace = { verdict: string; reason: string; hops: { action: string; node: string; rule?: string }[] };
const traceJson = (...argv: string[]) => {
  const r = runCli(['trace', ...argv, '--json']);
  if (r.code !== 0) throw new Error(r.err);
  return JSON.parse(r.out) as Trace;
};
const edit = (path: string, f: (text: string) => string) => {
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, f(text));
  return () => writeFileSync(path, text);
};
const dropLines = (re: RegExp) => (text: string) =>
  text
    .split('\n')
    .filter((l) => !re.test(l))
    .join('\n');

describe('k8snet tables / trace -6 --tables on a dual-stack cluster', () => {
  const out = join(dir, 'dual');

  it('writes ip6-route and ip6tables-save beside the IPv4 files, and ip-addr holds the inet6 lines', () => {
    const r = runCli(['tables', DUAL, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('/dual-worker/: iptables-save, ip6tables-save, ip-route, ip6-route, ip-addr, nft-policy\n');
    const route6 = readFileSync(join(out, 'dual-worker', 'ip6-route'), 'utf8');
    // What `k8snet routes --node NAME -6` prints, as `ip -6 route` does.
    expect(route6).toBe(`${runCli(['routes', DUAL, '--node', 'dual-worker', '-6'], '').out.trimEnd()}\n`);
    expect(route6).toContain('fd00:10:244:2::/64 via fc00:f853:ccd:e793::4 dev eth0 metric 1024 pref medium\n');
    expect(readFileSync(join(out, 'dual-worker', 'ip-addr'), 'utf8')).toContain(
      '2: eth0    inet6 fc00:f853:ccd:e793::3/64 scope global \\       valid_lft forever preferred_lft forever\n',
    );
  });

  it('trace -6 over the unedited dumps is the computed trace', () => {
    for (const to of [peer, 'svc/default/web', 'node/dual-worker2', 'fd00:10:244:2::2'])
      expect(traceJson(DUAL, '-6', '--from', client, '--to', to, '--tables', out), to).toEqual(
        traceJson(DUAL, '-6', '--from', client, '--to', to),
      );
  });

  it("deleting the route to dual-worker2's IPv6 PodCIDR sends the packet down the default route", () => {
    const restore = edit(join(out, 'dual-worker', 'ip6-route'), dropLines(/^fd00:10:244:2::\/64 via /));
    const r = traceJson(DUAL, '-6', '--from', client, '--to', peer, '--tables', out);
    restore();
    expect(r.verdict).toBe('unreachable');
    expect(r.hops.at(-1)!.rule).toBe('default via fc00:f853:ccd:e793::1 dev eth0 metric 1024 pref medium');
    // The IPv4 trace over the same dumps is untouched.
    expect(traceJson(DUAL, '--from', client, '--to', peer, '--tables', out).verdict).toBe('delivered');
  });

  it('deleting the IPv6 KUBE-SEP DNAT rules leaves the IPv6 ClusterIP untranslated; the IPv4 one is still DNATed', () => {
    const restore = edit(join(out, 'dual-worker', 'ip6tables-save'), dropLines(/^-A KUBE-SEP-\S+ .*-j DNAT /));
    const actions = (...argv: string[]) =>
      traceJson(DUAL, ...argv, '--from', client, '--to', 'svc/default/web', '--tables', out).hops.map((h) => h.action);
    const six = actions('-6');
    const four = actions();
    restore();
    expect(six).not.toContain('dnat');
    expect(four).toContain('dnat');
    expect(actions('-6')).toContain('dnat');
  });

  it('a bad ip6-route line is file:line: why', () => {
    const path = join(out, 'dual-worker', 'ip6-route');
    const restore = edit(path, (t) => t.replace('dev cni0 proto kernel', 'dev cni0 proto kernel mtu 1450'));
    const bad = runCli(['trace', DUAL, '-6', '--from', client, '--to', peer, '--tables', out]);
    restore();
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/dual-worker\/ip6-route:3: "mtu" is not a route attribute this model reads/);
  });

  it('an IPv6 trace needs ip6-route and ip6tables-save, and says which command writes them; an IPv4 trace does not', () => {
    for (const [file, what] of [
      ['ip6-route', 'IPv6 routes (`ip -6 route`)'],
      ['ip6tables-save', '`ip6tables-save`'],
    ] as const) {
      const path = join(out, 'dual-worker2', file);
      const text = readFileSync(path, 'utf8');
      rmSync(path);
      // -6, or an IPv6 literal in --to.
      const six = runCli(['trace', DUAL, '-6', '--from', client, '--to', peer, '--tables', out]);
      const literal = runCli(['trace', DUAL, '--from', client, '--to', '[fd00:10:244:2::2]:8080', '--tables', out]);
      const four = runCli(['trace', DUAL, '--from', client, '--to', peer, '--tables', out]);
      writeFileSync(path, text);
      expect(six.code).toBe(1);
      expect(six.err).toContain(
        `--tables: ${path}: missing; an IPv6 trace walks the node's ${what} (k8snet tables writes it)`,
      );
      expect(literal.err).toContain(`${path}: missing`);
      expect(four.code).toBe(0);
    }
  });

  it('nftables mode: table ip6 kube-proxy in nft-ruleset is read (editing it changes the trace) and required', () => {
    const nft = join(dir, 'nft.yaml');
    writeFileSync(nft, readFileSync(DUAL, 'utf8').replace(/^networking:$/m, 'networking:\n  kubeProxyMode: nftables'));
    const nftOut = join(dir, 'nft');
    expect(runCli(['tables', nft, '--out', nftOut]).code).toBe(0);
    const q = ['-6', '--from', client, '--to', 'svc/default/web'];
    const computed = traceJson(nft, ...q);
    expect(traceJson(nft, ...q, '--tables', nftOut)).toEqual(computed);
    expect(computed.hops.map((h) => h.action)).toContain('dnat');
    const path = join(nftOut, 'dual-worker', 'nft-ruleset');
    const restore = edit(path, dropLines(/dnat to \[fd00:/));
    expect(traceJson(nft, ...q, '--tables', nftOut).hops.map((h) => h.action)).not.toContain('dnat');
    restore();
    edit(path, (t) => t.slice(0, t.indexOf('table ip6 kube-proxy {')));
    const missing = runCli(['trace', nft, ...q, '--tables', nftOut]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(
      `--tables: ${path}: holds no \`table ip6 kube-proxy\`; an IPv6 trace in nftables mode walks it (k8snet tables writes it)`,
    );
    expect(runCli(['trace', nft, '--from', client, '--to', 'svc/default/web', '--tables', nftOut]).code).toBe(0);
  });
});
