// `k8snet generate`: a large what-if cluster as a scenario file.
import { checkGenerateOptions, generateScenarioText } from '../core/scenario/generate';
import { parse, usageError } from './args';

export const GENERATE_HELP = `Usage: k8snet generate --nodes N [--pods-per-node M] [--pods-per-service K] [--cni host-gw|vxlan]
                       [--ip-family ipv4|ipv6|dual]

Print a scenario with N nodes (one control plane), M pods per node (default
30) and one Deployment plus Service per K pods (default 15). Up to 200
nodes it is YAML; above that a JSON list of documents (JSON is YAML too),
which loads in a fraction of the time. --ip-family ipv6 or dual writes
kind's networking.ipFamily with an IPv6 /48 pod range (and PreferDualStack
Services in dual).

  npm run -s k8snet -- generate --nodes 5000 > big.json
  npm run -s k8snet -- plan big.json`;

export function generateCommand(argv: string[]): void {
  const { values } = parse(
    argv,
    {
      nodes: { type: 'string' },
      'pods-per-node': { type: 'string' },
      'pods-per-service': { type: 'string' },
      cni: { type: 'string' },
      'ip-family': { type: 'string' },
    },
    0,
  );
  if (values.help) return void console.log(GENERATE_HELP);
  if (values.nodes === undefined) throw usageError('generate needs --nodes N');
  if (values.cni !== undefined && values.cni !== 'host-gw' && values.cni !== 'vxlan')
    throw usageError(`--cni must be host-gw or vxlan, not "${values.cni}"`);
  const family = values['ip-family'];
  if (family !== undefined && family !== 'ipv4' && family !== 'ipv6' && family !== 'dual')
    throw usageError(`--ip-family must be ipv4, ipv6 or dual (kind's networking.ipFamily), not "${family}"`);
  // The text as typed goes into the message: "abc" is not a number, and saying "NaN" would not tell the user what they typed.
  const whole = (flag: string, v: string) => {
    if (!/^\d+$/.test(v.trim())) throw usageError(`--${flag}: "${v}" must be a whole number`);
    return Number(v);
  };
  const o = {
    nodes: whole('nodes', values.nodes),
    podsPerNode: whole('pods-per-node', values['pods-per-node'] ?? '30'),
    podsPerService: whole('pods-per-service', values['pods-per-service'] ?? '15'),
    ...(values.cni ? { cni: values.cni as 'host-gw' | 'vxlan' } : {}),
    ...(family ? { ipFamily: family as 'ipv4' | 'ipv6' | 'dual' } : {}),
  };
  const errs = checkGenerateOptions(o);
  if (errs.length) throw usageError(errs.join('; '));
  process.stdout.write(generateScenarioText(o));
}
