// `k8snet cidr CIDR`: the teacher's calculator.
import { parseCidr } from '../core/ip/cidr';
import { explainCidr, formatCount } from '../core/ip/explain';
import { parse, printJson, usageError, userError } from './args';

export const CIDR_HELP = `Usage: k8snet cidr CIDR [--json]

Explain an IPv4 block: network and last address, first and last usable,
size, netmask, the bits in binary with the mask boundary marked, and how
many node-sized blocks (/N) fit in it.

  k8snet cidr 10.32.0.0/14
  k8snet cidr 10.32.0.0/14 --json`;

export function cidrCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  if (values.help) return void console.log(CIDR_HELP);
  const text = positionals[0];
  if (!text) throw usageError('cidr needs a CIDR, e.g. k8snet cidr 10.32.0.0/14');
  const p = parseCidr(text);
  if (!p.ok) throw userError(`cidr: ${p.message}`);
  const x = explainCidr(p.value);
  if (values.json) return printJson({ ...x, ...(p.warning ? { warning: p.warning } : {}) });
  const out = [
    ...(p.warning ? [`note: ${p.warning}`, ''] : []),
    `${x.cidr}`,
    `  range        ${x.network} – ${x.lastAddress}`,
    `  addresses    ${formatCount(x.size)} (2^${32 - x.prefix})`,
    `  usable       ${x.firstUsable} – ${x.lastUsable} (${formatCount(x.usable)})`,
    `  netmask      ${x.netmask} (/${x.prefix})`,
    `  bits         ${x.binary.marked}`,
    `               ${'network bits'.padEnd(x.binary.marked.indexOf('|'))}| host bits`,
    '',
    '  fits:',
    ...x.fits.map(
      (f) => `    ${formatCount(f.count).padStart(9)} × /${f.prefix}  (${formatCount(f.addresses)} addresses each)`,
    ),
  ];
  console.log(out.join('\n'));
}
