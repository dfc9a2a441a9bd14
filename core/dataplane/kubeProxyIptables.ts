// kube-proxy's iptables mode, as `iptables-save` prints what it programs.
// Matched against kube-proxy v1.31 (pkg/proxy/iptables/proxier.go,
// syncProxyRules) with the cluster-CIDR local-traffic detector
// (--cluster-cidr), no --masquerade-all, no LoadBalancer IPs.
// Rules are written in iptables-save's canonical order: -s, -d, -p first,
// then the matches in the order kube-proxy added them, then the target.
import type { RealizedCluster } from '../api/types';
import { statisticProbability, type EndpointRule, type ServicePortRule, type ServiceRuleIndex } from './serviceRules';

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const comment = (s: string) => `-m comment --comment ${q(s)}`;

/** One table: chains in iptables-save order, each with its rules. */
export class Table {
  private readonly builtins: string[];
  private readonly chains = new Map<string, string[]>();

  constructor(
    readonly name: 'nat' | 'filter',
    builtins: string[],
  ) {
    this.builtins = builtins;
    for (const b of builtins) this.chains.set(b, []);
  }

  chain(name: string): void {
    if (!this.chains.has(name)) this.chains.set(name, []);
  }

  add(chain: string, rule: string): void {
    let rules = this.chains.get(chain);
    if (!rules) this.chains.set(chain, (rules = []));
    rules.push(`-A ${chain} ${rule}`);
  }

  rules(chain: string): readonly string[] {
    return this.chains.get(chain) ?? [];
  }

  /** Built-in chains first, then user chains sorted (libiptc's order); rules chain by chain. */
  render(): string {
    return this.lines().join('\n');
  }

  /** What render() prints, line by line. */
  lines(): string[] {
    const user = [...this.chains.keys()].filter((c) => !this.builtins.includes(c)).sort();
    const order = [...this.builtins, ...user];
    const policy = (c: string) => (this.builtins.includes(c) ? 'ACCEPT' : '-');
    const out = [`*${this.name}`];
    for (const c of order) out.push(`:${c} ${policy(c)} [0:0]`);
    // A loop, not a spread: a node's nat table at 10,000 Services has half a million rules.
    for (const c of order) for (const rule of this.chains.get(c)!) out.push(rule);
    out.push('COMMIT');
    return out;
  }
}

interface Ctx {
  nat: Table;
  filter: Table;
  clusterCIDR: string;
  node: string;
}

function writeEndpointJumps(
  nat: Table,
  chain: string,
  spn: string,
  eps: EndpointRule[],
  probabilityFor: (i: number) => string | null,
  affinity: number | null,
): void {
  // ClientIP affinity first: a client seen recently goes back to its endpoint (xt_recent, one list per endpoint chain).
  if (affinity !== null) {
    for (const e of eps)
      nat.add(
        chain,
        `${comment(`${spn} -> ${e.address}`)} -m recent --rcheck --seconds ${affinity} --reap --name ${e.sepChain} --mask 255.255.255.255 --rsource -j ${e.sepChain}`,
      );
  }
  eps.forEach((e, i) => {
    const p = probabilityFor(i);
    nat.add(
      chain,
      `${comment(`${spn} -> ${e.address}`)}${p ? ` -m statistic --mode random --probability ${p}` : ''} -j ${e.sepChain}`,
    );
  });
}

function writeServicePort(ctx: Ctx, r: ServicePortRule): void {
  const { nat, filter } = ctx;
  const proto = r.protocol.toLowerCase();
  const ip = r.service.clusterIP!;
  const hasEndpoints = r.endpoints.length > 0;
  const localEps = r.endpoints.filter((e) => e.endpoint.node === ctx.node);
  const itpLocal = r.service.internalTrafficPolicy === 'Local';
  const etpLocal = r.service.externalTrafficPolicy === 'Local' && r.port.nodePort !== null;
  const hasInternal = itpLocal ? localEps.length > 0 : hasEndpoints;
  const hasExternal = etpLocal ? localEps.length > 0 : hasEndpoints;
  const usesCluster = hasEndpoints && (!itpLocal || (r.port.nodePort !== null && !etpLocal));
  const usesLocal = hasEndpoints && (itpLocal || etpLocal);
  const internalChain = itpLocal ? r.svlChain! : r.svcChain;
  const externalPolicyChain = etpLocal ? r.svlChain! : r.svcChain;
  const match = `-d ${ip}/32 -p ${proto} ${comment(`${r.spn} cluster IP`)} -m ${proto} --dport ${r.port.port}`;

  if (hasInternal) nat.add('KUBE-SERVICES', `${match} -j ${internalChain}`);
  else
    filter.add(
      'KUBE-SERVICES',
      `-d ${ip}/32 -p ${proto} ${comment(`${r.spn} has no ${itpLocal && hasEndpoints ? 'local ' : ''}endpoints`)} -m ${proto} --dport ${r.port.port} -j REJECT --reject-with icmp-port-unreachable`,
    );

  if (r.port.nodePort !== null) {
    if (hasEndpoints)
      nat.add(
        'KUBE-NODEPORTS',
        `-p ${proto} ${comment(r.spn)} -m ${proto} --dport ${r.port.nodePort} -j ${r.extChain}`,
      );
    if (!hasExternal) {
      filter.add(
        'KUBE-EXTERNAL-SERVICES',
        `-p ${proto} ${comment(`${r.spn} has no ${hasEndpoints ? 'local ' : ''}endpoints`)} -m addrtype --dst-type LOCAL -m ${proto} --dport ${r.port.nodePort} -j ${hasEndpoints ? 'DROP' : 'REJECT --reject-with icmp-port-unreachable'}`,
      );
    }
  }

  if (usesCluster) {
    nat.chain(r.svcChain);
    // Masquerade off-cluster traffic to the ClusterIP (the cluster-CIDR detector's IfNotLocal).
    if (hasInternal && !itpLocal) nat.add(r.svcChain, `! -s ${ctx.clusterCIDR} ${match} -j KUBE-MARK-MASQ`);
    writeEndpointJumps(
      nat,
      r.svcChain,
      r.spn,
      r.endpoints,
      (i) => r.endpoints[i]!.probability,
      r.service.sessionAffinityTimeout,
    );
  }
  if (usesLocal) {
    nat.chain(r.svlChain!);
    const n = localEps.length;
    // The local chain balances over local endpoints only, with its own ladder.
    writeEndpointJumps(
      nat,
      r.svlChain!,
      r.spn,
      localEps,
      (i) => (i < n - 1 ? statisticProbability(n - i) : null),
      r.service.sessionAffinityTimeout,
    );
  }
  if (r.extChain && hasEndpoints) {
    nat.chain(r.extChain);
    if (!etpLocal) {
      nat.add(r.extChain, `${comment(`masquerade traffic for ${r.spn} external destinations`)} -j KUBE-MARK-MASQ`);
    } else {
      nat.add(
        r.extChain,
        `-s ${ctx.clusterCIDR} ${comment(`pod traffic for ${r.spn} external destinations`)} -j ${r.svcChain}`,
      );
      nat.add(
        r.extChain,
        `${comment(`masquerade LOCAL traffic for ${r.spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      );
      nat.add(
        r.extChain,
        `${comment(`route LOCAL traffic for ${r.spn} external destinations`)} -m addrtype --src-type LOCAL -j ${r.svcChain}`,
      );
    }
    if (hasExternal) nat.add(r.extChain, `-j ${externalPolicyChain}`);
  }
  // Endpoint chains: hairpin masquerade, then DNAT. Local chains need only local endpoints.
  const seps = usesCluster ? r.endpoints : usesLocal ? localEps : [];
  for (const e of seps) {
    nat.add(e.sepChain, `-s ${e.endpoint.ip}/32 ${comment(r.spn)} -j KUBE-MARK-MASQ`);
    const remember =
      r.service.sessionAffinityTimeout !== null
        ? ` -m recent --set --name ${e.sepChain} --mask 255.255.255.255 --rsource`
        : '';
    nat.add(e.sepChain, `-p ${proto} ${comment(r.spn)}${remember} -m ${proto} -j DNAT --to-destination ${e.address}`);
  }
}

/** Only one Service port's rules, as they stand in a node's tables: what a trace needs. */
export function servicePortTables(
  c: RealizedCluster,
  rule: ServicePortRule,
  node: string,
): { nat: Table; filter: Table } {
  const ctx: Ctx = { nat: new Table('nat', []), filter: new Table('filter', []), clusterCIDR: c.cluster.podCIDR, node };
  writeServicePort(ctx, rule);
  return { nat: ctx.nat, filter: ctx.filter };
}

export const NODEPORTS_JUMP = `-A KUBE-SERVICES ${comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`;
export const POSTROUTING_MASQUERADE = `-A KUBE-POSTROUTING ${comment('kubernetes service traffic requiring SNAT')} -j MASQUERADE --random-fully`;

/** Only the built-in chains: a node whose kube-proxy does not use iptables. */
export function emptyIptables(): { nat: Table; filter: Table } {
  return {
    nat: new Table('nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']),
    filter: new Table('filter', ['INPUT', 'FORWARD', 'OUTPUT']),
  };
}

/** The nat and filter tables kube-proxy (and kubelet's canary) leave on one node. */
export function kubeProxyTables(
  c: RealizedCluster,
  index: ServiceRuleIndex,
  node: string,
): { nat: Table; filter: Table } {
  const nat = new Table('nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
  const filter = new Table('filter', ['INPUT', 'FORWARD', 'OUTPUT']);
  for (const ch of [
    'KUBE-KUBELET-CANARY',
    'KUBE-MARK-MASQ',
    'KUBE-NODEPORTS',
    'KUBE-POSTROUTING',
    'KUBE-PROXY-CANARY',
    'KUBE-SERVICES',
  ])
    nat.chain(ch);
  nat.add('PREROUTING', `${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  nat.add('OUTPUT', `${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  nat.add('POSTROUTING', `${comment('kubernetes postrouting rules')} -j KUBE-POSTROUTING`);
  nat.add('KUBE-MARK-MASQ', '-j MARK --set-xmark 0x4000/0x4000');
  nat.add('KUBE-POSTROUTING', '-m mark ! --mark 0x4000/0x4000 -j RETURN');
  nat.add('KUBE-POSTROUTING', '-j MARK --set-xmark 0x4000/0x0');
  nat.add('KUBE-POSTROUTING', POSTROUTING_MASQUERADE.slice('-A KUBE-POSTROUTING '.length));

  for (const ch of [
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FIREWALL',
    'KUBE-FORWARD',
    'KUBE-KUBELET-CANARY',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-CANARY',
    'KUBE-PROXY-FIREWALL',
    'KUBE-SERVICES',
  ])
    filter.chain(ch);
  filter.add(
    'INPUT',
    `-m conntrack --ctstate NEW ${comment('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`,
  );
  filter.add('INPUT', `${comment('kubernetes health check service ports')} -j KUBE-NODEPORTS`);
  filter.add(
    'INPUT',
    `-m conntrack --ctstate NEW ${comment('kubernetes externally-visible service portals')} -j KUBE-EXTERNAL-SERVICES`,
  );
  filter.add('INPUT', '-j KUBE-FIREWALL');
  filter.add(
    'FORWARD',
    `-m conntrack --ctstate NEW ${comment('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`,
  );
  filter.add('FORWARD', `${comment('kubernetes forwarding rules')} -j KUBE-FORWARD`);
  filter.add('FORWARD', `-m conntrack --ctstate NEW ${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  filter.add(
    'FORWARD',
    `-m conntrack --ctstate NEW ${comment('kubernetes externally-visible service portals')} -j KUBE-EXTERNAL-SERVICES`,
  );
  filter.add(
    'OUTPUT',
    `-m conntrack --ctstate NEW ${comment('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`,
  );
  filter.add('OUTPUT', `-m conntrack --ctstate NEW ${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  filter.add('OUTPUT', '-j KUBE-FIREWALL');
  filter.add(
    'KUBE-FIREWALL',
    `! -s 127.0.0.0/8 -d 127.0.0.0/8 ${comment('block incoming localnet connections')} -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
  );
  filter.add('KUBE-FORWARD', '-m conntrack --ctstate INVALID -j DROP');
  filter.add('KUBE-FORWARD', `${comment('kubernetes forwarding rules')} -m mark --mark 0x4000/0x4000 -j ACCEPT`);
  filter.add(
    'KUBE-FORWARD',
    `${comment('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );

  const ctx: Ctx = { nat, filter, clusterCIDR: c.cluster.podCIDR, node };
  for (const r of index.rules) writeServicePort(ctx, r);
  // Must stay the last rule of KUBE-SERVICES (proxier.go says so in the comment).
  nat.add('KUBE-SERVICES', NODEPORTS_JUMP.slice('-A KUBE-SERVICES '.length));
  return { nat, filter };
}
