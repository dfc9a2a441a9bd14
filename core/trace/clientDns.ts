// Which DNS server a trace's client asks, from the resolv.conf the kubelet wrote for it
// (core/cluster/resolvConf.ts, after kubelet's getPodDNSType and GetPodDNS).
import { podDnsType, podResolvConf } from '../cluster/resolvConf';
import type { RealizedCluster } from '../api/types';
import type { Endpoint } from './refs';

export type ClientDns = { ok: true; nameserver: string } | { ok: false; reason: string };

/**
 * The nameserver a client's lookup of `name` goes to. A pod asks its resolv.conf's first nameserver;
 * one whose file is the node's own (hostNetwork with ClusterFirst, or Default) asks the node's
 * resolver, which does not serve the cluster domain. A node's process is traced asking the cluster DNS.
 */
export function clientDns(c: RealizedCluster, from: Endpoint, name: string): ClientDns {
  if (from.kind !== 'pod') return { ok: true, nameserver: c.cluster.dnsIP };
  const pod = from.pod;
  const who = `pod ${pod.namespace}/${pod.name}`;
  const domain = c.cluster.clusterDomain;
  if (podDnsType(pod) === 'host') {
    const why = pod.hostNetwork
      ? `${who} uses hostNetwork with dnsPolicy ${pod.dnsPolicy ?? 'ClusterFirst'}, which the kubelet turns into Default (getPodDNSType: "Fallback to DNSDefault for pod on hostnetwork")`
      : `${who} has dnsPolicy Default`;
    const fix = pod.hostNetwork ? '; dnsPolicy: ClusterFirstWithHostNet would send it to the cluster DNS' : '';
    return {
      ok: false,
      reason: `DNS lookup failed: ${why}, so its resolv.conf is ${from.node.name}'s own and its lookups go to the node's resolver, which does not serve the cluster domain ${domain}: ${name} does not resolve${fix}`,
    };
  }
  const first = podResolvConf(c, pod)?.nameservers[0];
  if (first === c.cluster.dnsIP) return { ok: true, nameserver: first };
  return {
    ok: false,
    reason: first
      ? `DNS lookup failed: ${who}'s resolv.conf (dnsPolicy None) names ${first} as its first nameserver, not the cluster DNS ${c.cluster.dnsIP}; what ${first} answers for ${name} is outside the scenario`
      : `DNS lookup failed: ${who}'s resolv.conf names no nameserver`,
  };
}
