// A scenario's NetworkPolicies as typed policies, whether parse.ts has typed them
// already or still keeps the raw documents (Scenario.networkPolicies).
import type { Scenario } from '../api/types';
import { parseNetworkPolicies, type ParsedPolicies } from '../scenario/parsePolicy';
import type { NetworkPolicy } from '../api/networkPolicy';

const isTyped = (p: unknown): p is NetworkPolicy =>
  typeof p === 'object' && p !== null && 'policyTypes' in p && 'podSelector' in p && !('spec' in p);

function policyName(d: unknown): string {
  const m = (d as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  return `${typeof m?.namespace === 'string' ? m.namespace : 'default'}/${typeof m?.name === 'string' ? m.name : ''}`;
}

export function scenarioPolicies(s: Pick<Scenario, 'documents' | 'networkPolicies'>): ParsedPolicies {
  const raw = s.networkPolicies as unknown[];
  if (raw.every(isTyped)) return { policies: raw, issues: [], warnings: [] };
  // Name each document as parse.ts does: "document 5 (NetworkPolicy default/deny-all)".
  const names = raw.map((d, i) => {
    const at = s.documents.indexOf(d);
    return at >= 0
      ? `document ${at + 1} (NetworkPolicy ${policyName(d)})`
      : `NetworkPolicy ${i + 1} (${policyName(d)})`;
  });
  return parseNetworkPolicies(raw, names);
}
