// A dual-stack pod's IPv6 link: eth0's host-local address and its link-local address, which the kernel derives
// from the link's MAC (EUI-64); the kernel itself is the judge of that derivation when the test runs as root.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { realize } from '../cluster/realize';
import { linkLocalOf, podLinks6 } from './devices';

const root = process.getuid?.() === 0;

describe("a dual-stack pod's IPv6 link", () => {
  const p = parseScenario(
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: {ipFamily: dual}\nnodes: [{role: control-plane}]\n',
  );
  if (!p.ok) throw new Error('bad scenario');
  const node = realize(p.scenario).nodes[0]!;

  it("eth0 holds the pod's IPv6 podIP with its node range's /64 and a link-local address; the host veth only a link-local one", () => {
    const links = podLinks6(node);
    expect(links.map((l) => l.eth0.addresses[0])).toEqual(['fd00:10:244::2/64', 'fd00:10:244::3/64']);
    for (const l of links) {
      expect(l.eth0.addresses[1]).toBe(`${linkLocalOf(l.eth0.mac)}/64`);
      expect(l.veth.addresses).toEqual([`${linkLocalOf(l.veth.mac)}/64`]);
      expect(l.veth.name).toMatch(/^veth[0-9a-f]{8}$/);
    }
  });

  it('derives the link-local address as RFC 4291 appendix A does: the U/L bit flipped, ff:fe in the middle', () => {
    expect(linkLocalOf('0a:12:34:56:78:9a')).toBe('fe80::812:34ff:fe56:789a');
  });

  it.skipIf(!root)('the kernel gives a link with that MAC the same link-local address', () => {
    const ns = `k8snet-ll-${process.pid}`;
    const ip = (...a: string[]) => execFileSync('ip', ['-n', ns, ...a], { encoding: 'utf8' });
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      const mac = podLinks6(node)[0]!.eth0.mac;
      ip('link', 'add', 'eth0', 'address', mac, 'type', 'veth', 'peer', 'name', 'peer0');
      ip('link', 'set', 'peer0', 'up');
      ip('link', 'set', 'eth0', 'up');
      let out = '';
      for (let i = 0; i < 50 && !out.includes('fe80'); i++) {
        out = ip('-6', 'addr', 'show', 'dev', 'eth0');
        if (!out.includes('fe80')) execFileSync('sleep', ['0.1']);
      }
      expect(out).toContain(`inet6 ${linkLocalOf(mac)}/64 scope link`);
    } finally {
      execFileSync('ip', ['netns', 'del', ns]);
    }
  });
});
