// A policy's rules in words, one line per rule, the way a teacher would read
// them out: "ingress[0]: from pods app=web in this namespace, on TCP http".
import { selectorText } from '../scenario/selector';
import { policyId } from '../scenario/parsePolicy';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../api/networkPolicy';

function peerText(p: NetworkPolicyPeer): string {
  if (p.ipBlock)
    return `addresses in ${p.ipBlock.cidr}${p.ipBlock.except.length ? ` except ${p.ipBlock.except.join(', ')}` : ''}`;
  const pods = p.podSelector
    ? selectorText(p.podSelector) === '<none>'
      ? 'all pods'
      : `pods ${selectorText(p.podSelector)}`
    : 'all pods';
  if (!p.namespaceSelector) return `${pods} in this namespace`;
  const ns =
    selectorText(p.namespaceSelector) === '<none>'
      ? 'any namespace'
      : `namespaces ${selectorText(p.namespaceSelector)}`;
  // Both selectors in one peer: the pods must match AND be in a matching namespace.
  return `${pods} in ${ns}`;
}

function portText(p: NetworkPolicyPort): string {
  if (p.port === undefined) return `${p.protocol} (every port)`;
  return `${p.protocol} ${p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}`;
}

/** Every rule of a policy, e.g. "default/api ingress[0]: from pods app=web in this namespace; on TCP 8080". */
export function policyRuleLines(np: NetworkPolicy): string[] {
  const out: string[] = [];
  const id = policyId(np);
  const side = (dir: 'ingress' | 'egress', rules: { ports: NetworkPolicyPort[]; peers: NetworkPolicyPeer[] }[]) => {
    const word = dir === 'ingress' ? 'from' : 'to';
    const type = dir === 'ingress' ? 'Ingress' : 'Egress';
    if (!np.policyTypes.includes(type)) return;
    if (rules.length === 0) out.push(`${id} ${dir}: no rules, so nothing is allowed`);
    rules.forEach((r, i) => {
      const peers = r.peers.length ? r.peers.map(peerText).join(' or ') : 'anywhere';
      const ports = r.ports.length ? r.ports.map(portText).join(', ') : 'every port';
      out.push(`${id} ${dir}[${i}]: ${word} ${peers}; on ${ports}`);
    });
  };
  side(
    'ingress',
    np.ingress.map((r) => ({ ports: r.ports, peers: r.from })),
  );
  side(
    'egress',
    np.egress.map((r) => ({ ports: r.ports, peers: r.to })),
  );
  return out;
}
