import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_YAML } from '../../core/scenario/defaultScenario';
import { MAX_SHARE_URL_CHARS, readOwn, readShareHash, shareHash, shareRefusal, startup } from './persist';

const trace = {
  from: 'pod/default/web-85469b5d-ff229',
  to: 'web.default.svc.cluster.local',
  port: 80,
  protocol: 'TCP' as const,
  family: 'IPv6' as const,
  step: 9,
};

describe('share links carry the trace and its step', () => {
  it('round-trips from, to, port, protocol, family and the step', () => {
    const hash = shareHash({ scenario: DEFAULT_SCENARIO_YAML, selection: 'node/node-b', trace });
    expect(hash).toContain('&family=IPv6&step=10');
    const r = readShareHash(hash);
    expect(r).toEqual({ ok: true, saved: { scenario: DEFAULT_SCENARIO_YAML, selection: 'node/node-b', trace } });
    expect(startup(hash, undefined).trace).toEqual(trace);
  });

  it('a link without a trace opens none', () => {
    const r = readShareHash(shareHash({ scenario: DEFAULT_SCENARIO_YAML, selection: null }));
    expect(r?.ok && r.saved.trace).toBeNull();
  });

  it.each([
    ['port=0', 'its trace port "0" is not a whole number from 1 to 65535'],
    ['protocol=SCTP', 'its trace protocol "SCTP" is neither TCP nor UDP'],
    ['family=IPv5', 'its trace family "IPv5" is neither IPv4 nor IPv6'],
    ['step=0', 'its trace step "0" is not a step number'],
  ])('refuses %s with the reason, and opens the default with a notice', (bad, why) => {
    const hash = shareHash({ scenario: DEFAULT_SCENARIO_YAML, selection: null, trace }).replace(
      new RegExp(`${bad.split('=')[0]}=[^&]*`),
      bad,
    );
    const r = readShareHash(hash);
    expect(r).toEqual({ ok: false, why: expect.stringContaining(why) });
    const s = startup(hash, undefined);
    expect(s.trace).toBeNull();
    expect(s.notice).toContain(why);
  });

  it('a trace with only one end is refused', () => {
    const hash = shareHash({ scenario: DEFAULT_SCENARIO_YAML, selection: null, trace }).replace(/&to=[^&]*/, '');
    expect(readShareHash(hash)).toEqual({ ok: false, why: 'its trace names no destination (to)' });
  });
});

describe('own work and share links', () => {
  const own = {
    scenario: DEFAULT_SCENARIO_YAML.replace('podSubnet: 10.32.0.0/14', 'podSubnet: 10.4.0.0/14'),
    selection: 'node/node-b',
  };
  const storage = { getItem: () => JSON.stringify(own) } as unknown as Storage;

  it('a share link opens as a visit and hands back the own save untouched', () => {
    const s = startup(shareHash({ scenario: DEFAULT_SCENARIO_YAML, selection: null }), storage);
    expect(s.visiting).toBe(true);
    expect(s.saved?.scenario).toBe(DEFAULT_SCENARIO_YAML);
    expect(readOwn(storage)).toEqual(own);
    expect(own.scenario).not.toBe(DEFAULT_SCENARIO_YAML);
    expect(startup('', storage)).toMatchObject({ visiting: false, saved: own });
  });

  it('a big link is not parsed at start: the own save stays on screen while the worker opens it, the trace kept', () => {
    const big = (text: string) => text === DEFAULT_SCENARIO_YAML;
    const hash = shareHash({ scenario: DEFAULT_SCENARIO_YAML, selection: 'node/node-a', trace });
    const s = startup(hash, storage, big);
    // A visit begins when the link's scenario arrives (web/state/opening.ts).
    expect(s).toMatchObject({ visiting: false, saved: own, notice: null });
    expect(s.pending).toEqual({ scenario: DEFAULT_SCENARIO_YAML, selection: 'node/node-a', trace, from: 'link' });
  });

  it('a big saved scenario is not parsed at start either, even a broken one', () => {
    const broken = { getItem: () => JSON.stringify({ scenario: 'kind: [', selection: null }) } as unknown as Storage;
    expect(startup('', broken, () => true).pending).toEqual({
      scenario: 'kind: [',
      selection: null,
      trace: null,
      from: 'saved',
    });
    // The same text, small, is parsed at once and refused with the reason.
    expect(startup('', broken).notice).toMatch(/^Your saved scenario could not be restored \(/);
    expect(startup('', storage, () => true)).toMatchObject({ saved: null, pending: { ...own, from: 'saved' } });
  });

  it('a link over the bound is refused with its length and the bound', () => {
    expect(shareRefusal('x'.repeat(MAX_SHARE_URL_CHARS))).toBeNull();
    expect(shareRefusal('x'.repeat(MAX_SHARE_URL_CHARS + 1))).toContain('This link would be 32,001 characters long');
  });
});
