// The words a first-time reader meets in the diagram, explained in a sentence each, as a
// glossary panel and as tooltips (hover or keyboard focus) wherever a term is shown.
// Teaching text only: the one number in it (the NodePort range) comes from core.
import { useId, useState, type ReactNode } from 'react';
import { NODEPORT_RANGE } from '../../core/ipam/nodePorts';

export const GLOSSARY = {
  eth0: "A network interface. On a node it is the node's own card on the node network; inside a pod it is the pod's end of its veth pair, holding the pod's IP.",
  veth: 'A virtual Ethernet pair: two interfaces joined like a cable. The CNI puts one end in the pod (as eth0) and plugs the other into the node.',
  cni0: "The Linux bridge the CNI plugin creates on each node. Every pod's veth plugs into it; its address is the pods' default gateway.",
  PodCIDR:
    'The range pod IPs come from. The cluster has one (the cluster CIDR); kube-controller-manager carves a slice of it for each node, and the CNI hands out pod IPs from that slice.',
  ClusterIP:
    "A Service's virtual IP. No interface holds it: kube-proxy's rules on every node translate it (DNAT) to one of the Service's pod IPs.",
  NodePort: `A port opened on every node for a Service, from ${NODEPORT_RANGE.first}–${NODEPORT_RANGE.last}. Traffic to any node's IP on that port is sent on to the Service's pods.`,
  'kube-proxy':
    "The agent on every node that writes the Service rules (iptables or nftables): it turns a ClusterIP or NodePort into a pod's address.",
  conntrack:
    "The kernel's connection tracker. It remembers each translated flow, so the reply is translated back without consulting the rules again.",
  VXLAN:
    "An overlay: a packet for a pod on another node is wrapped in a UDP datagram between the two nodes' IPs (flannel.1), so the node network never sees pod addresses.",
} as const;

export type GlossaryTerm = keyof typeof GLOSSARY;

/** A term with its explanation as a tooltip: shown on hover and on keyboard focus, Esc hides it. */
export function Term({ name, children }: { name: GlossaryTerm; children?: ReactNode }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <span className="term" onMouseEnter={() => setOpen(true)} onMouseLeave={() => setOpen(false)}>
      <button
        type="button"
        className="term-button"
        aria-describedby={id}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
      >
        {children ?? name}
      </button>
      <span role="tooltip" id={id} className="term-tip" hidden={!open}>
        {GLOSSARY[name]}
      </span>
    </span>
  );
}

/** Every term, in a disclosure in the header: a Tab and Enter away. */
export function Glossary() {
  return (
    <details className="glossary" role="group" aria-label="Glossary">
      <summary>Glossary</summary>
      <dl>
        {(Object.keys(GLOSSARY) as GlossaryTerm[]).map((t) => (
          <div key={t}>
            <dt>{t}</dt>
            <dd>{GLOSSARY[t]}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
