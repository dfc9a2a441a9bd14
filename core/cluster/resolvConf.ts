// The /etc/resolv.conf the kubelet writes into a pod, and the names its resolver then tries.
// Follows kubernetes/kubernetes pkg/kubelet/network/dns/dns.go (GetPodDNS, ClusterFirst):
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

/**
 * A ClusterFirst pod's resolv.conf; null for a hostNetwork pod, which (dnsPolicy ClusterFirst
 * falling back to Default) gets its node's own file, which the scenario does not describe.
 */
export function podResolvConf(c: RealizedCluster, pod: RealizedPod, hostSearch: string[] = []): ResolvConf | null {
  if (pod.hostNetwork) return null;
  const domain = c.cluster.clusterDomain;
  // generateSearchesForDNSClusterFirst, with omitDuplicates.
  const searches = [...new Set([`${pod.namespace}.svc.${domain}`, `svc.${domain}`, domain, ...hostSearch])];
  const nameservers = [c.cluster.dnsIP];
  const options = [`ndots:${POD_NDOTS}`];
  const text = `search ${searches.join(' ')}\nnameserver ${nameservers.join('\nnameserver ')}\noptions ${options.join(' ')}\n`;
  return { nameservers, searches, options, text };
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
