// NetworkPolicy ipBlock for IPv6: parsed and validated as the API server does (ValidateIPBlock in
// pkg/apis/networking/validation), matched as kube-network-policies' evaluateIPBlocks does
// (net.IPNet.Contains: a CIDR never holds an address of the other family), against the address of the
// connection's own family; and kube-network-policies' podips-v6 set, written and read back.
import { describe, expect, it } from 'vitest';
import { realize } from '../cluster/realize';
import { DUAL_NFT_YAML } from '../dataplane/dualStackNft.testUtil';
import { parseScenario } from '../scenario/parse';
import { parseNetworkPolicies } from '../scenario/parsePolicy';
import { enforcerRule, policyEnforcerTable, renderEnforcerTable } from './enforcer';
import { parseEnforcerTable } from './enforcerParse';
import { ipEndpoint, judge, podEndpoint, policyContext } from './evaluate';
import { reachMatrix } from './reach';
import { contextOf, np, pod } from './testModel';

const dual = () => {
  const p = parseScenario(DUAL_NFT_YAML);
  if (!p.ok) throw new Error(p.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return realize(p.scenario);
};
const issues = (ipBlock: unknown) =>
  parseNetworkPolicies([np('x', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock }] }] })]).issues.map(
    (i) => `${i.path}: ${i.message}`,
  );

describe('ipBlock with IPv6 CIDRs', () => {
  it('parses an IPv6 cidr and except into IPv6 ranges', () => {
    const r = parseNetworkPolicies([
      np('x', 'p', {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }],
      }),
    ]);
    expect(r.issues).toEqual([]);
    const block = r.policies[0]!.ingress[0]!.from[0]!.ipBlock!;
    expect(block.range).toEqual({ base: 0x20010db8n << 96n, prefix: 32 });
    expect(block.exceptRanges).toEqual([{ base: 0x20010db80001n << 80n, prefix: 48 }]);
  });

  it('refuses what the API server refuses: except outside cidr, not smaller, or of the other family', () => {
    const at = 'spec.ingress[0].from[0].ipBlock.except[0]';
    expect(issues({ cidr: '2001:db8::/32', except: ['2001:db9::/48'] })).toEqual([
      `${at}: must be a strict subset of \`cidr\` (2001:db8::/32)`,
    ]);
    expect(issues({ cidr: '2001:db8::/32', except: ['2001:db8::/32'] })).toEqual([
      `${at}: must be a strict subset of \`cidr\` (2001:db8::/32)`,
    ]);
    expect(issues({ cidr: '2001:db8::/32', except: ['10.0.0.0/8'] })).toEqual([
      `${at}: must be a strict subset of \`cidr\` (2001:db8::/32); 10.0.0.0/8 is not of cidr's IP family`,
    ]);
    expect(issues({ cidr: '10.0.0.0/8', except: ['::/1'] })).toEqual([
      `${at}: must be a strict subset of \`cidr\` (10.0.0.0/8); ::/1 is not of cidr's IP family`,
    ]);
    expect(issues({ cidr: '2001:db8::/129' })).toEqual([
      'spec.ingress[0].from[0].ipBlock.cidr: "2001:db8::/129" has an invalid prefix length "129" (expected 0-128)',
    ]);
  });

  it('matches IPv6 outside addresses in cidr minus except, and never an address of the other family', () => {
    const ctx = contextOf([
      np('x', 'v6', {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }],
      }),
    ]);
    expect(judge(ctx, ipEndpoint('2001:db8::5'), pod('x/a'), 80).allowed).toBe(true);
    expect(judge(ctx, ipEndpoint('2001:db8:1::5'), pod('x/a'), 80).allowed).toBe(false);
    expect(judge(ctx, ipEndpoint('2001:db9::5'), pod('x/a'), 80).allowed).toBe(false);
    // 0.0.0.0/0 holds every IPv4 address and no IPv6 one; ::/0 the other way round.
    const all4 = contextOf([
      np('x', 'all4', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
    ]);
    expect(judge(all4, ipEndpoint('10.0.0.1'), pod('x/a'), 80).allowed).toBe(true);
    expect(judge(all4, ipEndpoint('2001:db8::5'), pod('x/a'), 80).allowed).toBe(false);
    const all6 = contextOf([
      np('x', 'all6', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '::/0' } }] }] }),
    ]);
    expect(judge(all6, ipEndpoint('2001:db8::5'), pod('x/a'), 80).allowed).toBe(true);
    expect(judge(all6, ipEndpoint('10.0.0.1'), pod('x/a'), 80).allowed).toBe(false);
  });

  it('judges a dual-stack pod at its IPv6 address in an IPv6 connection (reach -6), at its IPv4 one otherwise', () => {
    const c = dual();
    // web-ingress admits fd00:10:244::/56 except kind-worker2's fd00:10:244:2::/64, and no IPv4 source at all.
    const ctx = policyContext(c.policies, c.namespaces);
    const web = c.pods.filter((p) => p.labels.app === 'web');
    const onWorker = web.find((p) => p.node === 'kind-worker')!;
    const onWorker2 = web.find((p) => p.node === 'kind-worker2')!;
    const dns = c.pods.find((p) => p.namespace === 'kube-system')!;
    expect(podEndpoint(dns, 'IPv6').ip).toBe(dns.ips![1]);
    expect(judge(ctx, podEndpoint(dns, 'IPv6'), podEndpoint(onWorker, 'IPv6'), 8080).allowed).toBe(true);
    expect(judge(ctx, podEndpoint(onWorker2, 'IPv6'), podEndpoint(onWorker, 'IPv6'), 8080).allowed).toBe(false);
    expect(judge(ctx, podEndpoint(dns), podEndpoint(onWorker), 8080).allowed).toBe(false);
    const cell = (family?: 'IPv6') =>
      reachMatrix(ctx, c, { includeSystem: true, ...(family ? { family } : {}) })
        .cells.flat()
        .find((x) => x.from.includes('coredns') && x.to.workload.includes('/web'))!.state;
    expect(cell('IPv6')).toBe('allowed');
    expect(cell()).toBe('denied');
  });
});

describe("kube-network-policies' podips-v6 in a dual-stack cluster", () => {
  const c = dual();
  const t = policyEnforcerTable(c, 'kind-worker');
  const local = c.pods.filter((p) => p.node === 'kind-worker' && p.labels.app === 'web');

  it('holds the selected local pods IPv6 addresses (ManagedIPs takes every status.podIPs entry)', () => {
    expect(new Set(t.podIps)).toEqual(new Set(local.map((p) => p.ip)));
    expect(new Set(t.podIps6)).toEqual(new Set(local.map((p) => p.ips![1])));
    expect(t.podIps6.length).toBe(2);
    const text = renderEnforcerTable(t);
    expect(text).toContain(`\tset podips-v6 {\n\t\ttype ipv6_addr\n\t\telements = { ${t.podIps6.join(', ')} }\n\t}`);
  });

  it('reads them back, and an IPv6 packet to such a pod is queued by the ip6 rule', () => {
    const r = parseEnforcerTable(renderEnforcerTable(t), 'kind-worker/nft-policy');
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.table).toEqual(t);
    const m = enforcerRule(t, 'postrouting', {
      src: '2001:db8::1',
      dst: t.podIps6[0]!,
      proto: 'TCP',
      dport: 8080,
      fromRootOfNode: false,
    });
    expect(m).toMatchObject({ rule: 'ip6 daddr @podips-v6 queue to 100', element: t.podIps6[0], verdict: 'queue' });
    const bad = parseEnforcerTable(
      renderEnforcerTable(t).replace(`elements = { ${t.podIps6[0]}`, 'elements = { 10.0.0.1'),
      'kind-worker/nft-policy',
    );
    expect(bad.ok ? 'parsed' : bad.error.message).toBe('set element "10.0.0.1" is not an IPv6 address');
  });
});
