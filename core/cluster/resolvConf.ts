// The /etc/resolv.conf the kubelet writes into a pod, and the names its resolver then tries.
// Follows kubernetes/kubernetes pkg/kubelet/network/dns/dns.go (getPodDNSType, GetPodDNS):
// the cluster DNS Service is the only nameserver, the search path is the pod's namespace's
// Service domain, then svc.<domain>, then <domain> (then the node's own searches), and the
// options are defaultDNSOptions, "ndots:5".
import type { RealizedCluster, RealizedPod } from '../api/types';

/** kubelet's defaultDNSOptions. */
export const POD_NDOTS = 5;

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
  /** The file as the pod sees it. */
  text: string;
}

/** kubelet's podDNSType: the cluster's DNS, the node's resolv.conf, or only the pod's dnsConfig. */
export type PodDnsType = 'cluster' | 'host' | 'none';

/**
 * kubelet getPodDNSType: ClusterFirstWithHostNet is the cluster's DNS; ClusterFirst too unless the
 * pod is hostNetwork, where it falls back to Default (the node's resolv.conf); None is dnsConfig alone.
 */
export function podDnsType(pod: Pick<RealizedPod, 'hostNetwork' | 'dnsPolicy'>): PodDnsType {
  const policy = pod.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'None') return 'none';
  if (policy === 'ClusterFirstWithHostNet') return 'cluster';
  if (policy === 'ClusterFirst' && !pod.hostNetwork) return 'cluster';
  return 'host';
}

/** kubelet mergeDNSOptions: dnsConfig's options override same-named ones (kept in first-seen order; Go's map order is random). */
function mergeOptions(base: string[], extra: NonNullable<RealizedPod['dnsConfig']>['options']): string[] {
  const m = new Map<string, string>();
  for (const o of base) {
    const i = o.indexOf(':');
    m.set(i < 0 ? o : o.slice(0, i), i < 0 ? '' : o.slice(i + 1));
  }
  for (const o of extra) m.set(o.name, o.value ?? '');
  return [...m].map(([k, v]) => (v ? `${k}:${v}` : k));
}

/**
 * The pod's resolv.conf (kubelet GetPodDNS, then appendDNSConfig with the pod's dnsConfig); null when
 * it starts from the node's own file (a hostNetwork pod with ClusterFirst, or Default), which the
 * scenario does not describe.
 */
export function podResolvConf(c: RealizedCluster, pod: RealizedPod, hostSearch: string[] = []): ResolvConf | null {
  const type = podDnsType(pod);
  if (type === 'host') return null;
  const domain = c.cluster.clusterDomain;
  // generateSearchesForDNSClusterFirst, with omitDuplicates; None starts from nothing.
  const base =
    type === 'cluster'
      ? {
          searches: [`${pod.namespace}.svc.${domain}`, `svc.${domain}`, domain, ...hostSearch],
          nameservers: [c.cluster.dnsIP],
          options: [`ndots:${POD_NDOTS}`],
        }
      : { searches: [], nameservers: [], options: [] };
  const extra = pod.dnsConfig ?? { nameservers: [], searches: [], options: [] };
  const searches = [...new Set([...base.searches, ...extra.searches])];
  const nameservers = [...new Set([...base.nameservers, ...extra.nameservers])];
  const options = mergeOptions(base.options, extra.options);
  const lines = [
    ...(searches.length ? [`search ${searches.join(' ')}`] : []),
    ...nameservers.map((n) => `nameserver ${n}`),
    ...(options.length ? [`options ${options.join(' ')}`] : []),
  ];
  return { nameservers, searches, options, text: `${lines.join('\n')}\n` };
}

/**
 * The names a glibc-style resolver asks for, in order (resolv.conf(5), "ndots"): a name with a
 * trailing dot is absolute and asked as is; one with fewer than ndots dots goes through the
 * search list first, then as is; one with ndots or more dots is asked as is first.
 */
export function resolverQueries(name: string, conf: Pick<ResolvConf, 'searches' | 'options'>): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const ndotsOption = conf.options.find((o) => o.startsWith('ndots:'));
  const ndots = ndotsOption ? Number(ndotsOption.slice(6)) : 1;
  const dots = name.split('.').length - 1;
  const searched = conf.searches.map((s) => `${name}.${s}`);
  return dots >= ndots ? [name, ...searched] : [...searched, name];
}
