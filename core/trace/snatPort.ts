// The source port MASQUERADE --random-fully picks. The kernel draws it at
// random (NF_NAT_RANGE_PROTO_RANDOM_FULLY: get_random_u32 over the range
// nf_nat_l4proto_unique_tuple uses when no --to-ports is given, 1024-65535
// for a client port above 1023); here it is derived from the flow so the same
// question always gives the same answer. It is illustrative: a real node's
// conntrack shows another number.
import { fnv32a } from '../api/names';
import type { IpAddr } from '../ip/anyIp';
import type { Pkt } from './types';

const LOW = 1024;
const HIGH = 65535;

export function randomFullyPort(p: Pkt, newSrc: IpAddr): number {
  const h = fnv32a(`random-fully ${p.src}:${p.sport} ${newSrc} ${p.dst}:${p.dport} ${p.proto}`);
  return LOW + (h % (HIGH - LOW + 1));
}
