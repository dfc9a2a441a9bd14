// The rules flannel (both its host-gw and vxlan backends) adds on every node:
// masquerade for pod traffic leaving the cluster, and FORWARD accepts for
// pod traffic (flannel pkg/trafficmngr/iptables: MasqRules, ForwardRules;
// the golden set in flannel's e2e tests). The same rules in ip6tables for the
// IPv6 network (masqIP6Rules), with ff00::/8 where IPv4 has multicast 224.0.0.0/4.
import { ACCEPT, MASQUERADE_FULLY, RETURN, addr, comment, jump, mark, rule } from './iptablesBuild';
import { renderRule, type Rule } from './iptablesRule';
import type { Table } from './iptablesTable';

const masq = comment('flanneld masq');
const multicastOf = (clusterCIDR: string) => (clusterCIDR.includes(':') ? 'ff00::/8' : '224.0.0.0/4');

export function flannelMasqRules(clusterCIDR: string, podCIDR: string | null): { chain: string; rule: Rule }[] {
  const rules = [
    { chain: 'POSTROUTING', rule: rule({ matches: [masq], target: jump('FLANNEL-POSTRTG') }) },
    // kube-proxy's marked packets are masqueraded by KUBE-POSTROUTING; no double NAT.
    { chain: 'FLANNEL-POSTRTG', rule: rule({ matches: [mark(false, 0x4000, 0x4000), masq], target: RETURN }) },
  ];
  const ret = (src: string, dst: string, negateSrc = false) => ({
    chain: 'FLANNEL-POSTRTG',
    rule: rule({ src: addr(src, negateSrc), dst: addr(dst), matches: [masq], target: RETURN }),
  });
  if (podCIDR) rules.push(ret(podCIDR, clusterCIDR), ret(clusterCIDR, podCIDR), ret(clusterCIDR, podCIDR, true));
  rules.push(
    {
      chain: 'FLANNEL-POSTRTG',
      rule: rule({
        src: addr(clusterCIDR),
        dst: addr(multicastOf(clusterCIDR), true),
        matches: [masq],
        target: MASQUERADE_FULLY,
      }),
    },
    {
      chain: 'FLANNEL-POSTRTG',
      rule: rule({ src: addr(clusterCIDR, true), dst: addr(clusterCIDR), matches: [masq], target: MASQUERADE_FULLY }),
    },
  );
  return rules;
}

/** flannel's nat and filter rules for one family: the cluster's and the node's CIDRs of that family. */
export function addFlannelRules(nat: Table, filter: Table, clusterCIDR: string, podCIDR: string | null): void {
  for (const r of flannelMasqRules(clusterCIDR, podCIDR)) nat.add(r.chain, r.rule);
  const forward = comment('flanneld forward');
  filter.add('FORWARD', rule({ matches: [forward], target: jump('FLANNEL-FWD') }));
  filter.add('FLANNEL-FWD', rule({ src: addr(clusterCIDR), matches: [forward], target: ACCEPT }));
  filter.add('FLANNEL-FWD', rule({ dst: addr(clusterCIDR), matches: [forward], target: ACCEPT }));
}

/** What FLANNEL-POSTRTG does with the first packet of a connection leaving a node. */
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
  const line = (i: number) => renderRule('FLANNEL-POSTRTG', rules[i]!.rule);
  if (marked) return { masquerade: false, rule: line(0) };
  const s = inCluster(src);
  const d = inCluster(dst);
  const multicast = dst.includes(':') ? /^ff/i.test(dst) : (Number(dst.split('.')[0]) & 0xf0) === 224;
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
