// `k8snet cidr CIDR`: the teacher's calculator.
import { parseCidr } from '../core/ip/cidr';
import { explainCidr, formatCount } from '../core/ip/explain';
import { parseCidr6 } from '../core/ip/cidr6';
import { explainCidr6, formatBigCount } from '../core/ip/explain6';
import { parse, printJson, usageError, userError } from './args';

export const CIDR_HELP = `Usage: k8snet cidr CIDR [--json]

Explain an IPv4 or IPv6 block: network and last address, first and last
usable, size (exact), the netmask, the bits (IPv4: binary; IPv6: hex groups)
with the prefix boundary marked, and how many node-sized blocks (/N) fit.

  k8snet cidr 10.32.0.0/14
  k8snet cidr fd00:10:244::/56
  k8snet cidr 10.32.0.0/14 --json`;

export function cidrCommand(argv: string[]): void {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  if (values.help) return void console.log(CIDR_HELP);
  const text = positionals[0];
  if (!text) throw usageError('cidr needs a CIDR, e.g. k8snet cidr 10.32.0.0/14');
  if (text.includes(':')) return cidr6(text, values.json ?? false);
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

function cidr6(text: string, json: boolean): void {
  const p = parseCidr6(text);
  if (!p.ok) throw userError(`cidr: ${p.message}`);
  const x = explainCidr6(p.value);
  if (json) return printJson({ ...x, ...(p.warning ? { warning: p.warning } : {}) });
  const hostBits = 128 - x.prefix;
  const out = [
    ...(p.warning ? [`note: ${p.warning}`, ''] : []),
    `${x.cidr}`,
    `  range        ${x.network} – ${x.lastAddress}`,
    `  addresses    ${formatBigCount(BigInt(x.size))} (2^${hostBits})`,
    `  usable       ${x.firstUsable} – ${x.lastUsable} (${formatBigCount(BigInt(x.usable))}; no broadcast in IPv6)`,
    `  prefix       /${x.prefix}: the first ${x.prefix} of 128 bits ${x.prefix % 4 === 0 ? `(${x.prefix / 4} hex digits)` : `(the boundary falls inside hex digit ${Math.ceil(x.prefix / 4)})`}`,
    `  groups       ${x.hex.marked}`,
    `               ${'network'.padEnd(x.hex.marked.indexOf('|'))}| host`,
    '',
    '  fits:',
    ...x.fits.map(
      (f) =>
        `    ${formatBigCount(BigInt(f.count)).padStart(9)} × /${f.prefix}  (${formatBigCount(BigInt(f.addresses))} addresses each)`,
    ),
  ];
  console.log(out.join('\n'));
}
