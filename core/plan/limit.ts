// One capacity limit of a plan: what is counted, how much is used, what it can hold and why.
export interface Limit {
  /** Stable id: nodes, podsPerNode, pods, services, nodePorts; dual-stack adds nodesIPv6, podsPerNodeIPv6, servicesIPv6. */
  id: string;
  what: string;
  used: number;
  capacity: number;
  /** Why the capacity is what it is, in one sentence. */
  because: string;
}
