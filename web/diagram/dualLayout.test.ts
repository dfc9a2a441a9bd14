// A dual-stack cluster's geometry: the node header makes room for the IPv6 lines, a single-stack one is as before.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../core/scenario/parse';
import { realize } from '../../core/cluster/realize';
import { DUAL_HEADER_EXTRA } from './nodeGeometry';
import { layoutCluster, SVC_H } from './layout';
import { secondaryPlace } from './PodPill';

const clusterOf = (text: string) => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.errors[0]!.message);
  return realize(p.scenario);
};
const dualText = readFileSync('public/scenarios/dual-stack.yaml', 'utf8');
// The same cluster with the IPv6 half taken away: one CIDR per range, ipFamily ipv4.
const singleText = dualText
  .replace('\n  ipFamily: dual', '\n  ipFamily: ipv4')
  .replace(',fd00:10:244::/56', '')
  .replace(',fd00:10:96::/112', '')
  .replace(/ {2}ipFamilyPolicy: \w+\n/g, '');
const input = { aspect: 1.6, routes: [], reserveLanes: 2 };

describe('dual-stack node and Service geometry', () => {
  const dual = layoutCluster(clusterOf(dualText), input);
  const single = layoutCluster(clusterOf(singleText), input);

  it('the header grows by the two IPv6 lines and everything under it moves down by as much', () => {
    const [d, s] = [dual.nodes[1]!, single.nodes[1]!];
    expect(d.headerH - s.headerH).toBe(DUAL_HEADER_EXTRA);
    expect(d.h - s.h).toBe(DUAL_HEADER_EXTRA);
    expect(d.bridge.y - d.y - (s.bridge.y - s.y)).toBe(DUAL_HEADER_EXTRA);
    expect(d.pods[0]!.y - d.y - (s.pods[0]!.y - s.y)).toBe(DUAL_HEADER_EXTRA);
  });

  it('a Service pill has a third line in a dual-stack cluster only', () => {
    expect(single.services.boxes.every((b) => b.h === SVC_H)).toBe(true);
    expect(dual.services.boxes.every((b) => b.h > SVC_H)).toBe(true);
  });

  it("a pod's IPv6 address fits beside its IPv4 one, or becomes a marker beside a NetworkPolicy badge", () => {
    const pod = dual.nodes[1]!.pods[0]!;
    expect(pod.pod.ips?.[1]).toMatch(/^fd00:10:244:1::/);
    expect(secondaryPlace(pod.pod, pod.w, false)).toMatchObject({ full: true });
    expect(secondaryPlace(pod.pod, pod.w, true)).toMatchObject({ full: false });
    expect(secondaryPlace(single.nodes[1]!.pods[0]!.pod, pod.w, false)).toBeNull();
  });
});
