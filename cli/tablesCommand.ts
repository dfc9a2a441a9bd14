// `k8snet tables --node NAME --out DIR`: a node's kernel state written as its tools print it, one file each,
// so it can be read, edited and traced through (`k8snet trace --tables DIR`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDataplane } from '../core/dataplane/dataplane';
import { nodeDumps } from '../core/dataplane/dumpedKernel';
import { parse, usageError, userError } from './args';
import { historyFiles, LIVE_OPTIONS, realizeLive } from './live';

export const TABLES_HELP = `Usage: k8snet tables [scenario-file] --out DIR [--node NAME]...

Writes each node's kernel state as its tools print it, into DIR/NAME/:
  iptables-save   every iptables table (nat, filter), as \`iptables-save\` prints it
  ip6tables-save  a dual-stack node's IPv6 tables, as \`ip6tables-save\` prints them
  ip-route        \`ip route show table main\`
  ip6-route       a dual-stack node's IPv6 main table, as \`ip -6 route\` prints it
  ip-addr         \`ip -o addr\` (inet lines; inet6 ones too on a dual-stack node)
  nft-policy      kube-network-policies' nftables table (the NetworkPolicy enforcer)
  nft-ruleset     kube-proxy's nftables tables (nftables mode only), as \`nft list ruleset\`
                  prints them: table ip kube-proxy, then table ip6 kube-proxy (dual-stack)
Without --node, every node. Edit a file and trace through it:
  k8snet tables --out /tmp/t && k8snet trace --tables /tmp/t --from ... --to ...`;

export function tablesCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, {
    node: { type: 'string', multiple: true },
    out: { type: 'string' },
    ...LIVE_OPTIONS,
  });
  if (values.help) return void console.log(TABLES_HELP);
  if (!values.out) throw usageError('tables needs --out DIR');
  const cluster = realizeLive(positionals[0], historyFiles(values));
  const dp = buildDataplane(cluster);
  const names = values.node ?? cluster.nodes.map((n) => n.name);
  for (const name of names) {
    const nd = dp.node(name);
    if (!nd) throw userError(`--node: no node "${name}" (nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
    const dir = join(values.out, name);
    const dumps = nodeDumps(dp, name)!;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'iptables-save'), dumps.iptablesSave.text);
      if (dumps.ip6tablesSave) writeFileSync(join(dir, 'ip6tables-save'), dumps.ip6tablesSave.text);
      writeFileSync(join(dir, 'ip-route'), dumps.ipRoute.text);
      if (dumps.ip6Route) writeFileSync(join(dir, 'ip6-route'), dumps.ip6Route.text);
      writeFileSync(join(dir, 'ip-addr'), dumps.ipAddr.text);
      writeFileSync(join(dir, 'nft-policy'), dumps.nftPolicy!.text);
      if (dumps.nftRuleset) writeFileSync(join(dir, 'nft-ruleset'), dumps.nftRuleset.text);
    } catch (e) {
      throw userError(`${dir}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const six = dumps.ip6tablesSave ? ', ip6tables-save' : '';
    const route6 = dumps.ip6Route ? ', ip6-route' : '';
    console.log(`${dir}/: iptables-save${six}, ip-route${route6}, ip-addr, nft-policy${nd.nft ? ', nft-ruleset' : ''}`);
  }
}
