// A packet delivered to the node itself (the routing decision found a local address, INPUT let it
// pass): to a process in the root namespace, which for a hostNetwork pod's port is that pod.
import { formatAny, isIp6, type IpAddr } from '../ip/anyIp';
import { deviceAddress, deviceAddress6 } from '../dataplane/devices';
import { isLoopback } from '../dataplane/nodeKernel';
import type { RealizedNode } from '../api/types';
import { nodeIp } from '../api/familyFields';
import { hp } from './ruleHops';
import type { HostContext, Walk } from './walkState';
import type { Pkt } from './types';

const ip = (n: IpAddr) => formatAny(n);

/** The device holding a node's own address: lo for loopback, cni0 for the bridge's, flannel's VXLAN device, else eth0. */
function localDevice(nd: RealizedNode, a: IpAddr): string {
  if (isIp6(a) ? a === 1n : isLoopback(a)) return 'lo';
  const text = ip(a);
  if (isIp6(a)) {
    for (const dev of ['cni0', 'flannel-v6.1'])
      if (deviceAddress6(nd, dev) === text && text !== nodeIp(nd, 'IPv6')) return dev;
    return 'eth0';
  }
  for (const dev of ['cni0', 'flannel.1'])
    if (deviceAddress(nd, dev) === text && text !== nodeIp(nd, 'IPv4')) return dev;
  return 'eth0';
}

export function deliverToNode(t: HostContext, w: Walk, node: RealizedNode, p: Pkt): Walk {
  // A hostNetwork pod listens in the node's root namespace, on every address the node has.
  const pod = node.pods.find(
    (x) => x.hostNetwork && x.ip !== null && x.ports.some((q) => q.containerPort === p.dport && q.protocol === p.proto),
  );
  const at = hp(p.dst, p.dport);
  t.add(w, {
    node: node.name,
    namespace: 'host',
    device: localDevice(node, p.dst),
    before: p,
    action: 'deliver',
    explain: pod
      ? `The packet is for ${node.name} itself (${ip(p.dst)}): hostNetwork pod ${pod.name} listens on ${p.proto} ${p.dport} in the node's root namespace, with no veth and no address of its own.`
      : `The packet is for ${node.name} itself (${ip(p.dst)}).`,
  });
  w.delivered = pod ? { node, pod } : { node };
  const who = pod ? `hostNetwork pod ${pod.namespace}/${pod.name} on node ${node.name}` : `node ${node.name}`;
  return t.end(w, 'delivered', `delivered to ${who} at ${at}`);
}
