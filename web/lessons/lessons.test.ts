// Every step of every lesson, computed as the app computes it: the text and what the
// screen shows (the parked hop, the selection, the marked objects) must agree.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../core/scenario/parse';
import { realize } from '../../core/cluster/realize';
import { buildDataplane } from '../../core/dataplane/dataplane';
import { trace } from '../../core/trace/trace';
import { diffClusters } from '../../core/cluster/diff';
import { cniRoutesByNode } from '../../core/dataplane/cniRoutes';
import { podBySelection } from '../../core/trace/refs';
import type { RealizedCluster } from '../../core/api/types';
import { traceSteps } from '../state/traceSteps';
import { LESSONS, type LessonStep } from './lessons';
import { lessonView } from './view';

const realizeText = (text: string): RealizedCluster => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
};

function viewOf(step: LessonStep) {
  const cluster = realizeText(step.scenario);
  const dp = buildDataplane(cluster);
  const before = step.before === undefined ? null : realizeText(step.before);
  const v = lessonView(step, {
    cluster,
    dp,
    trace: (req) => {
      const outcome = trace(dp, req);
      return { outcome, steps: traceSteps(outcome) };
    },
    before: before && { cluster: before, changed: diffClusters(before, cluster).map((c) => c.ref) },
  });
  const t = v.trace ? trace(dp, v.trace) : null;
  return { cluster, v, steps: t ? traceSteps(t) : [], text: v.paragraphs.join('\n') };
}

/** Words a student reads for each action the parked hop can have. */
const ACTION_WORDS: Record<string, RegExp> = {
  dnat: /DNAT/,
  snat: /SNAT|masquerad/i,
  'un-nat': /conntrack/,
  drop: /dropped/,
  allow: /allowed/,
  encapsulate: /wrapped/,
  send: /sends|asks/,
  receive: /arrives|receives/,
  route: /route/,
  deliver: /deliver|reaches/,
};

const all = LESSONS.flatMap((l) =>
  l.steps.map((s, i) => ({ lesson: l, step: s, name: `${l.id} step ${i + 1}: ${s.title}` })),
);

describe('every lesson step: the text and the screen agree', () => {
  it.each(all)('$name', ({ step }) => {
    const { cluster, v, steps, text } = viewOf(step);
    expect(text).not.toMatch(/could not be computed|\?/);
    expect(text).not.toMatch(/undefined|NaN|null/);
    // The stepper opens where the text is: the step's own hop, in the phase it names.
    if (step.traceAt) {
      const at = steps[v.traceStep]!;
      expect(at.phase).toBe(step.traceAt.phase);
      expect(at.hop.action).toBe(step.traceAt.action);
      expect(text).toContain(at.hop.node);
      expect(text).toMatch(ACTION_WORDS[at.hop.action] ?? /$^/);
    } else expect(v.traceStep).toBe(0);
    // "A becomes B" quotes the parked hop's rewrite, never another one's.
    for (const m of text.matchAll(/(\d[\d.:]*\d) becomes (\d[\d.:]*\d)/g)) {
      const hop = steps[v.traceStep]!.hop;
      expect([hop.dst, hop.src]).toContain(m[1]);
      expect([hop.dstAfter, hop.srcAfter]).toContain(m[2]);
    }
    // A count of steps is the stepper's count.
    for (const m of text.matchAll(/(\d+) steps/g)) expect(Number(m[1])).toBe(steps.length);
    // Whatever is selected is named in the text.
    if (v.selection?.startsWith('pod/')) expect(text).toContain(podBySelection(cluster, v.selection)!.name);
    if (v.selection?.startsWith('node/')) expect(text).toContain(v.selection.slice(5));
    // A route quoted in the text is one the diagram draws (the parked hop's node, else the selected node).
    const routeNode = steps[v.traceStep]?.hop.node ?? v.selection?.replace(/^node\//, '') ?? cluster.nodes[0]!.name;
    const drawn = cniRoutesByNode(cluster, routeNode).map((r) => r.line);
    // (Not the other mode's, "with host-gw ...", nor the default route: the diagram draws the CNI's routes.)
    const quoted = [...text.matchAll(/(?<!host-gw )"((?!default )\S+ via \S+ dev \S+(?: onlink)?)"/g)].map(
      (m) => m[1]!,
    );
    for (const q of quoted) expect(drawn).toContain(q);
    // Marked (changed) pods are the ones the text lists as new, and only those.
    const newPods = v.changed.filter((r) => r.startsWith('pod/')).map((r) => podBySelection(cluster, r)!);
    for (const p of newPods) expect(text).toContain(`${p.name} (${p.ip}`);
  });

  it('"The ClusterIP is swapped for a pod IP" parks on the request\'s DNAT, not the DNS query\'s', () => {
    const step = LESSONS.find((l) => l.id === 'services')!.steps[1]!;
    const { cluster, v, steps, text } = viewOf(step);
    const web = cluster.services.find((s) => s.name === 'web')!;
    const hop = steps[v.traceStep]!.hop;
    expect(hop.dst).toBe(`${web.clusterIP}:80`);
    expect(text).toContain(`${web.clusterIP}:80 becomes ${hop.dstAfter} (DNAT)`);
    // The DNS lookup has its own DNAT first: a bare "first dnat" would stop there.
    expect(steps.findIndex((s) => s.hop.action === 'dnat')).toBeLessThan(v.traceStep);
  });

  it('"Scale it" marks exactly the new pods', () => {
    const step = LESSONS.find((l) => l.id === 'pods')!.steps[2]!;
    const { v, text } = viewOf(step);
    const pods = v.changed.filter((r) => r.startsWith('pod/'));
    expect(pods).toHaveLength(2);
    expect(text).toContain('starts 2 new pods');
  });

  it('the VXLAN step quotes the routes of the node the packet is wrapped on', () => {
    const step = LESSONS.find((l) => l.id === 'cni')!.steps[2]!;
    const { cluster, v, steps, text } = viewOf(step);
    const node = steps[v.traceStep]!.hop.node;
    const vx = cniRoutesByNode(cluster, node).map((r) => r.line);
    expect(vx.some((line) => text.includes(`VXLAN "${line}"`))).toBe(true);
  });
});
