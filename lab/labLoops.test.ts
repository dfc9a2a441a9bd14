// A dump whose jumps loop: the kernel refuses to load it, and so does the
// tracer's parser (core/dataplane/iptablesLoops.ts), on the same line.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../core/dataplane/iptablesParse';
import { dataplaneOf, kernelLabUnavailable, scenarioText, sh, testPrefix } from './kernelLab';

const why = kernelLabUnavailable('the kernel lab loop test');

describe.skipIf(why !== undefined)('a chain loop in iptables-save', () => {
  const ns = `${testPrefix('loop')}`;
  const node = dataplaneOf(scenarioText()).node('node-a')!;
  const good = `${node.nat.render()}\n${node.filter.render()}\n`;
  // KUBE-SERVICES -> LOOP -> KUBE-SERVICES, declared and jumped to as kube-proxy's own chains are.
  const looped = good
    .replace(':KUBE-SERVICES - [0:0]\n', ':KUBE-SERVICES - [0:0]\n:LOOP - [0:0]\n')
    .replace('-A KUBE-SERVICES ', '-A KUBE-SERVICES -j LOOP\n-A LOOP -j KUBE-SERVICES\n-A KUBE-SERVICES ');
  const restore = (text: string) =>
    spawnSync('ip', ['netns', 'exec', ns, 'iptables-restore'], { input: text, encoding: 'utf8' });

  beforeAll(() => void sh(['ip', 'netns', 'add', ns]));
  afterAll(() => void spawnSync('ip', ['netns', 'del', ns]));

  it('the kernel loads the computed dump and refuses the looped one (Too many links)', () => {
    expect(restore(good).status).toBe(0);
    const r = restore(looped);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Too many links');
  });

  it('the parser refuses the looped dump at the jump that closes the loop, and reads the computed one', () => {
    expect(parseIptablesSave(good, 'node-a/iptables-save').ok).toBe(true);
    const p = parseIptablesSave(looped, 'node-a/iptables-save');
    const line = looped.split('\n').indexOf('-A LOOP -j KUBE-SERVICES') + 1;
    expect(p).toEqual({
      ok: false,
      error: {
        document: 'node-a/iptables-save',
        line,
        message:
          '-j KUBE-SERVICES: the jumps KUBE-SERVICES -> LOOP -> KUBE-SERVICES form a loop; iptables-restore refuses it (Too many links)',
      },
    });
  });
});
