import { useMemo, useState } from 'react';
import type { RealizedNode } from '../../core/api/types';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from '../../core/dataplane/ip6tables';
import { TableText } from '../panels/VirtualList';
import { useDerived } from '../state/derive';

/** A dual-stack node's IPv6 nat table as ip6tables-save prints it (kube-proxy's IPv6 proxier, flannel), built when opened. */
export function Ip6NatTable({ node }: { node: RealizedNode }) {
  const { cluster } = useDerived();
  const [open, setOpen] = useState(false);
  const lines = useMemo(() => {
    if (!open) return null;
    const services6 = buildServiceRules6(cluster);
    const t = services6 && nodeIp6tables(cluster, services6, node);
    return t ? renderIp6tablesSave([t.nat]).trimEnd().split('\n') : null;
  }, [open, cluster, node]);
  if (!node.ips) return null;
  return (
    <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>IPv6 nat table (ip6tables-save -t nat)</summary>
      {lines && <TableText label={`IPv6 nat table of ${node.name}`} lines={lines} />}
    </details>
  );
}
