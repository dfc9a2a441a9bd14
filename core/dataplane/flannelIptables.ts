// The rules flannel (both its host-gw and vxlan backends) adds on every node:
// masquerade for pod traffic leaving the cluster, and FORWARD accepts for
// pod traffic (flannel pkg/trafficmngr/iptables: MasqRules, ForwardRules;
// the golden set in flannel's e2e tests).
import type { Table } from './kubeProxyIptables';

const C = '-m comment --comment "flanneld masq"';

export function flannelMasqRules(clusterCIDR: string, podCIDR: string | null): { chain: string; rule: string }[] {
  const rules = [
    { chain: 'POSTROUTING', rule: `${C} -j FLANNEL-POSTRTG` },
    // kube-proxy's marked packets are masqueraded by KUBE-POSTROUTING; no double NAT.
    { chain: 'FLANNEL-POSTRTG', rule: `-m mark --mark 0x4000/0x4000 ${C} -j RETURN` },
  ];
  if (podCIDR) {
    rules.push(
      { chain: 'FLANNEL-POSTRTG', rule: `-s ${podCIDR} -d ${clusterCIDR} ${C} -j RETURN` },
      { chain: 'FLANNEL-POSTRTG', rule: `-s ${clusterCIDR} -d ${podCIDR} ${C} -j RETURN` },
      { chain: 'FLANNEL-POSTRTG', rule: `! -s ${clusterCIDR} -d ${podCIDR} ${C} -j RETURN` },
    );
  }
  rules.push(
    { chain: 'FLANNEL-POSTRTG', rule: `-s ${clusterCIDR} ! -d 224.0.0.0/4 ${C} -j MASQUERADE --random-fully` },
    { chain: 'FLANNEL-POSTRTG', rule: `! -s ${clusterCIDR} -d ${clusterCIDR} ${C} -j MASQUERADE --random-fully` },
  );
  return rules;
}

/** The masquerade rule a pod's packet to the outside world meets. */
export const flannelOutboundMasq = (clusterCIDR: string) =>
  `-A FLANNEL-POSTRTG -s ${clusterCIDR} ! -d 224.0.0.0/4 ${C} -j MASQUERADE --random-fully`;

export function addFlannelRules(nat: Table, filter: Table, clusterCIDR: string, podCIDR: string | null): void {
  for (const r of flannelMasqRules(clusterCIDR, podCIDR)) nat.add(r.chain, r.rule);
  const F = '-m comment --comment "flanneld forward"';
  filter.add('FORWARD', `${F} -j FLANNEL-FWD`);
  filter.add('FLANNEL-FWD', `-s ${clusterCIDR} ${F} -j ACCEPT`);
  filter.add('FLANNEL-FWD', `-d ${clusterCIDR} ${F} -j ACCEPT`);
}

/**
 * What FLANNEL-POSTRTG does with the first packet of a connection leaving a
 * node (replies never traverse the nat table: conntrack handles them).
 * Returns the rule that matched, and whether it masquerades.
 */
export function flannelPostrouting(
  clusterCIDR: string,
  podCIDR: string | null,
  inCluster: (ip: string) => boolean,
  inNodePods: (ip: string) => boolean,
  src: string,
  dst: string,
  marked: boolean,
): { masquerade: boolean; rule: string } {
  const rules = flannelMasqRules(clusterCIDR, podCIDR).filter((r) => r.chain === 'FLANNEL-POSTRTG');
  const line = (i: number) => `-A FLANNEL-POSTRTG ${rules[i]!.rule}`;
  if (marked) return { masquerade: false, rule: line(0) };
  const s = inCluster(src);
  const d = inCluster(dst);
  const multicast = (Number(dst.split('.')[0]) & 0xf0) === 224;
  if (podCIDR) {
    if (inNodePods(src) && d) return { masquerade: false, rule: line(1) };
    if (s && inNodePods(dst)) return { masquerade: false, rule: line(2) };
    if (!s && inNodePods(dst)) return { masquerade: false, rule: line(3) };
  }
  const off = podCIDR ? 3 : 0;
  if (s && !multicast) return { masquerade: true, rule: line(off + 1) };
  if (!s && d) return { masquerade: true, rule: line(off + 2) };
  return { masquerade: false, rule: '' };
}
