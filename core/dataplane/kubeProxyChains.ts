// kube-proxy's chain names (pkg/proxy/iptables/proxier.go): the first 16
// characters of base32(sha256(...)), so the same Service port and endpoint get
// the same chain on every node and in every cluster.
import { sha256 } from '@noble/hashes/sha2.js';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (Go's base32.StdEncoding), enough characters for a 16-character prefix. */
function base32Prefix(bytes: Uint8Array, chars: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; i < bytes.length && out.length < chars; i++) {
    value = (value << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

const encoder = new TextEncoder();
const hash16 = (s: string) => base32Prefix(sha256(encoder.encode(s)), 16);

/**
 * The nftables backend's names (pkg/proxy/nftables/proxier.go hashAndTruncate):
 * 8 base32 characters of sha256(name), "-", then the readable name itself,
 * e.g. "ULMVA6XW-ns1/svc1/tcp/p80". Never longer than 240 characters in practice.
 */
export function nftChainBase(
  namespace: string,
  name: string,
  protocol: string,
  port: string,
  endpoint?: string,
): string {
  let base = `${namespace}/${name}/${protocol.toLowerCase()}/${port}`;
  if (endpoint !== undefined) {
    const at = endpoint.lastIndexOf(':');
    // net.SplitHostPort drops an IPv6 address's brackets; its colons become dots (not allowed in a chain name).
    const host = endpoint.slice(0, at).replace(/^\[(.*)\]$/, '$1');
    base += `__${host.replace(/:/g, '.')}/${endpoint.slice(at + 1)}`;
  }
  const named = `${base32Prefix(sha256(encoder.encode(base)), 8)}-${base}`;
  return named.length > 240 ? `${named.slice(0, 237)}...` : named;
}

/** ServicePortName.String(): "namespace/name" plus ":port" when the port is named. */
export function servicePortName(namespace: string, name: string, port: string): string {
  return port ? `${namespace}/${name}:${port}` : `${namespace}/${name}`;
}

/** portProtoHash: servicePortName + lowercase protocol. */
export function svcChain(spn: string, protocol: string): string {
  return `KUBE-SVC-${hash16(spn + protocol.toLowerCase())}`;
}

/** externalPolicyChainName: the KUBE-EXT chain of a NodePort/LoadBalancer port. */
export function extChain(spn: string, protocol: string): string {
  return `KUBE-EXT-${hash16(spn + protocol.toLowerCase())}`;
}

/** localPolicyChainName: the KUBE-SVL chain of a port with a Local traffic policy. */
export function svlChain(spn: string, protocol: string): string {
  return `KUBE-SVL-${hash16(spn + protocol.toLowerCase())}`;
}

/** servicePortEndpointChainName: servicePortName + protocol + "ip:port". */
export function sepChain(spn: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(spn + protocol.toLowerCase() + endpoint)}`;
}
