// k8snet's dispatcher: one function, so tests can run the command line in-process.
import { CliError } from './args';
import { CIDR_HELP, cidrCommand } from './cidrCommand';
import { DEVICES_HELP, devicesCommand } from './devicesCommand';
import { DIFF_HELP, diffCommand } from './diffCommand';
import { LAB_HELP, labCommand } from './labCommand';
import { REACH_HELP, reachCommand } from './reachCommand';
import { GENERATE_HELP, generateCommand } from './generateCommand';
import {
  IPTABLES_HELP,
  iptablesCommand,
  NFTABLES_HELP,
  nftablesCommand,
  ROUTES_HELP,
  routesCommand,
} from './nodeCommands';
import { PLAN_HELP, planCommand } from './planCommand';
import { POLICY_RULES_HELP, policyRulesCommand } from './policyRulesCommand';
import { REALIZE_HELP, realizeCommand } from './realizeCommand';
import { TABLES_HELP, tablesCommand } from './tablesCommand';
import { TRACE_HELP, traceCommand } from './traceCommand';

const COMMANDS: Record<string, { run: (argv: string[]) => void; help: string; summary: string }> = {
  cidr: { run: cidrCommand, help: CIDR_HELP, summary: "the teacher's CIDR calculator" },
  realize: {
    run: realizeCommand,
    help: REALIZE_HELP,
    summary: 'nodes, PodCIDRs, pods and Services with their addresses',
  },
  diff: {
    run: diffCommand,
    help: DIFF_HELP,
    summary: 'what a change does to a live cluster: nodes, pods, endpoints, routes, kube-proxy rules',
  },
  plan: { run: planCommand, help: PLAN_HELP, summary: 'capacity: what the ranges allow and what breaks first' },
  trace: {
    run: traceCommand,
    help: TRACE_HELP,
    summary: 'a packet hop by hop: DNS, kube-proxy NAT, routes, overlay, reply',
  },
  routes: {
    run: routesCommand,
    help: ROUTES_HELP,
    summary: "a node's (or pod's) routing table, as `ip route` prints it",
  },
  devices: {
    run: devicesCommand,
    help: DEVICES_HELP,
    summary: "a node's devices (eth0, cni0, veths, flannel.1 with its neighbour and FDB entries)",
  },
  iptables: {
    run: iptablesCommand,
    help: IPTABLES_HELP,
    summary: "a node's kube-proxy rules, as `iptables-save -t nat` prints them",
  },
  reach: {
    run: reachCommand,
    help: REACH_HELP,
    summary: 'who can connect to whom under the NetworkPolicies (a matrix, with reasons)',
  },
  'policy-rules': {
    run: policyRulesCommand,
    help: POLICY_RULES_HELP,
    summary: "a node's NetworkPolicy enforcer (kube-network-policies), as nft prints its table",
  },
  generate: {
    run: generateCommand,
    help: GENERATE_HELP,
    summary: 'a large what-if cluster as a scenario file (e.g. 5,000 nodes, 30 pods each)',
  },
  nftables: {
    run: nftablesCommand,
    help: NFTABLES_HELP,
    summary: "a node's kube-proxy table in nftables mode, as nft prints it",
  },
  tables: {
    run: tablesCommand,
    help: TABLES_HELP,
    summary: "write a node's iptables-save, ip route and ip -o addr to files (trace them with trace --tables)",
  },
  lab: {
    run: labCommand,
    help: LAB_HELP,
    summary: 'a bash script that builds the scenario in Linux network namespaces',
  },
};

const HELP = `Usage: npm run k8snet -- <command> [scenario-file] [options]

Kubernetes network explorer, command line. Without a scenario file the
built-in default cluster is used (PodCIDR 10.32.0.0/14, two nodes).

Commands:
${Object.entries(COMMANDS)
  .map(([k, c]) => `  ${k.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run 'k8snet <command> --help' for a command's options.
Exit status: 0 success, 1 a problem with the input, 2 a usage error.`;

export function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(HELP);
    return cmd ? 0 : 2;
  }
  const c = COMMANDS[cmd];
  if (!c) {
    console.error(`k8snet: unknown command "${cmd}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  try {
    c.run(rest);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      console.error(`k8snet ${cmd}: ${e.message}`);
      if (e.exitCode === 2) console.error(`Run 'k8snet ${cmd} --help' for usage.`);
      return e.exitCode;
    }
    console.error(`k8snet ${cmd}: internal error: ${(e as Error).message}`);
    // K8SNET_DEBUG=1 shows where, for a bug report.
    if (process.env.K8SNET_DEBUG) console.error((e as Error).stack);
    return 1;
  }
}
