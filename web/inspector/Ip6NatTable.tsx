import { useMemo, useState } from 'react';
import type { RealizedNode } from '../../core/api/types';
import { buildServiceRules6, nodeIp6tables, renderIp6tablesSave } from '../../core/dataplane/ip6tables';
import { nftTableLines } from '../../core/dataplane/kubeProxyNftables';
import { TableText } from '../panels/VirtualList';
import { dataplaneOf, useDerived } from '../state/derive';

/**
 * A dual-stack node's IPv6 kube-proxy table, built when opened: the nat table as ip6tables-save prints it
 * (kube-proxy's IPv6 proxier and flannel), or in nftables mode `table ip6 kube-proxy`.
 */
export function Ip6NatTable({ node }: { node: RealizedNode }) {
  const { cluster } = useDerived();
  const nftMode = cluster.cluster.kubeProxyMode === 'nftables';
  const [open, setOpen] = useState(false);
  const lines = useMemo(() => {
    if (!open) return null;
    if (nftMode) {
      const t = dataplaneOf(cluster).node(node.name)?.nft6;
      return t ? nftTableLines(t) : null;
    }
    const services6 = buildServiceRules6(cluster);
    const t = services6 && nodeIp6tables(cluster, services6, node);
    return t ? renderIp6tablesSave([t.nat]).trimEnd().split('\n') : null;
  }, [open, nftMode, cluster, node]);
  if (!node.ips) return null;
  const what = nftMode ? 'nftables' : 'nat';
  return (
    <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        {nftMode
          ? "kube-proxy's IPv6 nftables table (nft list table ip6 kube-proxy)"
          : 'IPv6 nat table (ip6tables-save -t nat)'}
      </summary>
      {lines && <TableText label={`IPv6 ${what} table of ${node.name}`} lines={lines} />}
    </details>
  );
}
