// A node's whole kube-proxy table for the inspector. A big scenario's is
// built in the worker (seconds at 10,000 Services) and read line by line from
// packed bytes; a small one's is built here.
import { useEffect, useState } from 'react';
import { nftTableLines } from '../../core/dataplane/kubeProxyNftables';
import { dataplaneOf, useDerived, useScenarioText } from '../state/derive';
import { liveChainOf } from '../state/liveView';
import { LinesView } from '../worker/packedLines';
import type { Rows } from '../panels/VirtualList';
import { askTable, isBig } from '../worker/workerClient';

export type NodeTable =
  | { state: 'closed' }
  | { state: 'building' }
  | { state: 'ready'; lines: readonly string[] | Rows<string> }
  | { state: 'failed'; message: string };

export function useNodeTable(node: string, kind: 'nat' | 'nft', open: boolean): NodeTable {
  const text = useScenarioText();
  const { cluster } = useDerived();
  const big = isBig(text);
  const [fromWorker, setFromWorker] = useState<{ key: string; text: string; table: NodeTable } | null>(null);
  const key = `${node}\u0000${kind}`;
  useEffect(() => {
    if (!open || !big) return;
    let current = true;
    void askTable(text, node, kind, liveChainOf(text)).then((r) => {
      if (!current) return;
      setFromWorker({
        key,
        text,
        table: r.ok
          ? { state: 'ready', lines: new LinesView(r.lines) }
          : { state: 'failed', message: r.errors[0]?.message ?? 'the table could not be built' },
      });
    });
    return () => {
      current = false;
    };
  }, [open, big, text, node, kind, key]);
  if (!open) return { state: 'closed' };
  // Until this node's table for this very text arrives, it is building.
  if (big) return fromWorker?.key === key && fromWorker.text === text ? fromWorker.table : { state: 'building' };
  const nd = dataplaneOf(cluster).node(node);
  if (!nd) return { state: 'failed', message: `no node ${node}` };
  return { state: 'ready', lines: kind === 'nft' ? (nd.nft ? nftTableLines(nd.nft) : []) : nd.nat.lines() };
}
